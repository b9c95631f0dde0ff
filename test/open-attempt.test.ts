// A practice with an open attempt, started again in a real terminal (tmux): drill asks to
// continue it or abandon it, and does what was chosen. Read from the screen, as a person would.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadHistory } from "../src/core/record/history.js";
import { CLI, runCli, tempDir } from "./helpers.js";
import { hasTmux, press, startInTmux, waitFor } from "./tmux.js";

describe.skipIf(!hasTmux)("starting a practice that has an open attempt, in a terminal", () => {
  it("abandon: the attempt is recorded as abandoned, its folder archived, and a fresh one starts", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    expect((await runCli(["start", "03", "--dir", dir, "--timer", "30"], { home })).exitCode).toBe(0);
    writeFileSync(join(dir, "app", "main.py"), "# my work\n");
    // A tmux session does not inherit the test's environment: the Python step is skipped explicitly.
    const name = startInTmux(`node ${CLI} start 03 --dir ${dir} --timer 30`, { DRILL_HOME: home, NO_COLOR: "1", DRILL_SKIP_PYTHON: "1" });
    await waitFor(name, /03 API security has an open attempt in .*ws[\s\S]*Continue it[\s\S]*Abandon it and start afresh[\s\S]*Cancel/);
    press(name, "Down");
    press(name, "Enter");
    await waitFor(name, /left · elapsed/);
    const [old, fresh] = loadHistory(home).sessions;
    expect(old?.events.at(-1)).toMatchObject({ type: "end", outcome: "abandoned" });
    expect(fresh).toMatchObject({ practice: "03-api-security", workspace: dir });
    const archive = readdirSync(join(dir, "..")).find((entry) => entry.startsWith("ws.archived-"));
    expect(readFileSync(join(dir, "..", archive ?? "none", "app", "main.py"), "utf8")).toBe("# my work\n");
  });

  it("continue: the same attempt's countdown, nothing new recorded; cancel changes nothing", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    expect((await runCli(["start", "03", "--dir", dir, "--timer", "30"], { home })).exitCode).toBe(0);
    const env = { DRILL_HOME: home, NO_COLOR: "1", DRILL_SKIP_PYTHON: "1" };
    const cancel = startInTmux(`node ${CLI} start 03 --timer 30 --dir ${join(tempDir(), "other")}`, env);
    await waitFor(cancel, /What now\?/);
    press(cancel, "Down");
    press(cancel, "Down");
    press(cancel, "Enter");
    await waitFor(cancel, /cancelled; nothing was changed[\s\S]*EXIT=130/);

    const name = startInTmux(`node ${CLI} start 03 --timer 30`, env, tempDir());
    await waitFor(name, /What now\?/);
    press(name, "Enter");
    // The countdown (on the alternate screen, which hides the "Continuing …" line before it).
    await waitFor(name, /03 API security · \d+:\d+ left · elapsed/);
    expect(loadHistory(home).sessions).toHaveLength(1);
    expect(existsSync(dir)).toBe(true);
  });
});
