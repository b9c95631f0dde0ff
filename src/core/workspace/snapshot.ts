// The workspace as a git timeline: one commit when it is created, one per check, so the
// learner can diff how the solution grew.
import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CheckRepoActions, simpleGit, type SimpleGit } from "simple-git";

const FALLBACK_IDENTITY = ["user.name=drill", "user.email=drill@localhost"];

/**
 * The workspace's Python environment is never part of a snapshot. `.venv/` in the workspace's
 * .gitignore misses a .venv that is a symlink, and a learner may change .gitignore, so it is
 * kept out three ways: .git/info/exclude (without a trailing slash, so a symlink matches), a
 * pathspec on every `git add` (which wins over any .gitignore), and out of the index if an
 * older snapshot took it in.
 */
const VENV = ".venv";
const EXCLUDE_LINE = `/${VENV}`;
/**
 * Glob patterns rather than the literal name: git refuses (exit 1) an `add` whose pathspec
 * names an ignored path literally, even to exclude it. The second covers a folder's contents.
 */
const VENV_PATHSPECS = [":(exclude,glob)[.]venv", ":(exclude,glob)[.]venv/**"];

export interface Snapshot {
  /** The commit's hash, when one was made. */
  commit?: string;
  /** Why no commit was made (git's lock is held, git is missing, ...). */
  skipped?: string;
}

async function gitFor(dir: string): Promise<SimpleGit> {
  const probe = simpleGit(dir);
  const email = await probe.raw(["config", "user.email"]).catch(() => "");
  // Use the learner's identity when git has one; otherwise sign as drill rather than fail.
  return email.trim() ? probe : simpleGit(dir, { config: FALLBACK_IDENTITY });
}

/** Best effort: the pathspec in stageWork keeps the venv out even where this cannot be written. */
function excludeVenv(dir: string): void {
  const gitDir = join(dir, ".git");
  // A .git file (a worktree) points elsewhere; its exclude file is not ours to find.
  if (!existsSync(gitDir) || !statSync(gitDir).isDirectory()) return;
  const info = join(gitDir, "info");
  const file = join(info, "exclude");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "";
  if (current.split("\n").some((line) => line.trim() === EXCLUDE_LINE)) return;
  mkdirSync(info, { recursive: true });
  appendFileSync(
    file,
    `${current && !current.endsWith("\n") ? "\n" : ""}# drill: the Python environment is never committed\n${EXCLUDE_LINE}\n`,
  );
}

/** Stages everything the learner made, and nothing of the venv. */
async function stageWork(git: SimpleGit, dir: string): Promise<void> {
  try {
    excludeVenv(dir);
  } catch {
    // kept out by the pathspec below all the same
  }
  await git.raw(["rm", "-r", "--cached", "--quiet", "--ignore-unmatch", "--", VENV]);
  await git.raw(["add", "-A", "--", ".", ...VENV_PATHSPECS]);
}

export async function initWorkspaceRepo(dir: string, message: string): Promise<void> {
  const git = await gitFor(dir);
  await git.init();
  await stageWork(git, dir);
  await git.commit(message);
}

/** git's own words for a failure, on one line. */
function gitReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line =
    message
      .split("\n")
      .map((l) => l.trim())
      .find((l) => /^(fatal|error):/.test(l)) ??
    message.split("\n").find((l) => l.trim()) ??
    "git failed";
  return line.trim().slice(0, 200);
}

/**
 * Commits everything in the workspace. Never throws: a snapshot is a convenience, so when it
 * cannot be made the check goes on and the reason is returned to be shown.
 */
export async function snapshotWorkspace(dir: string, message: string): Promise<Snapshot> {
  if (existsSync(join(dir, ".git", "index.lock"))) {
    return {
      skipped:
        "git's lock file .git/index.lock is there (another git command is running in the workspace, or one crashed; if none runs, delete that file)",
    };
  }
  try {
    const git = await gitFor(dir);
    if (!(await git.checkIsRepo(CheckRepoActions.IS_REPO_ROOT))) await git.init();
    await stageWork(git, dir);
    const result = await git.commit(message, undefined, { "--allow-empty": null });
    return result.commit ? { commit: result.commit } : { skipped: "git made no commit" };
  } catch (error) {
    return { skipped: gitReason(error) };
  }
}
