// The fire drill as a person runs it in a terminal (tmux): existing workspaces are archived, not
// deleted; skipping moves on; closing the countdown and `drill resume` continue the same run.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runProgress } from "../src/core/modes/fire-drill.js";
import { loadHistory } from "../src/core/record/history.js";
import { CLI, runCli, tempDir } from "./helpers.js";
import { hasTmux, press, startInTmux, waitFor } from "./tmux.js";

describe.skipIf(!hasTmux)("drill fire-drill in a terminal", () => {
  it("archives old work, skips on k, survives Ctrl-C, and drill resume continues the same run", async () => {
    const home = tempDir();
    const dir = tempDir();
    const old = join(dir, "drill-01-async-inference");
    mkdirSync(old);
    writeFileSync(join(old, "notes.txt"), "my earlier work");

    const first = startInTmux(`node ${CLI} fire-drill`, { DRILL_HOME: home, NO_COLOR: "1" }, dir);
    await waitFor(first, /3:59:\d\d left · 01 \(1\/\d\) split/);
    const archived = readdirSync(dir).find((f) => f.startsWith("drill-01-async-inference.before-fire-drill-"));
    expect(archived).toBeDefined();
    expect(readFileSync(join(dir, archived as string, "notes.txt"), "utf8")).toBe("my earlier work");
    expect(existsSync(join(old, "app", "main.py"))).toBe(true);

    press(first, "k");
    await waitFor(first, /Skip 01 Async ML inference\? It is recorded as skipped\. \[y\/n\]/);
    await new Promise((r) => setTimeout(r, 1200));
    press(first, "y");
    // The countdown redraws its one frame: the new practice's clock, and where its workspace is.
    await waitFor(first, /03 \(2\/\d\) split[\s\S]*fire drill: next up 03 API security in /);
    press(first, "C-c");
    await waitFor(first, /EXIT=130/);

    const status = JSON.parse((await runCli(["status", "--json"], { home })).stdout);
    expect(status).toMatchObject({ practice: "03-api-security", mode: "fire-drill", status: "active" });
    expect(status.fireDrill.splits.map((s: { outcome: string }) => s.outcome)).toEqual(["skipped", "open"]);

    const again = startInTmux(`node ${CLI} resume`, { DRILL_HOME: home, NO_COLOR: "1" }, dir);
    await waitFor(again, /left · 03 \(2\/\d\) split/);
    press(again, "q");
    await waitFor(again, /Quit\?/);
    // Keys that change the record count only as single presses, apart from each other.
    await new Promise((r) => setTimeout(r, 1200));
    press(again, "y");
    await waitFor(again, /EXIT=0/);

    const history = loadHistory(home);
    expect(history.runs).toHaveLength(1);
    const progress = runProgress(history, history.runs[0]!);
    expect(progress.run.end?.outcome).toBe("abandoned");
    expect(progress.splits.map((s) => [s.practice, s.outcome])).toEqual([
      ["01-async-inference", "skipped"],
      ["03-api-security", "abandoned"],
    ]);
    // The run's total is the sum of its splits, each from its own events.
    expect(progress.totalMs).toBe(progress.splits[0]!.ms + progress.splits[1]!.ms);
  });
});

describe("drill fire-drill without a terminal", () => {
  it("lays out the first practice, prints the clock and exits 0; a second one is refused while the first runs", async () => {
    const home = tempDir();
    const dir = tempDir();
    const result = await runCli(["fire-drill", "--dir", dir], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain("the 4-hour clock runs from now");
    expect(existsSync(join(dir, "drill-01-async-inference", "README.md"))).toBe(true);
    const second = await runCli(["fire-drill", "--dir", dir], { home });
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toMatch(/a fire drill started .* is still running/);
    expect(execFileSync("git", ["log", "--format=%s"], { cwd: join(dir, "drill-01-async-inference"), encoding: "utf8" }).trim()).toBe(
      "drill fire-drill: 01-async-inference (scaffold)",
    );
  });
});
