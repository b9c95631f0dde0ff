// Creating an attempt: a fresh workspace for a practice (scaffold, model, spec, optionally a
// solution to start from), its own git repository, and the session's start in the history.
import type { Session, StartFields } from "./history.js";
import { appendHistory, newSessionId } from "./history.js";
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
  /**
   * Readies the workspace before the clock starts (drill start: its Python environment), so
   * setup time never counts. When it fails, the attempt is recorded with its clock paused from
   * the first instant, the workspace is kept, and the error is thrown as an AttemptNotReady.
   */
  beforeClock?: (dir: string) => Promise<void>;
}

/** The workspace was laid out and recorded (clock paused), but `beforeClock` failed. */
export class AttemptNotReady extends Error {
  constructor(
    readonly session: Session,
    override readonly cause: unknown,
  ) {
    super("the attempt's workspace is laid out, but not ready");
    this.name = "AttemptNotReady";
  }
}

export async function createAttempt(options: AttemptOptions): Promise<Session> {
  const { practice, dir } = options;
  const id = newSessionId();
  const createdAt = new Date();
  await createWorkspace(practice, dir, { version: 1, sessionId: id, practice: practice.slug, createdAt: createdAt.toISOString() });
  await options.prepare?.(dir);
  await initWorkspaceRepo(dir, options.commitMessage ?? `drill start: ${practice.slug} (scaffold)`);
  try {
    await options.beforeClock?.(dir);
  } catch (error) {
    const now = new Date();
    const session = startSession({ practice: practice.slug, workspace: dir, ...options.fields }, id, now);
    appendHistory([{ type: "pause", at: now.toISOString(), session: id }]);
    throw new AttemptNotReady({ ...session, events: [...session.events, { type: "pause", at: now.toISOString() }] }, error);
  }
  // The clock starts once the workspace is ready.
  return startSession({ practice: practice.slug, workspace: dir, ...options.fields }, id);
}
