// The interview mock: the kit's 5.5-hour interview day on one practice, in time boxes. A mock
// is a session with mode "mock" whose timer is the day's length; every box, boundary and the
// report are derived from the session's events (start, pauses, checks, an end), never stored.
// Unlike a drill, the day goes on after the first green check (testing, docs and cleanup
// still have their boxes), and a check at each boundary shows whether it stayed green.
import { DrillError } from "../../system/errors.js";
import { resolvePractice } from "../catalog/practices.js";
import type { Session } from "../record/history.js";
import { readHistory } from "../record/sessions.js";
import { activeMs, checks, timeToGreenMs, type CheckEvent } from "../record/timeline.js";

interface MockBoxSpec {
  name: string;
  minutes: number;
  /** What the box is for, as the countdown says it. */
  purpose: string;
}

/** The kit's interview day (5 h 30 min), in order. */
export const MOCK_BOXES: readonly MockBoxSpec[] = [
  { name: "read", minutes: 15, purpose: "read the whole problem; plan before you type" },
  { name: "boilerplate", minutes: 45, purpose: "skeleton: app, settings, DB, Dockerfile" },
  { name: "core logic", minutes: 150, purpose: "the endpoints and logic the spec asks for" },
  { name: "testing", minutes: 60, purpose: "test, debug, cover the edge cases" },
  { name: "docs & cleanup", minutes: 30, purpose: "README, cleanup, demo prep" },
  { name: "buffer", minutes: 30, purpose: "slack for the unexpected; keep it green" },
];

export const MOCK_DAY_MINUTES = MOCK_BOXES.reduce((sum, box) => sum + box.minutes, 0);

/**
 * The day's length a new mock records: the kit's 330 minutes, or, for drill's own tests only,
 * DRILL_MOCK_DAY_SECONDS (the boxes keep their proportions; documented in test/README.md).
 */
export function mockDayMinutes(env: NodeJS.ProcessEnv = process.env): number {
  const knob = env.DRILL_MOCK_DAY_SECONDS;
  if (knob === undefined || knob === "") return MOCK_DAY_MINUTES;
  const seconds = Number(knob);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new DrillError("usage", `DRILL_MOCK_DAY_SECONDS takes a positive number of seconds, not "${knob}"`, {
      hint: "It is for drill's own tests; unset it for the real 5.5-hour day.",
    });
  }
  return seconds / 60;
}

export interface TimedBox extends MockBoxSpec {
  index: number;
  /** On the session's clock (paused time left out). */
  startMs: number;
  endMs: number;
}

/** The session's boxes, scaled to its recorded day (its timer). */
export function mockBoxes(session: Pick<Session, "timerMinutes">): TimedBox[] {
  const dayMs = (session.timerMinutes ?? MOCK_DAY_MINUTES) * 60_000;
  const scale = dayMs / (MOCK_DAY_MINUTES * 60_000);
  let start = 0;
  return MOCK_BOXES.map((box, index) => {
    const startMs = start;
    start += box.minutes * 60_000 * scale;
    // The last box ends exactly at the day's end, whatever the rounding.
    return { ...box, index, startMs, endMs: index === MOCK_BOXES.length - 1 ? dayMs : start };
  });
}

/** When the learner ended the day early (q): the first end event. */
function endedAt(session: Session): Date | undefined {
  const end = session.events.find((e) => e.type === "end");
  return end ? new Date(end.at) : undefined;
}

export interface MockProgress {
  boxes: TimedBox[];
  dayMs: number;
  /** The day's clock: active time since the start, stopped by an end (never by green). */
  clockMs: number;
  /** The box the clock is in; undefined once the day is over. */
  current: TimedBox | undefined;
  /** Time left in the current box. */
  boxLeftMs: number;
  /** Boundaries (box ends) the clock has passed, 0 to 6. */
  passed: number;
  /** The day ran out, or the learner ended it. */
  over: boolean;
  endedEarly: boolean;
}

export function mockProgress(session: Session, now = new Date()): MockProgress {
  const boxes = mockBoxes(session);
  const dayMs = boxes.at(-1)?.endMs ?? 0;
  const end = endedAt(session);
  const clockMs = activeMs(session, end && end < now ? end : now);
  const passed = boxes.filter((box) => clockMs >= box.endMs).length;
  const current = end ? undefined : boxes[passed];
  return {
    boxes,
    dayMs,
    clockMs,
    current,
    boxLeftMs: current ? current.endMs - clockMs : 0,
    passed,
    over: Boolean(end) || passed === boxes.length,
    endedEarly: Boolean(end) && passed < boxes.length,
  };
}

/**
 * The check of a boundary: the first check started at or after the box's end and before the
 * next box's end (the countdown takes it automatically as the boundary passes; a countdown that
 * was closed then takes it when it comes back, late, and a check later than the next boundary
 * belongs to that one).
 */
export function boundaryCheck(session: Session, boxes: TimedBox[], index: number): CheckEvent | undefined {
  const box = boxes[index];
  if (!box) return undefined;
  const until = boxes[index + 1]?.endMs ?? Number.POSITIVE_INFINITY;
  return checks(session).find((check) => {
    const at = activeMs(session, new Date(check.at));
    return at >= box.endMs && at < until;
  });
}

export interface BoundaryResult {
  box: TimedBox;
  /** The clock passed this box's end before the day was over. */
  reached: boolean;
  check: CheckEvent | undefined;
  /** How long after the boundary its check started. */
  lateMs: number;
  /** Requirements that pass at this boundary and did not at the one before. */
  newlyGreen: string[];
  /** Requirements that passed at the boundary before and fail at this one. */
  lost: string[];
}

export interface MockReport {
  session: string;
  practice: string;
  startedAt: string;
  workspace: string;
  dayMs: number;
  over: boolean;
  /** The clock when the learner ended the day early. */
  endedEarlyAtMs: number | undefined;
  /** The clock at the first green check, and the box it fell in. */
  greenAtMs: number | undefined;
  greenBox: string | undefined;
  boundaries: BoundaryResult[];
}

/** R01.2 before R01.10. */
const byNumber = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

function passing(check: CheckEvent | undefined): Set<string> {
  if (!check || check.error) return new Set();
  return new Set(Object.entries(check.requirements).flatMap(([id, status]) => (status === "passed" ? [id] : [])));
}

/** What was green at each boundary of a mock, from its recorded checks. */
export function mockReport(session: Session, now = new Date()): MockReport {
  const progress = mockProgress(session, now);
  const greenAtMs = timeToGreenMs(session);
  let before = new Set<string>();
  const boundaries = progress.boxes.map((box, index): BoundaryResult => {
    const reached = index < progress.passed;
    const check = reached ? boundaryCheck(session, progress.boxes, index) : undefined;
    const green = passing(check);
    const result: BoundaryResult = {
      box,
      reached,
      check,
      lateMs: check ? activeMs(session, new Date(check.at)) - box.endMs : 0,
      newlyGreen: check ? [...green].filter((id) => !before.has(id)).sort(byNumber) : [],
      lost: check ? [...before].filter((id) => !green.has(id)).sort(byNumber) : [],
    };
    if (check) before = green;
    return result;
  });
  return {
    session: session.id,
    practice: session.practice,
    startedAt: session.startedAt,
    workspace: session.workspace,
    dayMs: progress.dayMs,
    over: progress.over,
    endedEarlyAtMs: progress.endedEarly ? progress.clockMs : undefined,
    greenAtMs,
    greenBox: greenAtMs === undefined ? undefined : progress.boxes.find((box) => greenAtMs < box.endMs)?.name,
    boundaries,
  };
}

/** Every mock in the record, oldest first (optionally of one practice). */
function mockReports(sessions: Session[], practice?: string, now = new Date()): MockReport[] {
  return sessions.filter((s) => s.mode === "mock" && (!practice || s.practice === practice)).map((s) => mockReport(s, now));
}

/** The open mock day, if any: started, not ended, its clock short of the day's end. */
export function openMock(sessions: Session[], now = new Date()): Session | undefined {
  return sessions.filter((s) => s.mode === "mock").find((s) => !mockProgress(s, now).over);
}

/** `drill stats [--practice]`: the reports of the mocks in the record. */
export function collectMockReports(practiceInput: string | undefined, now = new Date(), history = readHistory()): MockReport[] {
  const slug = practiceInput === undefined ? undefined : resolvePractice(practiceInput).slug;
  return mockReports(history.sessions, slug, now);
}
