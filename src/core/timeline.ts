// Everything time-related is derived here from a session's events, so any view can be
// recomputed from the record.
import type { Session, SessionEvent, State } from "./state.js";

type CheckEvent = Extract<SessionEvent, { type: "check" }>;

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

export function firstGreen(session: Session): CheckEvent | undefined {
  return checks(session).find(isGreen);
}

function endEvent(session: Session): SessionEvent | undefined {
  return session.events.find((e) => e.type === "end");
}

/** Milliseconds from start to `at` (or to now). */
export function elapsedMs(session: Session, at: Date = new Date()): number {
  return Math.max(0, at.getTime() - Date.parse(session.startedAt));
}

/** Time to the first green check, or undefined if the practice never went green. */
export function timeToGreenMs(session: Session): number | undefined {
  const green = firstGreen(session);
  return green ? elapsedMs(session, new Date(green.at)) : undefined;
}

export function deadline(session: Session): Date | undefined {
  if (session.timerMinutes === null) return undefined;
  return new Date(Date.parse(session.startedAt) + session.timerMinutes * 60_000);
}

export type SessionStatus = "active" | "passed" | "abandoned";

export function sessionStatus(session: Session): SessionStatus {
  if (firstGreen(session)) return "passed";
  if (endEvent(session)) return "abandoned";
  return "active";
}

export function hintsUsed(session: Session): number {
  return session.events.filter((e) => e.type === "hint").length;
}

/** Best time to green per practice slug. */
export function bestTimes(state: State): Map<string, number> {
  const best = new Map<string, number>();
  for (const session of state.sessions) {
    const time = timeToGreenMs(session);
    if (time === undefined) continue;
    const current = best.get(session.practice);
    if (current === undefined || time < current) best.set(session.practice, time);
  }
  return best;
}

/** 1h02m03s style; minutes and seconds always shown. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const mm = String(minutes).padStart(2, "0");
  const ss = String(seconds).padStart(2, "0");
  return `${ms < 0 ? "-" : ""}${hours > 0 ? `${hours}:` : ""}${mm}:${ss}`;
}
