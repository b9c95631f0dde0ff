// Driving drill in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
import { execFileSync } from "node:child_process";
import { afterEach } from "vitest";

export const hasTmux = (() => {
  try {
    execFileSync("tmux", ["-V"]);
    return true;
  } catch {
    return false;
  }
})();

const sessions: string[] = [];
afterEach(() => {
  for (const name of sessions.splice(0)) {
    try {
      execFileSync("tmux", ["kill-session", "-t", name]);
    } catch {
      // already gone
    }
  }
});

export function startInTmux(
  command: string,
  env: Record<string, string>,
  cwd = process.cwd(),
  size: { columns: number; rows: number } = { columns: 150, rows: 50 },
): string {
  const name = `drill-test-${process.pid}-${sessions.length}`;
  sessions.push(name);
  // The tmux server's environment is not the test's: what the tests run under is passed on here
  // (no Python environment built by `drill start`, the tests' time zone), unless `env` says otherwise.
  const given = { DRILL_SKIP_PYTHON: process.env.DRILL_SKIP_PYTHON ?? "", TZ: process.env.TZ ?? "", ...env };
  const exports = Object.entries(given)
    .map(([k, v]) => `${k}='${v}'`)
    .join(" ");
  execFileSync("tmux", [
    "new-session",
    "-d",
    "-s",
    name,
    "-c",
    cwd,
    "-x",
    String(size.columns),
    "-y",
    String(size.rows),
    `env -u CI ${exports} ${command}; echo "EXIT=$?"; sleep 60`,
  ]);
  return name;
}

/** What the pane shows, with up to 300 lines scrolled off above it. */
export const screen = (name: string) => execFileSync("tmux", ["capture-pane", "-t", name, "-p", "-S", "-300"], { encoding: "utf8" });
/** Just the visible screen, one string per row. */
export const visible = (name: string) => execFileSync("tmux", ["capture-pane", "-t", name, "-p"], { encoding: "utf8" }).split("\n");
export const resize = (name: string, columns: number, rows: number) =>
  execFileSync("tmux", ["resize-window", "-t", name, "-x", String(columns), "-y", String(rows)]);
export const press = (name: string, key: string) => execFileSync("tmux", ["send-keys", "-t", name, key]);

export async function waitFor(name: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(name);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}; it shows:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
