// Creating an attempt: a fresh workspace for a practice (scaffold, model, spec, optionally a
// solution to start from), its own git repository, and the session's start in the history.
import type { Session, StartFields } from "./history.js";
import { newSessionId } from "./history.js";
import type { Practice } from "../catalog/practices.js";
import { startSession } from "./sessions.js";
import { initWorkspaceRepo } from "../workspace/snapshot.js";
import { createWorkspace } from "../workspace/workspace.js";

export interface AttemptOptions {
  practice: Practice;
  dir: string;
  fields: Omit<StartFields, "practice" | "workspace">;
  /** Lays extra files into the new workspace before its first commit (drill break). */
  prepare?: (dir: string) => Promise<void>;
  commitMessage?: string;
}

export async function createAttempt(options: AttemptOptions): Promise<Session> {
  const { practice, dir } = options;
  const id = newSessionId();
  const createdAt = new Date();
  await createWorkspace(practice, dir, { version: 1, sessionId: id, practice: practice.slug, createdAt: createdAt.toISOString() });
  await options.prepare?.(dir);
  await initWorkspaceRepo(dir, options.commitMessage ?? `drill start: ${practice.slug} (scaffold)`);
  // The clock starts once the workspace is ready.
  return startSession({ practice: practice.slug, workspace: dir, ...options.fields }, id);
}
