// The workspace as a git timeline: one commit when it is created, one per check, so the
// learner can diff how the solution grew.
import { CheckRepoActions, simpleGit, type SimpleGit } from "simple-git";

const FALLBACK_IDENTITY = ["user.name=drill", "user.email=drill@localhost"];

async function gitFor(dir: string): Promise<SimpleGit> {
  const probe = simpleGit(dir);
  const email = await probe.raw(["config", "user.email"]).catch(() => "");
  // Use the learner's identity when git has one; otherwise sign as drill rather than fail.
  return email.trim() ? probe : simpleGit(dir, { config: FALLBACK_IDENTITY });
}

export async function initWorkspaceRepo(dir: string, message: string): Promise<void> {
  const git = await gitFor(dir);
  await git.init();
  await git.add(["-A"]);
  await git.commit(message);
}

/** Commits everything in the workspace; returns the short hash, or undefined if git is unusable. */
export async function snapshotWorkspace(dir: string, message: string): Promise<string | undefined> {
  try {
    const git = await gitFor(dir);
    if (!(await git.checkIsRepo(CheckRepoActions.IS_REPO_ROOT))) await git.init();
    await git.add(["-A"]);
    const result = await git.commit(message, undefined, { "--allow-empty": null });
    return result.commit || undefined;
  } catch {
    return undefined;
  }
}
