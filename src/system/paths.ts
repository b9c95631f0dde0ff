// Where drill's bundled assets live (found from this file, never from the current directory)
// and where the learner's state lives.
import { existsSync, mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root: the nearest folder above this file with a package.json. This file is
 * src/system/paths.ts in development and part of a chunk in dist/ when built, where the bundler,
 * not this file, decides how deep it sits.
 */
export const PACKAGE_ROOT = packageRootAbove(dirname(fileURLToPath(import.meta.url)));
export const DRILLS_DIR = join(PACKAGE_ROOT, "drills");
export const SHARED_DIR = join(DRILLS_DIR, "_shared");
export const HIDDEN_TESTS_DIR = join(PACKAGE_ROOT, "hidden-tests");
export const REFERENCE_DIR = join(PACKAGE_ROOT, "reference-solutions");

function packageRootAbove(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`drill's package.json was not found above ${from}`);
  }
}

/** The per-user data directory: $DRILL_HOME, else $XDG_DATA_HOME/drill, else ~/.local/share/drill. */
export function drillHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DRILL_HOME) return resolve(env.DRILL_HOME);
  const base = env.XDG_DATA_HOME ? resolve(env.XDG_DATA_HOME) : join(homedir(), ".local", "share");
  return join(base, "drill");
}

/**
 * `mkdir -p`, one folder at a time from the nearest one that exists. Node's recursive mkdir
 * spins forever where a parent exists but refuses children with ENOENT (under /proc); this
 * throws the first real error instead, with its code (EACCES, ENOTDIR, EROFS, ...).
 */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      if (statSync(current).isDirectory()) break;
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${current}'`), { code: "ENOTDIR", path: current });
    } catch (error) {
      if ((error as { code?: string }).code !== "ENOENT") throw error;
      const parent = dirname(current);
      if (parent === current) throw error;
      missing.push(current);
      current = parent;
    }
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      // Made meanwhile by another drill: fine, if it is a folder.
      if ((error as { code?: string }).code !== "EEXIST" || !statSync(dir).isDirectory()) throw error;
    }
  }
}
