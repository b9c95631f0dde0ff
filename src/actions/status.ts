import { highlight, logger } from "../core/logger.js";
import { resolveSession, type ActiveSession } from "../core/sessions.js";
import { deadline, elapsedMs, formatDuration, hintsUsed, lastCheck, sessionStatus, timeToGreenMs } from "../core/timeline.js";

const PHASES = ["", "understand", "muscle memory", "speed drills", "fire drill"];

export function collectStatus(active: ActiveSession, now = new Date()) {
  const { session, practice } = active;
  const due = deadline(session);
  const last = lastCheck(session);
  return {
    practice: practice.slug,
    title: practice.title,
    workspace: active.workspace,
    phase: session.phase,
    status: sessionStatus(session),
    startedAt: session.startedAt,
    elapsedMs: elapsedMs(session, now),
    timerMinutes: session.timerMinutes,
    deadline: due?.toISOString() ?? null,
    remainingMs: due ? due.getTime() - now.getTime() : null,
    checks: session.events.filter((e) => e.type === "check").length,
    hints: hintsUsed(session),
    timeToGreenMs: timeToGreenMs(session) ?? null,
    lastCheck: last
      ? { at: last.at, passed: last.passed, failed: last.failed, skipped: last.skipped, error: last.error ?? null }
      : null,
  };
}

export function formatStatus(status: ReturnType<typeof collectStatus>): string {
  const lines = [
    `${highlight.practice(`${status.practice.slice(0, 2)} ${status.title}`)} · phase ${status.phase} (${PHASES[status.phase]}) · ${status.status}`,
    `workspace  ${highlight.path(status.workspace)}`,
    `elapsed    ${formatDuration(status.elapsedMs)}`,
  ];
  if (status.remainingMs !== null) {
    lines.push(
      status.remainingMs >= 0
        ? `remaining  ${formatDuration(status.remainingMs)} of ${status.timerMinutes} min`
        : `remaining  ${highlight.fail(`overtime by ${formatDuration(-status.remainingMs)}`)} (timer ${status.timerMinutes} min)`,
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
  return lines.join("\n");
}

export async function runStatusCommand(options: { dir?: string; json?: boolean }): Promise<void> {
  const data = collectStatus(resolveSession(options.dir));
  if (options.json) console.log(JSON.stringify(data, null, 2));
  else logger.info(formatStatus(data));
}
