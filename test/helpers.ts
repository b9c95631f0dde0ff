// Shared helpers for drill's own tests: temp dirs that always go away, the built CLI run as a
// learner would (no TTY, CI=true, no colour), workspaces built from a practice's parts.
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa, type Options } from "execa";
import fse from "fs-extra";
import { afterEach } from "vitest";
import { DrillError } from "../src/system/errors.js";
import type { Practice } from "../src/core/catalog/practices.js";
import { SHARED_DIR } from "../src/system/paths.js";

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
  /** Edits to apply after the overlay (a mutant). */
  edits?: Array<{ file: string; find: string; replace: string }>;
}

/** A workspace as a learner would have it: scaffold + shared files (+ reference, + edits), with the test venv linked in. */
export function buildWorkspace(practice: Practice, options: WorkspaceOptions = {}): string {
  const dir = tempDir(`drill-${practice.id}-`);
  fse.copySync(practice.scaffoldDir, dir);
  for (const file of practice.shared) fse.copySync(join(SHARED_DIR, file), join(dir, file));
  if (options.reference) {
    fse.copySync(practice.referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
  }
  for (const edit of options.edits ?? []) {
    const path = join(dir, edit.file);
    const text = readFileSync(path, "utf8");
    const count = text.split(edit.find).length - 1;
    if (count !== 1) throw new Error(`mutant edit for ${edit.file}: "${edit.find}" occurs ${count} times, expected exactly once`);
    fse.writeFileSync(path, text.replace(edit.find, edit.replace));
  }
  if (!existsSync(join(TEST_VENV, "bin", "python"))) {
    throw new Error(`no Python environment at ${TEST_VENV}: run scripts/python-env.sh first`);
  }
  symlinkSync(TEST_VENV, join(dir, ".venv"));
  return dir;
}

/** The requirement ids a practice's spec states, in number order. */
export function specIds(practice: Practice): string[] {
  return [...new Set(readFileSync(practice.specPath, "utf8").match(/\bR\d{2}\.\d+\b/g) ?? [])].sort(byId);
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

/** Is any process with this pid alive? */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
