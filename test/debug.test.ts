// drill debug, end to end through the built CLI: a debugging drill laid out with its symptom and
// time box, the ways it refuses, its place in drill list, and its attempt checked like any other.
import { existsSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { keyBlocks } from "../src/core/catalog/study.js";
import { loadHistory } from "../src/core/record/history.js";
import { expectCleanFailure, git, runCli, tempDir, TEST_VENV } from "./helpers.js";

const D1 = resolvePractice("D1");

describe("drill debug", () => {
  it("lays out the broken app with the spec, shows the symptom and starts the drill's time box", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    const result = await runCli(["debug", "cors", "--dir", dir], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain("has been blocked by CORS policy");
    expect(result.stdout).toMatch(/time box 15:00/);
    expect(result.stdout).toMatch(/timer: 15 min, due at/);
    expect(result.stdout).toMatch(/RD1\.2 Preflights from the front end's origin succeed/);
    expect(result.stdout).toContain("find and fix the bug");
    // The broken app itself, not a skeleton: the scaffold as shipped, with the shared model.
    expect(readFileSync(join(dir, "app", "main.py"), "utf8")).toBe(readFileSync(join(D1.scaffoldDir, "app", "main.py"), "utf8"));
    for (const file of ["README.md", "model.py", "app/settings.py", ".drill/session.json"])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(git(dir, "log", "--format=%s")).toBe("drill start: d1-cors (scaffold)");
    const [session] = loadHistory(home).sessions;
    expect(session).toMatchObject({ practice: "d1-cors", workspace: dir, timerMinutes: 15, phase: 2, mode: "drill" });
  });

  it("takes the id too, and --timer overrides the time box", async () => {
    const home = tempDir();
    const result = await runCli(["debug", "D1", "--dir", join(tempDir(), "ws"), "--timer", "20"], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(loadHistory(home).sessions[0]).toMatchObject({ practice: "d1-cors", timerMinutes: 20 });
  });

  it("without a name and without a terminal: one line naming the drills, nothing laid out", async () => {
    const home = tempDir();
    const result = await runCli(["debug"], { home });
    expectCleanFailure(result, /name the debugging drill to start, one of: cors \(D1, A CORS error\)/);
    expect(result.all?.trim().split("\n")).toHaveLength(1);
    expect(loadHistory(home).sessions).toHaveLength(0);
  });

  it("an unknown drill, a practice, and a debugging drill given to drill start or drill break: each a clear refusal", async () => {
    const home = tempDir();
    expectCleanFailure(await runCli(["debug", "nope"], { home }), /there is no debugging drill "nope"/);
    expectCleanFailure(await runCli(["debug", "03"], { home }), /there is no debugging drill "03"/);
    expectCleanFailure(await runCli(["start", "D1"], { home }), /D1 is a debugging drill: `drill debug cors`/);
    expectCleanFailure(await runCli(["break", "cors"], { home }), /D1 is a debugging drill, broken already: `drill debug cors`/);
    expect(loadHistory(home).sessions).toHaveLength(0);
  });

  it("the attempt is checked like any other: the broken app fails exactly the drill's broken requirements", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    expect((await runCli(["debug", "cors", "--dir", dir], { home })).exitCode).toBe(0);
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    const check = await runCli(["check", "--dir", dir], { home });
    expect(check.exitCode, check.all).toBe(1);
    const failed = [...(check.stdout.matchAll(/✘ (RD1\.\d) /g) ?? [])].map((m) => m[1]);
    expect([...new Set(failed)].sort()).toEqual(D1.debug?.brokenRequirements);
    const status = JSON.parse((await runCli(["status", "--dir", dir, "--json"], { home })).stdout);
    expect(status).toMatchObject({ checks: 1 });
  });
});

describe("drill list", () => {
  it("shows the debugging drills apart from the practices, as text and as JSON", async () => {
    const home = tempDir();
    const text = (await runCli(["list"], { home })).stdout;
    const section = text.indexOf("Debugging drills");
    expect(section).toBeGreaterThan(text.indexOf("10  Event-driven queue"));
    expect(text.slice(section)).toMatch(/D1\s+cors\s+A CORS error\s+not yet green\s+box 15:00/);
    expect(text.slice(0, section)).not.toContain("D1");
    const rows = JSON.parse((await runCli(["list", "--json"], { home })).stdout) as Array<{ id: string; kind: string; name?: string }>;
    expect(rows.find((row) => row.id === "D1")).toMatchObject({ kind: "debug", name: "cors", timeBoxMinutes: 15 });
    expect(rows.find((row) => row.id === "03")).toMatchObject({ kind: "practice" });
  });
});

describe("drill study of a debugging drill", () => {
  it("shows the fix's key blocks (each found in the reference) and points back to drill debug", async () => {
    expect(keyBlocks(D1).map((block) => block.file)).toEqual(["app/main.py", "app/settings.py"]);
    const study = await runCli(["study", "D1", "--blocks-only"], { home: tempDir() });
    expect(study.exitCode, study.all).toBe(0);
    expect(study.stdout).toContain("next: the broken app against the clock with `drill debug cors`");
  });
});
