// Phase 2's `drill break`: one realistic bug in a passing solution (the learner's latest, else
// the reference), committed once so the diff gives nothing away, and caught by `drill check`.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fse from "fs-extra";
import { describe, expect, it } from "vitest";
import { applicableMutants, describeMutant, findPassingSolution, loadMutants, pickMutant, type Mutant } from "../src/core/modes/break.js";
import { appendHistory, loadHistory, type History, type Session } from "../src/core/record/history.js";
import { resolvePractice, type Practice } from "../src/core/catalog/practices.js";
import { KEY_BLOCKS_FILE } from "../src/core/catalog/study.js";
import { git, STACK_LINE, TEST_VENV, runCli, tempDir } from "./helpers.js";

const BREAK_COMMIT = "drill break: a passing solution with one bug in it";
const practice = resolvePractice("03");

/** The reference solution's code files, relative to its folder (a learner who typed it has the same). */
function referenceFiles(p: Practice): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fse.readdirSync(join(p.referenceDir, relative), { withFileTypes: true })) {
      // Tool caches (a local mypy or ruff run leaves .mypy_cache, __pycache__) are no part of it.
      if (entry.name.startsWith(".") || entry.name === "__pycache__") continue;
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (path !== KEY_BLOCKS_FILE) files.push(path);
    }
  };
  walk("");
  return files;
}

/** Every file of the solution is in the workspace as it was, except for exactly the mutant's edits. */
function expectSolutionWithMutant(solutionDir: string, dir: string, mutant: Mutant): void {
  const expected = new Map(referenceFiles(practice).map((file) => [file, readFileSync(join(solutionDir, file), "utf8")]));
  for (const edit of mutant.edits) {
    const text = expected.get(edit.file) as string;
    expect(text.split(edit.find)).toHaveLength(2);
    expected.set(edit.file, text.split(edit.find).join(edit.replace));
  }
  for (const [file, text] of expected) expect(readFileSync(join(dir, file), "utf8"), file).toBe(text);
}

function mutantOf(session: Session): Mutant {
  const mutant = loadMutants(practice).find((m) => m.id === session.mutant);
  if (!mutant) throw new Error(`the session names no mutant of 03: ${session.mutant}`);
  return mutant;
}

function onlySession(home: string): Session {
  const { sessions } = loadHistory(home);
  expect(sessions).toHaveLength(1);
  return sessions[0] as Session;
}

function breakSession(home: string): Session {
  const sessions = loadHistory(home).sessions.filter((s) => s.mode === "break");
  expect(sessions).toHaveLength(1);
  return sessions[0] as Session;
}

/** A workspace made by `drill start`, with the reference solution typed in and the test venv linked. */
async function learnerWorkspace(home: string): Promise<string> {
  const dir = join(tempDir(), "mine");
  const started = await runCli(["start", "03", "--dir", dir], { home });
  expect(started.exitCode, started.all).toBe(0);
  fse.copySync(practice.referenceDir, dir, { filter: (src) => !src.endsWith(KEY_BLOCKS_FILE) });
  symlinkSync(TEST_VENV, join(dir, ".venv"));
  return dir;
}

describe("choosing and injecting a bug", () => {
  it("every mutant fits the reference; a mutant whose text is missing or occurs twice does not fit", () => {
    const mutants = loadMutants(practice);
    expect(applicableMutants(practice, practice.referenceDir).map((m) => m.id)).toEqual(mutants.map((m) => m.id));

    const solution = tempDir();
    fse.copySync(practice.referenceDir, solution);
    const [first] = mutants[0]?.edits ?? [];
    if (!first) throw new Error("practice 03 has mutants with edits");
    writeFileSync(join(solution, first.file), `${readFileSync(join(solution, first.file), "utf8")}\n${first.find}\n`);
    const fitting = applicableMutants(practice, solution).map((m) => m.id);
    expect(fitting).not.toContain(mutants[0]?.id);
    expect(fitting.length).toBeGreaterThan(0);
    expect(applicableMutants(practice, tempDir())).toEqual([]);
  });

  it("picks at random, preferring bugs not injected before", () => {
    const mutants = loadMutants(practice).slice(0, 3);
    const [a, b, c] = mutants.map((m) => m.id);
    expect(pickMutant(mutants, () => 0).id).toBe(a);
    expect(pickMutant(mutants, () => 0.99).id).toBe(c);
    expect(pickMutant(mutants, () => 0, new Set([a as string])).id).toBe(b);
    expect(pickMutant(mutants, () => 0, new Set([a, b, c] as string[])).id).toBe(a);
  });

  it("describes a mutant by id, for the reveal after the fix", () => {
    const mutant = loadMutants(practice)[0] as Mutant;
    expect(describeMutant(practice, mutant.id)).toBe(mutant.description);
    expect(describeMutant(practice, "no-such-bug")).toBeUndefined();
  });

  it("takes the reference when the only green sessions are break sessions or have lost their workspace", async () => {
    const green = {
      type: "check" as const,
      at: "2025-01-02T00:00:00.000Z",
      mode: "managed" as const,
      passed: 14,
      failed: 0,
      skipped: 0,
      requirements: {},
      commit: "abc1234",
    };
    const session = (mode: Session["mode"], workspace: string): Session => ({
      id: mode,
      practice: practice.slug,
      workspace,
      phase: 2,
      timerMinutes: 45,
      mode,
      startedAt: "2025-01-01T00:00:00.000Z",
      events: [green],
    });
    const history: History = {
      sessions: [session("break", tempDir()), session("drill", "/nonexistent/workspace")],
      runs: [],
      studies: [],
      activeSessionId: null,
      damaged: [],
    };
    expect(await findPassingSolution(practice, history)).toEqual({ source: "reference", dir: practice.referenceDir });
  });
});

describe("drill break", () => {
  it("from the reference: one commit with the bug already in it, a break session, and a check that fails", async () => {
    const home = tempDir();
    const cwd = tempDir();
    const result = await runCli(["break", "03"], { home, cwd });
    expect(result.exitCode, result.all).toBe(0);
    const dir = join(cwd, "drill-03-api-security-break");
    expect(result.stdout).toContain("One realistic bug was injected into a passing solution of 03 (the reference solution)");
    expect(result.stdout).toMatch(/timer: 15 min, due at/);

    const session = onlySession(home);
    expect(session).toMatchObject({ practice: practice.slug, workspace: dir, mode: "break", phase: 2, timerMinutes: 15 });
    const mutant = mutantOf(session);
    expect(result.all).not.toContain(mutant.id);
    expect(result.all).not.toContain(mutant.description);
    for (const edit of mutant.edits) expect(result.all).not.toContain(edit.file);

    expect(git(dir, "log", "--format=%s").split("\n")).toEqual([BREAK_COMMIT]);
    expect(git(dir, "status", "--porcelain")).toBe("");
    expect(existsSync(join(dir, KEY_BLOCKS_FILE))).toBe(false);
    expectSolutionWithMutant(practice.referenceDir, dir, mutant);

    symlinkSync(TEST_VENV, join(dir, ".venv"));
    const check = await runCli(["check", "--dir", dir, "--json"], { home });
    expect(check.exitCode, check.all).toBe(1);
    const { requirements } = JSON.parse(check.stdout) as { requirements: Record<string, string> };
    for (const id of mutant.caughtBy) expect(requirements[id], `${id} with ${mutant.id}`).toBe("failed");
  });

  it("from the learner's last passing workspace: their own code, without their venv, and their workspace untouched", async () => {
    const home = tempDir();
    const mine = await learnerWorkspace(home);
    const marker = "# typed by me, not copied";
    fse.appendFileSync(join(mine, "app", "routes.py"), `\n${marker}\n`);
    const green = await runCli(["check", "--dir", mine], { home });
    expect(green.exitCode, green.all).toBe(0);

    const dir = join(tempDir(), "broken");
    const result = await runCli(["break", "03", "--dir", dir, "--timer", "20"], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/injected into a passing solution of 03 \(yours, green on .+\)/);
    expect(readFileSync(join(dir, "app", "routes.py"), "utf8")).toContain(marker);
    expect(existsSync(join(dir, ".venv"))).toBe(false);
    expect(git(dir, "log", "--format=%s").split("\n")).toEqual([BREAK_COMMIT]);
    const session = breakSession(home);
    expect(session).toMatchObject({ workspace: dir, mode: "break", timerMinutes: 20 });
    expectSolutionWithMutant(mine, dir, mutantOf(session));
    expect(git(mine, "log", "--format=%s").split("\n")).toHaveLength(2);
    expect(git(mine, "status", "--porcelain")).toBe("");
  });

  it("without a practice: the one last green; and the reference when no bug fits the learner's code", async () => {
    const home = tempDir();
    // A green check recorded on the untouched scaffold: no mutant's text is in it.
    const scaffold = join(tempDir(), "scaffold");
    expect((await runCli(["start", "03", "--dir", scaffold], { home })).exitCode).toBe(0);
    const { id } = onlySession(home);
    appendHistory(
      [
        {
          type: "check",
          at: new Date().toISOString(),
          session: id,
          mode: "managed",
          passed: 14,
          failed: 0,
          skipped: 0,
          requirements: {},
          commit: git(scaffold, "rev-parse", "--short", "HEAD"),
        },
      ],
      home,
    );

    const dir = join(tempDir(), "broken");
    const result = await runCli(["break", "--dir", dir], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain("fits your code as written, so it goes into the reference solution");
    expect(result.stdout).toContain("passing solution of 03 (the reference solution)");
    expectSolutionWithMutant(practice.referenceDir, dir, mutantOf(breakSession(home)));
  });

  it("never overwrites an existing folder", async () => {
    const home = tempDir();
    const dir = tempDir();
    mkdirSync(join(dir, "app"));
    writeFileSync(join(dir, "app", "main.py"), "# my work\n");
    const result = await runCli(["break", "03", "--dir", dir], { home });
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/already exists and is not empty; drill never overwrites it/);
    expect(result.all).not.toMatch(STACK_LINE);
    expect(readFileSync(join(dir, "app", "main.py"), "utf8")).toBe("# my work\n");
    expect(loadHistory(home).sessions).toEqual([]);
  });

  it("asks for a practice when none has passed yet", async () => {
    const home = tempDir();
    const result = await runCli(["break"], { home, cwd: tempDir() });
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/name the practice to break, for example `drill break 03`/);
    expect(result.all).not.toMatch(STACK_LINE);
    expect(existsSync(join(home, "history.jsonl"))).toBe(false);
  });
});
