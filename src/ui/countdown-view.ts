// What the live countdown shows: the status line, the key line and the last words of an
// attempt. The loop that reads keys and records events is actions/countdown.ts.
import { describeMutant } from "../core/modes/break.js";
import type { RunProgress } from "../core/modes/fire-drill.js";
import type { Session } from "../core/record/history.js";
import { PHASES } from "../core/catalog/phases.js";
import { practiceOf } from "../core/record/sessions.js";
import { formatDuration, isPaused, lastCheck, remainingMs, sessionStatus, elapsedMs, timeToGreenMs } from "../core/record/timeline.js";
import { highlight } from "./logger.js";

export type Target = { kind: "session"; sessionId: string } | { kind: "run"; runId: string };

export interface View {
  session: Session | undefined;
  progress: RunProgress | undefined;
}

function clock(left: number | undefined): string {
  if (left === undefined) return "no timer";
  return left >= 0 ? `${formatDuration(left)} left` : highlight.fail(`OVERTIME +${formatDuration(-left)}`);
}

function lastResult(session: Session): string {
  const last = lastCheck(session);
  if (!last) return "";
  return last.error ? " · last check: server did not start" : ` · last check ${last.passed}/${last.passed + last.failed + last.skipped}`;
}

export function statusLine(current: View, now = new Date()): string {
  const { session, progress } = current;
  if (!session) return "";
  const paused = isPaused(session) ? `${highlight.warn("PAUSED")} · ` : "";
  if (progress) {
    const index = progress.run.practices.indexOf(session.practice) + 1;
    return `${paused}${clock(progress.remainingMs)} · ${session.practice.slice(0, 2)} (${index}/${progress.run.practices.length}) split ${formatDuration(elapsedMs(session, now))} · total ${formatDuration(progress.totalMs)}${lastResult(session)}`;
  }
  const phase = PHASES[session.phase];
  return `${paused}${clock(remainingMs(session, now))} · elapsed ${formatDuration(elapsedMs(session, now))} · target: ${phase.target}${lastResult(session)}`;
}

export function keyLine(target: Target): string {
  const skip = target.kind === "run" ? "  [k] skip practice" : "";
  return highlight.dim(`[c] check  [h] hint  [s] spec  [p] pause/resume${skip}  [q] quit  (Ctrl-C leaves; \`drill resume\` comes back)`);
}

/** What the countdown says when a single attempt is over. */
export function finalWords(session: Session): string {
  const status = sessionStatus(session);
  if (status !== "passed") return `This attempt is ${status}.`;
  const time = timeToGreenMs(session) ?? 0;
  const timer = session.timerMinutes === null ? undefined : session.timerMinutes * 60_000;
  const verdict =
    timer === undefined
      ? ""
      : time <= timer
        ? ` within the ${session.timerMinutes} min timer`
        : `, ${formatDuration(time - timer)} over the ${session.timerMinutes} min timer`;
  const fixed = session.mode === "break" && session.mutant ? describeMutant(practiceOf(session.practice), session.mutant) : undefined;
  const reveal = fixed ? `\nThe bug you fixed: ${fixed}.` : "";
  return `${highlight.pass("✔ all requirements pass")} at ${formatDuration(time)}${verdict}.${reveal} \`drill stats\` shows how it compares.`;
}
