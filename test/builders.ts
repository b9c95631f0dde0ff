// Builders for the record's data in tests: sessions and their events, made one way everywhere,
// so a test says only what matters to it (when, which practice, green or not).
import type { Session, SessionEvent, StartFields } from "../src/core/record/history.js";

export const MIN = 60_000;

/** An ISO time `minutes` after `start` (an ISO time or a Date). */
export function minutesAfter(start: string | Date, minutes: number): string {
  return new Date(new Date(start).getTime() + minutes * MIN).toISOString();
}

let sessions = 0;

/**
 * A session of `practice` (a slug) with these events after its start. The start event and the
 * session are made from the same fields, so they never disagree.
 */
export function buildSession(
  practice: string,
  events: SessionEvent[],
  fields: Partial<StartFields> & { id?: string; startedAt?: string } = {},
): Session {
  sessions += 1;
  const { id = `s${sessions}`, startedAt = "2026-03-02T09:00:00.000Z", ...rest } = fields;
  const start: StartFields = { practice, workspace: "/w", phase: 3, timerMinutes: 60, mode: "drill", ...rest };
  return { id, startedAt, ...start, events: [{ type: "start", at: startedAt, ...start }, ...events] };
}

/** A check at `at` with these verdicts (counts follow from them). */
export function checkEvent(at: string, requirements: Record<string, "passed" | "failed">): SessionEvent {
  const statuses = Object.values(requirements);
  const failed = statuses.filter((s) => s === "failed").length;
  return { type: "check", at, mode: "managed", passed: statuses.length - failed, failed, skipped: 0, requirements };
}

/** A check at `at` that passed every one of `passed` requirements (or failed `failed` of them). */
export function countsCheck(at: string, passed: number, failed = 0): SessionEvent {
  return { type: "check", at, mode: "managed", passed, failed, skipped: 0, requirements: {} };
}
