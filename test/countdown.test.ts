// drill start in a real terminal (tmux): the live countdown and its keys, and the question asked
// instead of overwriting an existing workspace. Read from the screen, as a person would.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fse from "fs-extra";
import { loadHistory } from "../src/core/record/history.js";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { CLI, specIds, TEST_VENV, tempDir } from "./helpers.js";
import { hasTmux, press, startInTmux, waitFor } from "./tmux.js";

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
    // Every requirement of 03 fails on the untouched scaffold, whatever their number.
    const total = specIds(resolvePractice("03")).length;
    await waitFor(name, new RegExp(`0 of ${total} requirements pass[\\s\\S]*left · elapsed .* · last check 0/${total}`));

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

  it("runs into overtime, and a green check ends the countdown marked as over time", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    // A 3-second timer: the clock must keep running past zero, not cut the attempt off.
    const name = startInTmux(`node ${CLI} start 03 --dir ${dir} --timer 0.05`, { DRILL_HOME: home, NO_COLOR: "1" });
    await waitFor(name, /left · elapsed/);
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    fse.copySync(resolvePractice("03").referenceDir, dir);
    await waitFor(name, /OVERTIME \+00:0\d · elapsed/);
    press(name, "c");
    const end = await waitFor(name, /EXIT=\d+/);
    expect(end).toMatch(/✔ all requirements pass at 00:\d\d, 00:\d\d over the 0\.05 min timer/);
    expect(end).toContain("EXIT=0");
    const session = loadHistory(home).sessions[0];
    expect(session?.events.map((e) => e.type)).toEqual(["start", "check"]);
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
