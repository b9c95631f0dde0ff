// The learner's files beside the reference solution's: which differ, which only one side has.
// Only the folders the reference has (app/) are compared, so the workspace's README, model,
// .venv and .drill are never listed; key-blocks.json is drill's, not a solution file.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { Practice } from "./practices.js";

const NOT_SOLUTION = new Set(["key-blocks.json"]);
const IGNORED_DIRS = new Set(["__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".venv", ".git", ".drill"]);

export interface ReferenceComparison {
  referenceDir: string;
  workspace: string;
  /** Paths relative to both folders, with forward slashes, sorted. */
  changed: string[];
  /** In the workspace only. */
  added: string[];
  /** In the reference only. */
  missing: string[];
  same: string[];
}

function filesUnder(root: string, dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!IGNORED_DIRS.has(entry.name)) filesUnder(root, join(dir, entry.name), out);
    } else if (entry.isFile() && !entry.name.endsWith(".pyc")) {
      out.push(relative(root, join(dir, entry.name)).split(sep).join("/"));
    }
  }
}

/** The files of the solution: the reference's top-level files and folders, minus drill's own. */
function solutionFiles(root: string, tops: string[]): Set<string> {
  const files: string[] = [];
  for (const top of tops) {
    const path = join(root, top);
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) filesUnder(root, path, files);
    else files.push(top);
  }
  return new Set(files.filter((file) => !NOT_SOLUTION.has(file)));
}

export function compareWithReference(practice: Practice, workspace: string): ReferenceComparison {
  const referenceDir = practice.referenceDir;
  const tops = readdirSync(referenceDir).filter((name) => !NOT_SOLUTION.has(name) && !IGNORED_DIRS.has(name));
  const theirs = solutionFiles(referenceDir, tops);
  const yours = solutionFiles(workspace, tops);
  const result: ReferenceComparison = { referenceDir, workspace, changed: [], added: [], missing: [], same: [] };
  for (const file of [...new Set([...theirs, ...yours])].sort()) {
    if (!yours.has(file)) result.missing.push(file);
    else if (!theirs.has(file)) result.added.push(file);
    else if (readFileSync(join(referenceDir, file)).equals(readFileSync(join(workspace, file)))) result.same.push(file);
    else result.changed.push(file);
  }
  return result;
}
