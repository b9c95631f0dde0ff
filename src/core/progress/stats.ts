// drill stats: per practice and per phase, how the attempts went. Everything is recomputed
// from the recorded events through timeline.ts, so the numbers can always be rebuilt from
// history.jsonl and never drift from it.
//
// Sessions of `drill break` get a row of their own ("break") rather than joining phase 2: a
// break session starts from a working solution with one injected mistake, so its time to
// green measures finding and fixing, not building. Mixed into phase 2 it would make the
// muscle-memory times look faster than they are. Debugging drills (drill debug) get theirs,
// "debug", for the same reason.
import type { History, Session } from "../record/history.js";
import type { Phase } from "../options.js";
import { isDebugDrillSlug, type Practice } from "../catalog/practices.js";
import { checks, elapsedMs, firstGreen, hintsUsed, sessionStatus, timeToGreenMs, timerMs, type SessionStatus } from "../record/timeline.js";

export type StatsRow = Phase | "break" | "debug";

/** The order rows are listed in. */
const ROW_ORDER: StatsRow[] = [1, 2, 3, 4, "break", "debug"];

/** One attempt (session) as a point of the time-to-green chart. */
export interface AttemptPoint {
  session: string;
  startedAt: string;
  row: StatsRow;
  status: SessionStatus;
  /** null: the attempt never went green. */
  timeToGreenMs: number | null;
  overtime: boolean;
}

export interface RowStats {
  row: StatsRow;
  attempts: number;
  green: number;
  bestMs: number | null;
  medianMs: number | null;
  /** Time to green of the most recent attempt that went green. */
  lastMs: number | null;
  /** Went green after the session's timer ran out, or never went green and ran past it. */
  overtime: number;
  /** Median number of checks run up to and including the first green one (green attempts only). */
  medianChecksToGreen: number | null;
  hints: number;
  hintsPerAttempt: number;
  abandoned: number;
  skipped: number;
  /** Still running or paused. */
  open: number;
}

export interface PracticeStats {
  id: string;
  slug: string;
  title: string;
  attempts: number;
  rows: RowStats[];
  /** Every attempt in the order it was started, for the chart. */
  series: AttemptPoint[];
}

export interface Stats {
  generatedAt: string;
  practices: PracticeStats[];
}

/** The median; for an even count, the mean of the two middle values. null for no values. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

function rowOf(session: Session): StatsRow {
  if (session.mode === "break") return "break";
  return isDebugDrillSlug(session.practice) ? "debug" : session.phase;
}

/** Checks run up to and including the first green one; undefined when none was green. */
function checksToGreen(session: Session): number | undefined {
  const green = firstGreen(session);
  return green ? checks(session).indexOf(green) + 1 : undefined;
}

function isOvertimeAttempt(session: Session, now: Date): boolean {
  const timer = timerMs(session);
  if (timer === undefined) return false;
  return (timeToGreenMs(session) ?? elapsedMs(session, now)) > timer;
}

function attemptPoint(session: Session, now: Date): AttemptPoint {
  return {
    session: session.id,
    startedAt: session.startedAt,
    row: rowOf(session),
    status: sessionStatus(session),
    timeToGreenMs: timeToGreenMs(session) ?? null,
    overtime: isOvertimeAttempt(session, now),
  };
}

function rowStats(row: StatsRow, sessions: Session[], now: Date): RowStats {
  const points = sessions.map((s) => attemptPoint(s, now));
  const greenTimes = points.flatMap((p) => (p.timeToGreenMs === null ? [] : [p.timeToGreenMs]));
  const hints = sessions.reduce((sum, s) => sum + hintsUsed(s), 0);
  const count = (status: SessionStatus) => points.filter((p) => p.status === status).length;
  return {
    row,
    attempts: sessions.length,
    green: greenTimes.length,
    bestMs: greenTimes.length > 0 ? Math.min(...greenTimes) : null,
    medianMs: median(greenTimes),
    lastMs: greenTimes.at(-1) ?? null,
    overtime: points.filter((p) => p.overtime).length,
    medianChecksToGreen: median(sessions.flatMap((s) => checksToGreen(s) ?? [])),
    hints,
    hintsPerAttempt: sessions.length > 0 ? hints / sessions.length : 0,
    abandoned: count("abandoned"),
    skipped: count("skipped"),
    open: count("active") + count("paused"),
  };
}

/** Stats for each of `practices` (in their order), also those without attempts. */
export function collectStats(history: Pick<History, "sessions">, practices: Practice[], now: Date = new Date()): Stats {
  return {
    generatedAt: now.toISOString(),
    practices: practices.map((practice) => {
      const sessions = history.sessions.filter((s) => s.practice === practice.slug);
      const rows = ROW_ORDER.flatMap((row) => {
        const inRow = sessions.filter((s) => rowOf(s) === row);
        return inRow.length > 0 ? [rowStats(row, inRow, now)] : [];
      });
      return {
        id: practice.id,
        slug: practice.slug,
        title: practice.title,
        attempts: sessions.length,
        rows,
        series: sessions.map((s) => attemptPoint(s, now)),
      };
    }),
  };
}
