// How an attempt becomes an FSRS rating: read from the record, never asked. The thresholds are
// in one table (RATING_TABLE), which docs/study-plan.md repeats; changing it changes every
// schedule at once, because the schedule is replayed from the events each time.
import type { Phase } from "../options.js";
import type { Session } from "../record/history.js";
import { checks, firstGreen, hintsUsed, sessionStatus, timeToGreenMs } from "../record/timeline.js";

export type RatingName = "Again" | "Hard" | "Good" | "Easy";

interface PhaseThresholds {
  /** Green within this many minutes and with no hint: Easy. */
  targetMinutes: number;
  /** Green within the timer: Good (with hints, or over the target). Past it: Hard. */
  timerMinutes: number;
}

/**
 * The one table. Phase 2's target is the fast end of the kit's "30-45 minutes" and its timer
 * the slow end; speed drills have the kit's 60-minute timer; a fire-drill practice gets its
 * quarter of the 4-hour run. A session's own timer (`--timer`) replaces the phase's.
 */
export const RATING_TABLE = {
  phases: {
    1: { targetMinutes: 30, timerMinutes: 45 },
    2: { targetMinutes: 30, timerMinutes: 45 },
    3: { targetMinutes: 45, timerMinutes: 60 },
    4: { targetMinutes: 45, timerMinutes: 60 },
  } satisfies Record<Phase, PhaseThresholds>,
  /** Green only after more checks than this: Hard (the suite did the thinking). */
  manyChecks: 10,
  /** The reference solution seen (`drill diff`) before green: Hard at best. */
  referenceSeen: "Hard",
  /** Not green: skipped, or abandoned (`drill reset`, a new start that gave it up). */
  notGreen: "Again",
  /** `drill study`: a review of lower weight, at most one a day per practice. */
  study: "Hard",
  /** `drill explain` (its records, where drill has them): a day's blocks all explained fully, else some not. */
  explain: { allFully: "Good", otherwise: "Hard" },
} as const;

export interface AttemptRating {
  rating: RatingName;
  /** When the attempt finished: the review's time. */
  at: string;
  /** In words, for `drill next`: "52 min with 2 hints". */
  summary: string;
}

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The rating of a finished attempt (drill or fire drill), or undefined while it is open. */
export function rateAttempt(session: Session): AttemptRating | undefined {
  const status = sessionStatus(session);
  if (status === "active" || status === "paused") return undefined;
  const closing = session.events.find((e) => e.type === "skip" || e.type === "end");
  const green = firstGreen(session);
  const time = timeToGreenMs(session);
  if (!green || time === undefined) {
    const at = closing?.at ?? session.events.at(-1)?.at ?? session.startedAt;
    return { rating: RATING_TABLE.notGreen, at, summary: `not green (${status})` };
  }
  const hints = hintsUsed(session);
  const checksToGreen = checks(session).filter((c) => Date.parse(c.at) <= Date.parse(green.at)).length;
  const limits = RATING_TABLE.phases[session.phase];
  const timerMinutes = session.mode === "drill" && session.timerMinutes !== null ? session.timerMinutes : limits.timerMinutes;
  const targetMinutes = Math.min(limits.targetMinutes, timerMinutes);
  const seen = session.events.some((e) => e.type === "reference-seen" && Date.parse(e.at) <= Date.parse(green.at));
  const summary = `${minutes(time)} min${hints > 0 ? ` with ${plural(hints, "hint")}` : ""}`;
  let rating: RatingName;
  if (time > timerMinutes * 60_000 || checksToGreen > RATING_TABLE.manyChecks) rating = "Hard";
  else if (seen) rating = RATING_TABLE.referenceSeen;
  else if (hints === 0 && time <= targetMinutes * 60_000) rating = "Easy";
  else rating = "Good";
  return { rating, at: green.at, summary };
}
