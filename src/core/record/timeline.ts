// Everything time-related is derived here from a session's events (start, pause, resume,
// checks, skip, end), so any view can be recomputed from the record.
import type { History, Session, SessionEvent } from "./history.js";

export type CheckEvent = Extract<SessionEvent, { type: "check" }>;

export function checks(session: Session): CheckEvent[] {
  return session.events.filter((e): e is CheckEvent => e.type === "check");
}

export function lastCheck(session: Session): CheckEvent | undefined {
  return checks(session).at(-1);
}

/** A check is green when the suite ran, every requirement passed and none was skipped. */
export function isGreen(check: CheckEvent): boolean {
  return !check.error && check.failed === 0 && check.skipped === 0 && check.passed > 0;
}

/** The event that closed the session: its first green check, a skip, or an end. */
function closingEvent(session: Session): SessionEvent | undefined {
  return session.events.find((e) => (e.type === "check" && isGreen(e)) || e.type === "skip" || e.type === "end");
}

/**
 * The green check that closed the session, if one did. A check run after a skip or an end (in
 * an abandoned attempt's folder, say) is recorded, but never turns that attempt green.
 */
export function firstGreen(session: Session): CheckEvent | undefined {
  const closing = closingEvent(session);
  return closing?.type === "check" ? closing : undefined;
}

export function isPaused(session: Session): boolean {
  const last = session.events.filter((e) => e.type === "pause" || e.type === "resume").at(-1);
  return last?.type === "pause";
}

/** Milliseconds on the clock from the start to `at`, paused time left out. */
export function activeMs(session: Session, at: Date = new Date()): number {
  const until = at.getTime();
  let total = 0;
  let runningSince: number | undefined = Date.parse(session.startedAt);
  for (const event of session.events) {
    const time = Date.parse(event.at);
    if (time > until) break;
    if (event.type === "pause" && runningSince !== undefined) {
      total += time - runningSince;
      runningSince = undefined;
    } else if (event.type === "resume" && runningSince === undefined) {
      runningSince = time;
    }
  }
  if (runningSince !== undefined) total += Math.max(0, until - runningSince);
  return Math.max(0, total);
}

/** The clock of a session: it stops at the event that closed it. */
export function elapsedMs(session: Session, now: Date = new Date()): number {
  const closing = closingEvent(session);
  return activeMs(session, closing ? new Date(closing.at) : now);
}

/** Time on the clock at the first green check, or undefined if the practice never went green. */
export function timeToGreenMs(session: Session): number | undefined {
  const green = firstGreen(session);
  return green ? activeMs(session, new Date(green.at)) : undefined;
}

export function timerMs(session: Session): number | undefined {
  return session.timerMinutes === null ? undefined : session.timerMinutes * 60_000;
}

/** Time left on the timer (negative: overtime), or undefined without a timer. */
export function remainingMs(session: Session, now: Date = new Date()): number | undefined {
  const timer = timerMs(session);
  return timer === undefined ? undefined : timer - elapsedMs(session, now);
}

export type SessionStatus = "active" | "paused" | "passed" | "skipped" | "abandoned";

export function sessionStatus(session: Session): SessionStatus {
  const closing = closingEvent(session);
  if (closing?.type === "check") return "passed";
  if (closing?.type === "skip") return "skipped";
  if (closing?.type === "end") return "abandoned";
  return isPaused(session) ? "paused" : "active";
}

export function isOpen(session: Session): boolean {
  const status = sessionStatus(session);
  return status === "active" || status === "paused";
}

export function hintsUsed(session: Session): number {
  return session.events.filter((e) => e.type === "hint").length;
}

/** Whether help was taken by `at` (an event's time): a hint, or the reference solution seen. */
export function helpedBy(session: Session, at: string): boolean {
  const until = Date.parse(at);
  return session.events.some((e) => (e.type === "hint" || e.type === "reference-seen") && Date.parse(e.at) <= until);
}

/** Best time to green per practice slug (every kind of session counts). */
export function bestTimes(history: Pick<History, "sessions">): Map<string, number> {
  const best = new Map<string, number>();
  for (const session of history.sessions) {
    const time = timeToGreenMs(session);
    if (time === undefined) continue;
    const current = best.get(session.practice);
    if (current === undefined || time < current) best.set(session.practice, time);
  }
  return best;
}

/** [h:]mm:ss; minutes and seconds always shown. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(2, "0");
  const ss = String(seconds).padStart(2, "0");
  return `${ms < 0 ? "-" : ""}${hours > 0 ? `${hours}:` : ""}${mm}:${ss}`;
}
