import { runProgress } from "../core/modes/fire-drill.js";
import { findRun } from "../core/record/history.js";
import { highlight, logger } from "../ui/logger.js";
import { PHASES } from "../core/catalog/phases.js";
import { readHistory, resolveSession, type ActiveSession } from "../core/record/sessions.js";
import { elapsedMs, formatDuration, hintsUsed, lastCheck, remainingMs, sessionStatus, timeToGreenMs } from "../core/record/timeline.js";

export function collectStatus(active: ActiveSession, now = new Date()) {
  const { session, practice } = active;
  const last = lastCheck(session);
  const run = session.run ? findRun(readHistory(), session.run) : undefined;
  const progress = run ? runProgress(readHistory(), run, now) : undefined;
  return {
    practice: practice.slug,
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
    lastCheck: last
      ? { at: last.at, passed: last.passed, failed: last.failed, skipped: last.skipped, error: last.error ?? null }
      : null,
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

function remainingLine(remaining: number, of: string): string {
  return remaining >= 0 ? `${formatDuration(remaining)} of ${of}` : `${highlight.fail(`overtime by ${formatDuration(-remaining)}`)} (${of})`;
}

export function formatStatus(status: Status): string {
  const lines = [
    `${highlight.practice(`${status.practice.slice(0, 2)} ${status.title}`)} · phase ${status.phase} (${PHASES[status.phase].name}) · ${status.status}`,
    `workspace  ${highlight.path(status.workspace)}`,
    `elapsed    ${formatDuration(status.elapsedMs)}${status.status === "paused" ? " (paused)" : ""}`,
  ];
  if (status.remainingMs !== null) lines.push(`remaining  ${remainingLine(status.remainingMs, `${status.timerMinutes} min`)}`);
  if (status.fireDrill) {
    const done = status.fireDrill.splits.filter((s) => s.outcome !== "open").length;
    lines.push(
      `fire drill ${done}/${status.fireDrill.practices.length} done · total ${formatDuration(status.fireDrill.totalMs)} · remaining ${remainingLine(status.fireDrill.remainingMs, "4 hours")}`,
    );
  }
  if (status.timeToGreenMs !== null) lines.push(`green at   ${highlight.pass(formatDuration(status.timeToGreenMs))}`);
  const last = status.lastCheck;
  lines.push(
    last === null
      ? `last check none yet: run ${highlight.command("drill check")}`
      : last.error
        ? `last check ${highlight.fail(`server did not start: ${last.error}`)}`
        : `last check ${last.passed}/${last.passed + last.failed + last.skipped} requirements pass (${status.checks} check${status.checks === 1 ? "" : "s"}, ${status.hints} hint${status.hints === 1 ? "" : "s"})`,
  );
  if (status.status === "active" || status.status === "paused") lines.push(highlight.dim("`drill resume` brings the countdown back"));
  return lines.join("\n");
}

export async function runStatusCommand(options: { dir?: string; json?: boolean }): Promise<void> {
  const data = collectStatus(resolveSession(options.dir));
  if (options.json) console.log(JSON.stringify(data, null, 2));
  else logger.info(formatStatus(data));
}
