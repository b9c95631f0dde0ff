// Recording a check: the one place that builds its history event, snapshots the workspace,
// appends the event and, in a fire drill, moves the run on. It prints nothing: it returns what
// happened, and the caller shows it (in the order the learner should read it).
import type { CheckOutcome } from "../check/run-check.js";
import type { Advance } from "../modes/fire-drill.js";
import { snapshotWorkspace } from "../workspace/snapshot.js";
import { appendHistory, type HistoryRecord } from "./history.js";
import type { ActiveSession } from "./sessions.js";
import { activeMs, formatDuration } from "./timeline.js";

/** What a check came to: a verdict, or a server that crashed or never got ready (the learner's code ran). */
export type CheckResult = { kind: "verdict"; outcome: CheckOutcome } | { kind: "server-failed"; mode: CheckOutcome["mode"]; error: string };

export interface RecordedCheck {
  /** Active time since the session started, at the check's start. */
  elapsedMs: number;
  commit: string | undefined;
  /** Why the workspace could not be snapshotted (the check itself still counts). */
  snapshotSkipped?: string;
  /** Why the check is not in the record (the history could not be written); absent when it is. */
  notRecorded?: unknown;
  /** In a fire drill, after a recorded check: what the run did next, or why it could not move on. */
  fireDrill?: Advance | { kind: "failed"; error: Error };
}

type CheckEvent = Extract<HistoryRecord, { type: "check" }>;

function checkEvent(result: CheckResult, at: Date, sessionId: string, commit: string | undefined): CheckEvent {
  const figures =
    result.kind === "verdict"
      ? {
          mode: result.outcome.mode,
          passed: result.outcome.passed,
          failed: result.outcome.failed,
          skipped: result.outcome.skipped,
          requirements: result.outcome.requirements,
        }
      : { mode: result.mode, passed: 0, failed: 0, skipped: 0, requirements: {}, error: result.error };
  return { type: "check", at: at.toISOString(), ...figures, ...(commit ? { commit } : {}), session: sessionId };
}

function commitMessage(result: CheckResult, elapsedMs: number): string {
  if (result.kind === "server-failed") return `drill check: server did not start (${formatDuration(elapsedMs)})`;
  const { passed, failed, skipped } = result.outcome;
  return `drill check: ${passed}/${passed + failed + skipped} requirements pass (${formatDuration(elapsedMs)} since start)`;
}

/** Snapshots the workspace, records the check that started at `at`, and moves a fire drill on. */
export async function recordCheck(active: ActiveSession, result: CheckResult, at: Date): Promise<RecordedCheck> {
  const { session, workspace } = active;
  const elapsedMs = activeMs(session, at);
  const snapshot = await snapshotWorkspace(workspace, commitMessage(result, elapsedMs));
  const recorded: RecordedCheck = {
    elapsedMs,
    commit: snapshot.commit,
    ...(snapshot.skipped ? { snapshotSkipped: snapshot.skipped } : {}),
  };
  try {
    appendHistory([checkEvent(result, at, session.id, snapshot.commit)]);
  } catch (error) {
    return { ...recorded, notRecorded: error };
  }
  // A server that never got ready closes nothing, so only a verdict can move a fire drill on.
  if (session.run && result.kind === "verdict") {
    try {
      // Loaded only in a fire drill: a plain check does not pay for it.
      const { advanceFireDrill } = await import("../modes/fire-drill.js");
      recorded.fireDrill = await advanceFireDrill(session.run);
    } catch (error) {
      recorded.fireDrill = { kind: "failed", error: error as Error };
    }
  }
  return recorded;
}
