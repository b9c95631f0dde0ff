// drill start in a real terminal (tmux): the live countdown and its keys, and the question asked
// instead of overwriting an existing workspace. Read from the screen, as a person would.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadHistory } from "../src/core/history.js";
import { CLI, TEST_VENV, tempDir } from "./helpers.js";

const hasTmux = (() => {
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

function startInTmux(command: string, env: Record<string, string>): string {
  const name = `drill-test-${process.pid}-${sessions.length}`;
  sessions.push(name);
  const exports = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(" ");
  execFileSync("tmux", ["new-session", "-d", "-s", name, "-x", "150", "-y", "50", `env -u CI ${exports} ${command}; echo "EXIT=$?"; sleep 60`]);
  return name;
}

const screen = (name: string) => execFileSync("tmux", ["capture-pane", "-t", name, "-p", "-S", "-300"], { encoding: "utf8" });
const press = (name: string, key: string) => execFileSync("tmux", ["send-keys", "-t", name, key]);

async function waitFor(name: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(name);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}; it shows:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!hasTmux)("drill start in a terminal", () => {
  it("shows a live countdown; c checks in place, h shows a hint, q asks before leaving", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    const name = startInTmux(`node ${CLI} start 03 --dir ${dir} --timer 30`, { DRILL_HOME: home, NO_COLOR: "1" });
    await waitFor(name, /\d\d:\d\d left · elapsed 00:0\d/);
    symlinkSync(TEST_VENV, join(dir, ".venv"));

    press(name, "h");
    await waitFor(name, /hint 1\/\d+:/);
    press(name, "c");
    await waitFor(name, /0 of 14 requirements pass[\s\S]*left · elapsed .* · last check 0\/14/);

    press(name, "p");
    await waitFor(name, /PAUSED · \d\d:\d\d left/);
    press(name, "p");
    await waitFor(name, /Resumed\.\s*\n\d\d:\d\d left/);

    press(name, "q");
    await waitFor(name, /Quit\? The attempt is kept, recorded as abandoned\. \[y\/N\]/);
    press(name, "n");
    await waitFor(name, /left · elapsed [^\n]*\n*$/);
    press(name, "q");
    press(name, "y");
    const end = await waitFor(name, /EXIT=\d+/);
    expect(end).toContain("recorded as abandoned");
    expect(end).toContain("EXIT=0");

    const session = loadHistory(home).sessions[0];
    expect(session?.events.map((e) => e.type)).toEqual(["start", "hint", "check", "pause", "resume", "end"]);
  });

  it("asks instead of overwriting an existing folder, and cancelling changes nothing", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    execFileSync("mkdir", ["-p", dir]);
    writeFileSync(join(dir, "notes.txt"), "mine");
    const name = startInTmux(`node ${CLI} start 03 --dir ${dir}`, { DRILL_HOME: home, NO_COLOR: "1" });
    await waitFor(name, /already exists\. drill never overwrites it/);
    press(name, "Down");
    press(name, "Enter");
    const end = await waitFor(name, /EXIT=\d+/);
    expect(end).toContain("EXIT=130");
    expect(readFileSync(join(dir, "notes.txt"), "utf8")).toBe("mine");
    expect(existsSync(join(dir, "app"))).toBe(false);
    expect(existsSync(join(home, "history.jsonl"))).toBe(false);
  });
});
