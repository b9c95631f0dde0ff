// Shared helpers for drill's own tests: temp dirs that always go away, the built CLI run as a
// learner would (no TTY, CI=true, no colour), workspaces built from a practice's parts.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa, type Options } from "execa";
import fse from "fs-extra";
import { afterEach, expect } from "vitest";
import { DrillError } from "../src/system/errors.js";
import type { Practice } from "../src/core/catalog/practices.js";
import { SHARED_DIR } from "../src/system/paths.js";
import { applyMutant, type Mutant } from "../src/core/modes/break.js";
import { REQUIREMENT_IDS_IN_TEXT } from "../src/core/catalog/requirement-id.js";

export const ROOT = resolve(import.meta.dirname, "..");
export const CLI = join(ROOT, "bin", "drill.js");
/** The Python environment with every practice's requirements (made by scripts/python-env.sh). */
export const TEST_VENV = process.env.DRILL_TEST_VENV ?? join(ROOT, ".venv");

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = "drill-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Runs the built binary the way CI would: no stdin, CI=true, no colour, bounded time. */
export async function runCli(
  args: string[],
  options: { home: string; cwd?: string; env?: Record<string, string>; timeout?: number } & Pick<Options, "input"> = { home: "" },
) {
  return execa(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: { CI: "true", FORCE_COLOR: "0", NO_COLOR: "1", DRILL_HOME: options.home, ...options.env },
    reject: false,
    stdin: "ignore",
    timeout: options.timeout ?? 90_000,
    all: true,
  });
}

export interface WorkspaceOptions {
  /** Overlay the reference solution (otherwise: the untouched scaffold). */
  reference?: boolean;
  /** A mutant to inject after the overlay, the way `drill break` does. */
  mutant?: Mutant;
}

/** A workspace as a learner would have it: scaffold + shared files (+ reference, + edits), with the test venv linked in. */
export function buildWorkspace(practice: Practice, options: WorkspaceOptions = {}): string {
  const dir = tempDir(`drill-${practice.id}-`);
  fse.copySync(practice.scaffoldDir, dir);
  for (const file of practice.shared) fse.copySync(join(SHARED_DIR, file), join(dir, file));
  if (options.reference) {
    fse.copySync(practice.referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
  }
  if (options.mutant) applyMutant(dir, options.mutant);
  if (!existsSync(join(TEST_VENV, "bin", "python"))) {
    throw new Error(`no Python environment at ${TEST_VENV}: run scripts/python-env.sh first`);
  }
  symlinkSync(TEST_VENV, join(dir, ".venv"));
  return dir;
}

/** The requirement ids a practice's spec states, in number order. */
export function specIds(practice: Practice): string[] {
  return [...new Set(readFileSync(practice.specPath, "utf8").match(REQUIREMENT_IDS_IN_TEXT) ?? [])].sort(byId);
}

export function byId(a: string, b: string): number {
  return Number(a.split(".")[1]) - Number(b.split(".")[1]);
}

/** The DrillError code `fn` throws, "not a DrillError" for any other error, undefined if it returns. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof DrillError ? error.code : "not a DrillError";
  }
  return undefined;
}

/** A line of a JavaScript stack trace: what a learner must never see from a foreseeable mistake. */
export const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

/** A foreseeable mistake: exit 2, one clear line matching `pattern`, no stack trace. */
export function expectCleanFailure(result: { exitCode?: number | undefined; all?: string | undefined }, pattern: RegExp): void {
  expect(result.exitCode, result.all).toBe(2);
  expect(result.all).toMatch(pattern);
  expect(result.all).not.toMatch(STACK_LINE);
}

/** `drill start` of a practice in a new temp folder (`…/ws`), as a learner would; the folder. */
export async function startWorkspace(home: string, practice = "01"): Promise<string> {
  const dir = join(tempDir(), "ws");
  const result = await runCli(["start", practice, "--dir", dir, "--timer", "60"], { home });
  expect(result.exitCode, result.all).toBe(0);
  return dir;
}

/** `git <args>` in `dir`, its output trimmed. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8" }).trim();
}

/** Is any process with this pid alive? */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
