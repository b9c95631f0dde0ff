// Where a session stands, as `drill status` shows it (and prints with --json).
import { runProgress } from "../modes/fire-drill.js";
import { findRun } from "./history.js";
import { readHistory, type ActiveSession } from "./sessions.js";
import { elapsedMs, hintsUsed, lastCheck, remainingMs, sessionStatus, timeToGreenMs } from "./timeline.js";

export function collectStatus(active: ActiveSession, now = new Date()) {
  const { session, practice } = active;
  const last = lastCheck(session);
  const run = session.run ? findRun(readHistory(), session.run) : undefined;
  const progress = run ? runProgress(readHistory(), run, now) : undefined;
  return {
    id: practice.id,
    practice: practice.slug,
    /** A debugging drill is not a phase of the plan, whatever phase it is recorded under. */
    kind: practice.debug ? ("debug" as const) : ("practice" as const),
    title: practice.title,
    workspace: active.workspace,
    phase: session.phase,
    mode: session.mode,
    status: sessionStatus(session),
    startedAt: session.startedAt,
    elapsedMs: elapsedMs(session, now),
    timerMinutes: session.timerMinutes,
    remainingMs: remainingMs(session, now) ?? null,
    checks: session.events.filter((e) => e.type === "check").length,
    hints: hintsUsed(session),
    timeToGreenMs: timeToGreenMs(session) ?? null,
    lastCheck: last ? { at: last.at, passed: last.passed, failed: last.failed, skipped: last.skipped, error: last.error ?? null } : null,
    fireDrill: progress
      ? {
          run: progress.run.id,
          practices: progress.run.practices,
          totalMs: progress.totalMs,
          remainingMs: progress.remainingMs,
          finished: progress.finished,
          splits: progress.splits.map((s) => ({ practice: s.practice, outcome: s.outcome, ms: s.ms })),
        }
      : null,
  };
}

export type Status = ReturnType<typeof collectStatus>;
