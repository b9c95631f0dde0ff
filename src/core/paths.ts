// Where drill's bundled assets live (found from this file, never from the current directory)
// and where the learner's state lives.
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The package root: src/core/ in development, dist/core/ when built. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DRILLS_DIR = join(PACKAGE_ROOT, "drills");
export const SHARED_DIR = join(DRILLS_DIR, "_shared");
export const HIDDEN_TESTS_DIR = join(PACKAGE_ROOT, "hidden-tests");
export const REFERENCE_DIR = join(PACKAGE_ROOT, "reference-solutions");

/** The per-user data directory: $DRILL_HOME, else $XDG_DATA_HOME/drill, else ~/.local/share/drill. */
export function drillHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DRILL_HOME) return resolve(env.DRILL_HOME);
  const base = env.XDG_DATA_HOME ? resolve(env.XDG_DATA_HOME) : join(homedir(), ".local", "share");
  return join(base, "drill");
}
