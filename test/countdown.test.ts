// The countdown as a learner meets it, in a real terminal (tmux, 80x24): the board, keys that
// act only when pressed on purpose, a save that re-checks failing-first, and one status area
// that is redrawn in place. Read from the screen, as a person would.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fse from "fs-extra";
import { loadHistory } from "../src/core/record/history.js";
import { loadMutants, applyMutant } from "../src/core/modes/break.js";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { CLI, specIds, TEST_VENV, tempDir } from "./helpers.js";
import { hasTmux, press, resize, screen, startInTmux, visible, waitFor } from "./tmux.js";

const SIZE = { columns: 80, rows: 24 };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A deliberate key press: alone, and well apart from the one before it. */
async function pressAlone(name: string, key: string): Promise<void> {
  await pause(1200);
  press(name, key);
}

function startCountdown(args: string) {
  const home = tempDir();
  const dir = join(tempDir(), "ws");
  const name = startInTmux(`node ${CLI} start 03 --dir ${dir} ${args}`, { DRILL_HOME: home, NO_COLOR: "1" }, process.cwd(), SIZE);
  return { home, dir, name };
}
const events = (home: string) => loadHistory(home).sessions[0]?.events.map((e) => e.type);

describe.skipIf(!hasTmux)("the countdown in an 80x24 terminal", () => {
  it("shows the board under the clock, says once where to type, and keeps one status area redrawn in place", async () => {
    const { home, name } = startCountdown("--timer 30");
    const first = await waitFor(name, /\d\d:\d\d left · elapsed 00:0\d/);
    expect(first).toContain("Edit in your own editor; every save re-runs the check here.");
    // Every requirement, in the spec's order, not yet checked.
    const ids = specIds(resolvePractice("03"));
    const rows = visible(name).flatMap((line) => /^· (R03\.\d+) /.exec(line)?.[1] ?? []);
    expect(rows).toEqual(ids.slice(0, rows.length));
    expect(rows.length).toBeGreaterThanOrEqual(Math.min(ids.length, SIZE.rows - 4));
    await pause(5000);
    const later = screen(name);
    // One clock on the whole screen and nothing scrolled off above it, after five redraws.
    expect(later.match(/left · elapsed/g)).toHaveLength(1);
    expect(later).toMatch(/00:0[5-9]/);
    for (const line of visible(name)) expect(line.length).toBeLessThanOrEqual(SIZE.columns);
    expect(events(home)).toEqual(["start"]);
  });

  it("ignores `echo hi` typed into it: a note, and nothing in the record", async () => {
    const { home, name } = startCountdown("--timer 30");
    await waitFor(name, /left · elapsed/);
    press(name, "echo hi");
    press(name, "Enter");
    await waitFor(name, /this window is drill's; type in your editor/);
    // A line typed into the wrong window, key by key at typing speed, is typing too.
    for (const key of "echo hi") {
      press(name, key === " " ? "Space" : key);
      await pause(150);
    }
    await pause(1500);
    const text = screen(name);
    expect(text).not.toMatch(/PAUSED|hint \d|Take hint|Quit\?|checking/);
    expect(events(home)).toEqual(["start"]);
  });

  it("asks before a hint is spent, shows it wrapped, pauses and quits only on y", async () => {
    const { home, dir, name } = startCountdown("--timer 30");
    await waitFor(name, /left · elapsed/);
    await pressAlone(name, "h");
    await waitFor(name, /Take hint 1\/\d+\? It is counted in your record\. \[y\/n\]/);
    await pressAlone(name, "n");
    await waitFor(name, /Nothing changed\./);
    expect(events(home)).toEqual(["start"]);
    await pressAlone(name, "h");
    await waitFor(name, /Take hint 1\/\d+/);
    await pressAlone(name, "y");
    const hint = await waitFor(name, /hint 1\/\d+: [^\n]*\n[\s\S]*any key returns to the board/);
    for (const line of hint.split("\n")) expect(line.length).toBeLessThanOrEqual(SIZE.columns);
    await pressAlone(name, "Space");
    await waitFor(name, /\[c\]heck/);

    await pressAlone(name, "p");
    await waitFor(name, /PAUSED · \d\d:\d\d left/);
    await pressAlone(name, "p");
    await waitFor(name, /Resumed\./);

    await pressAlone(name, "q");
    await waitFor(name, /Quit\? The attempt is kept, recorded as abandoned\. \[y\/n\]/);
    await pressAlone(name, "n");
    await waitFor(name, /Nothing changed\./);
    await pressAlone(name, "q");
    await pressAlone(name, "y");
    const end = await waitFor(name, /EXIT=\d+/);
    expect(end).toContain("recorded as abandoned");
    expect(end).toContain("EXIT=0");
    expect(events(home)).toEqual(["start", "hint", "pause", "resume", "end"]);
    expect(existsSync(join(dir, "app"))).toBe(true);
  });

  it("redraws the frame at the new width when the terminal is resized", async () => {
    const { name } = startCountdown("--timer 30");
    await waitFor(name, /left · elapsed/);
    resize(name, 40, 12);
    await pause(1500);
    const small = visible(name);
    expect(small.join("\n")).toMatch(/left/);
    expect(small.join("\n")).toMatch(/\[c\]heck/);
    for (const line of small) expect(line.length).toBeLessThanOrEqual(40);
    resize(name, 100, 30);
    await waitFor(name, /R03\.17/);
    expect(screen(name).match(/left · elapsed/g)).toHaveLength(1);
  });

  it("re-checks on save with no key pressed: failing-first, then the full suite, and green ends it", async () => {
    const { home, dir, name } = startCountdown("--timer 30");
    await waitFor(name, /left · elapsed/);
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    const practice = resolvePractice("03");
    const total = specIds(practice).length;
    // A solution with one realistic bug: the full check runs, some requirements fail.
    const mutant = loadMutants(practice).find((m) => m.id === "one-bucket-for-all-keys");
    if (!mutant) throw new Error("mutant one-bucket-for-all-keys is gone from 03");
    fse.copySync(practice.referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
    applyMutant(dir, mutant);
    await waitFor(name, new RegExp(`last check \\d+/${total} in`), 90_000);
    const failed = screen(name);
    expect(failed).toMatch(/✘ R03\.10 two keys have separate quotas/);
    for (let i = 0; i < 100 && events(home)?.length === 1; i++) await pause(100);
    expect(events(home)).toEqual(["start", "check"]);
    // The fix: the failing requirements are re-run first, then the full suite, recorded once.
    fse.copySync(practice.referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
    await waitFor(name, /re-checking \d+ failing first|failing first: \d+\/\d+ now pass/, 60_000);
    const end = await waitFor(name, /EXIT=\d+/, 90_000);
    const words = end.replace(/\s+/g, " ");
    expect(words).toMatch(/✔ all requirements pass at \d\d:\d\d within the 30 min timer/);
    expect(words).toContain("`drill diff` shows your files beside the reference solution");
    expect(words).toContain("`drill study 03`");
    expect(end).toContain("EXIT=0");
    expect(events(home)).toEqual(["start", "check", "check"]);
    const checks = loadHistory(home).sessions[0]?.events.filter((e) => e.type === "check");
    expect(checks?.map((c) => (c.type === "check" ? c.failed : -1))).toEqual([expect.any(Number), 0]);
    expect(checks?.[0]?.type === "check" && checks[0].failed).toBeGreaterThan(0);
  });

  it("starts without watching under --no-watch (resume), and w turns watching on", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    // No terminal: start records the attempt and prints the deadline; resume brings the countdown.
    execFileSync("node", [CLI, "start", "03", "--dir", dir, "--timer", "30"], { env: { ...process.env, DRILL_HOME: home, CI: "true" } });
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    const name = startInTmux(`node ${CLI} resume --no-watch --dir ${dir}`, { DRILL_HOME: home, NO_COLOR: "1" }, process.cwd(), SIZE);
    await waitFor(name, /not watching \(w turns it on\)/);
    writeFileSync(join(dir, "app", "extra.py"), "X = 1\n");
    await pause(2500);
    expect(screen(name)).not.toMatch(/checking/);
    expect(events(home)).toEqual(["start"]);
    await pressAlone(name, "w");
    await waitFor(name, /watching \*\.py/);
    await pause(1000);
    writeFileSync(join(dir, "app", "extra.py"), "X = 2\n");
    await waitFor(name, /last check \d+\/\d+ in/, 60_000);
    // The verdict is on screen before the snapshot and the record are written.
    for (let i = 0; i < 100 && events(home)?.length === 1; i++) await pause(100);
    expect(events(home)).toEqual(["start", "check"]);
    // Left cleanly, so nothing of the check still writes in the workspace when the test ends.
    await pressAlone(name, "q");
    await pressAlone(name, "y");
    await waitFor(name, /EXIT=0/);
  });

  it("says so with a bell when the clock reaches zero, runs into overtime, and a green check ends it marked over time", async () => {
    // A 3-second timer: the clock must keep running past zero, not cut the attempt off.
    const { home, dir, name } = startCountdown("--timer 0.05");
    await waitFor(name, /left · elapsed/);
    await waitFor(name, /OVERTIME \+00:0\d · elapsed/);
    await waitFor(name, /Time is up: the clock keeps running as overtime/);
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    fse.copySync(resolvePractice("03").referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
    const end = await waitFor(name, /EXIT=\d+/, 90_000);
    expect(end.replace(/\s+/g, " ")).toMatch(/✔ all requirements pass at 00:\d\d, 00:\d\d over the 0\.05 min timer/);
    expect(end).toContain("EXIT=0");
    expect(events(home)).toEqual(["start", "check"]);
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

  it("never hangs in a terminal that reports 0 columns: the check's spinner and the countdown both go on", async () => {
    const practice = resolvePractice("03");
    const { home, dir, name } = startCountdown("--timer 30");
    await waitFor(name, /left · elapsed/);
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    fse.copySync(practice.referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
    await waitFor(name, /EXIT=0/, 90_000);
    // The same green workspace, checked in a terminal of 0 columns (ora used to divide by them).
    const check = startInTmux(
      `sh -c "stty cols 0 rows 0 && exec node ${CLI} check --dir ${dir}"`,
      { DRILL_HOME: home, NO_COLOR: "1" },
      process.cwd(),
      SIZE,
    );
    const end = await waitFor(check, /EXIT=\d+/, 90_000);
    expect(end).toContain("all requirements pass");
    expect(end).toContain("EXIT=0");
    // A countdown there draws an 80-column frame instead of nothing.
    const other = join(tempDir(), "ws");
    const countdown = startInTmux(
      `sh -c "stty cols 0 rows 0 && exec node ${CLI} start 03 --dir ${other} --timer 30"`,
      { DRILL_HOME: tempDir(), NO_COLOR: "1" },
      process.cwd(),
      SIZE,
    );
    await waitFor(countdown, /\d\d:\d\d left · elapsed/);
    await waitFor(countdown, /\[c\]heck/);
  });
});
