// What to rebuild when: every practice an FSRS card (ts-fsrs), its reviews replayed from the
// record each time (finished attempts rated by schedule-rating.ts, studies as lighter reviews),
// then laid over the days ahead under a daily cap, compressed toward the interview date so the
// fire-drill practices are each rebuilt in the last three days. Nothing here is stored: change
// the thresholds and every schedule changes with them.
import { createEmptyCard, fsrs, type Grade, Rating, State, type Card } from "ts-fsrs";
import { FIRE_DRILL_PRACTICES } from "../catalog/phases.js";
import type { Practice } from "../catalog/practices.js";
import type { History } from "../record/history.js";
import { addDays, daysBetween, describeDate, localDate } from "./dates.js";
import { type InterviewPlan, interviewPlan, phaseOn } from "./interview.js";
import { type RatingName, RATING_TABLE, rateAttempt } from "./schedule-rating.js";

/** The kit's day has room for two full rebuilds and the review of what went wrong. */
const DEFAULT_DAILY_CAP = 2;
/** How many days ahead the calendar runs. */
const HORIZON_DAYS = 14;
/** The fire-drill practices are each rebuilt within this many days before the interview. */
const FINAL_WINDOW_DAYS = 3;

// Days, not minutes: drill's unit of work is a rebuild a day, so the short-term (same-day)
// learning steps are off and an interval is a whole number of days. No fuzz: the same record
// always gives the same schedule.
const scheduler = fsrs({ enable_short_term: false, enable_fuzz: false });

const GRADES: Record<RatingName, Grade> = { Again: Rating.Again, Hard: Rating.Hard, Good: Rating.Good, Easy: Rating.Easy };

/** `drill explain`'s self-ratings, one per key block, as its record holds them. */
interface ExplainRecord {
  at: string;
  practice: string;
  rating: "missed" | "partly" | "fully";
}

type ScheduleHistory = Pick<History, "sessions" | "studies" | "interviews" | "dailyCaps"> & {
  /** Read when the record has them (`drill explain`); absent otherwise. */
  explanations?: ExplainRecord[];
};

interface Review {
  at: string;
  kind: "rebuild" | "study" | "explain";
  rating: RatingName;
  summary: string;
}

interface PracticeSchedule {
  id: string;
  slug: string;
  title: string;
  state: "new" | "learning" | "review" | "relearning";
  reviews: number;
  /** Local date the practice is due (today for a new one). */
  due: string;
  /** Stability in days (how long until recall drops to 90%); null before any review. */
  stabilityDays: number | null;
  lastRating: RatingName | null;
  lastReview: Review | null;
  fireDrill: boolean;
  /** A debugging drill's name (`drill debug <name>` rebuilds it); absent for a practice. */
  debug?: string;
  /** The day the calendar gives it (the cap may push it past `due`); null beyond the calendar. */
  scheduledFor: string | null;
  reason: string;
}

interface ScheduleDay {
  date: string;
  /** Practice ids to rebuild that day, in order. */
  practices: string[];
}

export interface Schedule {
  today: string;
  interview: string | null;
  /** Days from today to the interview (0 on the day); null without a date. */
  daysLeft: number | null;
  dailyCap: number;
  /** Rebuilds finished today (they count against the cap). */
  doneToday: number;
  /** In catalog order. */
  practices: PracticeSchedule[];
  calendar: ScheduleDay[];
  /** What to rebuild now: the first of today's calendar day, or null when today is full or clear. */
  next: { id: string; slug: string; title: string; command: string; reason: string } | null;
  /** When nothing is left for today: the next day with something on it. */
  nextDay: string | null;
}

function dailyCap(history: Pick<History, "dailyCaps">): number {
  return history.dailyCaps?.at(-1)?.rebuilds ?? DEFAULT_DAILY_CAP;
}

/** A day's explanations of one practice's key blocks: one review, at the day's last rating. */
function explainReviews(history: ScheduleHistory, practice: Practice): Review[] {
  const byDay = new Map<string, ExplainRecord[]>();
  for (const record of history.explanations ?? []) {
    if (record.practice !== practice.slug) continue;
    const day = localDate(new Date(record.at));
    byDay.set(day, [...(byDay.get(day) ?? []), record]);
  }
  return [...byDay.values()].map((records) => {
    const fully = records.every((r) => r.rating === "fully");
    const last = records.reduce((a, b) => (Date.parse(b.at) > Date.parse(a.at) ? b : a));
    return {
      at: last.at,
      kind: "explain" as const,
      rating: fully ? RATING_TABLE.explain.allFully : RATING_TABLE.explain.otherwise,
      summary: `explained ${records.filter((r) => r.rating === "fully").length} of ${records.length} blocks fully`,
    };
  });
}

/** Every review of one practice, oldest first: finished rebuilds; studies and explanations at most one a day. */
function reviewsOf(history: ScheduleHistory, practice: Practice): Review[] {
  const rebuilds: Review[] = history.sessions
    .filter((s) => s.practice === practice.slug && (s.mode === "drill" || s.mode === "fire-drill"))
    .flatMap((s) => {
      const rated = rateAttempt(s);
      return rated ? [{ at: rated.at, kind: "rebuild" as const, rating: rated.rating, summary: rated.summary }] : [];
    });
  const studies: Review[] = history.studies
    .filter((s) => s.practice === practice.slug)
    .map((s) => ({ at: s.at, kind: "study" as const, rating: RATING_TABLE.study, summary: "studied" }));
  const all = [...rebuilds, ...studies, ...explainReviews(history, practice)].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const kept: Review[] = [];
  for (const review of all) {
    // Studies and explanations are the lighter reviews: nothing on a day already reviewed.
    const sameDay = kept.some((k) => localDate(new Date(k.at)) === localDate(new Date(review.at)));
    if (review.kind !== "rebuild" && sameDay) continue;
    kept.push(review);
  }
  return kept;
}

const STATE_NAMES: Record<State, PracticeSchedule["state"]> = {
  [State.New]: "new",
  [State.Learning]: "learning",
  [State.Review]: "review",
  [State.Relearning]: "relearning",
};

function replay(reviews: Review[], now: Date): { card: Card; due: string } {
  let card = createEmptyCard(now);
  let due = localDate(now);
  for (const review of reviews) {
    card = scheduler.next(card, new Date(review.at), GRADES[review.rating]).card;
    // From the review's local date, so a daylight-saving change never moves a due date; a
    // failed rebuild comes back the next day whatever its stability.
    const days = review.rating === "Again" ? 1 : Math.max(1, card.scheduled_days);
    due = addDays(localDate(new Date(review.at)), days);
  }
  return { card, due };
}

function dueReason(item: PracticeSchedule, today: string, compressed: boolean): string {
  const last = item.lastReview;
  if (!last) return "never drilled";
  const day = describeDate(localDate(new Date(last.at)), today);
  const lastText =
    last.kind === "study" ? `studied ${day}` : last.kind === "explain" ? `${last.summary} ${day}` : `last time ${last.summary}`;
  if (compressed) return `fire-drill practice, due before the interview; ${lastText}`;
  const offset = daysBetween(today, item.due);
  const when =
    offset < 0 ? `due since ${describeDate(item.due, today)}` : offset === 0 ? "due today" : `due ${describeDate(item.due, today)}`;
  return `${when}; ${lastText}`;
}

/** How to rebuild it today: the plan's phase decides (a study day studies what was never studied). */
function commandFor(item: PracticeSchedule, plan: InterviewPlan | null, today: string, history: ScheduleHistory): string {
  // A debugging drill has one way to take it, whatever the phase: its broken app and time box.
  if (item.debug !== undefined) return `drill debug ${item.debug}`;
  const phase = plan ? phaseOn(plan, today) : null;
  if (phase === null) return `drill start ${item.id}`;
  if (phase === 1 && !history.studies.some((s) => s.practice === item.slug)) return `drill study ${item.id}`;
  if (phase === 4 && item.fireDrill) return "drill fire-drill";
  return `drill start ${item.id} --phase ${phase <= 2 ? 2 : 3}`;
}

/** Rebuilds finished on the local date `today`. */
function rebuildsOn(history: ScheduleHistory, today: string): number {
  return history.sessions.filter((s) => {
    if (s.mode !== "drill" && s.mode !== "fire-drill") return false;
    const rated = rateAttempt(s);
    return rated !== undefined && localDate(new Date(rated.at)) === today;
  }).length;
}

/** The schedule as of `now`, from the record and the catalog's practices (debug drills too, when it has them). */
export function buildSchedule(history: ScheduleHistory, practices: Practice[], now: Date): Schedule {
  const today = localDate(now);
  const plan = interviewPlan(history);
  const interview = plan?.date ?? null;
  const daysLeft = interview === null ? null : daysBetween(today, interview);
  const cap = dailyCap(history);
  const windowStart = interview === null ? null : addDays(interview, -FINAL_WINDOW_DAYS);
  const compressing = interview !== null && daysLeft !== null && daysLeft > 0;

  const items = practices.map((practice) => {
    const reviews = reviewsOf(history, practice);
    const { card, due: fsrsDue } = replay(reviews, now);
    const last = reviews.at(-1) ?? null;
    const fireDrill = FIRE_DRILL_PRACTICES.includes(practice.id);
    let due = fsrsDue;
    let compressed = false;
    if (compressing && fireDrill && windowStart !== null && interview !== null) {
      // Rebuilt inside the final window already, or not: if not, it is due when the window opens.
      const rebuiltInWindow = reviews.some((r) => r.kind === "rebuild" && localDate(new Date(r.at)) >= windowStart);
      const latest = daysBetween(today, windowStart) > 0 ? windowStart : today;
      if (!rebuiltInWindow && due > latest) {
        due = latest;
        compressed = true;
      }
    }
    const item: PracticeSchedule = {
      id: practice.id,
      slug: practice.slug,
      title: practice.title,
      state: STATE_NAMES[card.state],
      reviews: reviews.length,
      due,
      stabilityDays: reviews.length === 0 ? null : Math.round(card.stability * 10) / 10,
      lastRating: last?.rating ?? null,
      lastReview: last,
      fireDrill,
      ...(practice.debug ? { debug: practice.debug.name } : {}),
      scheduledFor: null,
      reason: "",
    };
    item.reason = dueReason(item, today, compressed);
    return item;
  });

  const doneToday = rebuildsOn(history, today);
  const calendar = layOut(items, today, cap, doneToday, windowStart, interview);
  const first = calendar[0]?.practices[0];
  const nextItem = items.find((i) => i.id === first);
  return {
    today,
    interview,
    daysLeft,
    dailyCap: cap,
    doneToday,
    practices: items,
    calendar,
    next: nextItem
      ? {
          id: nextItem.id,
          slug: nextItem.slug,
          title: nextItem.title,
          command: commandFor(nextItem, plan, today, history),
          reason: nextItem.reason,
        }
      : null,
    nextDay: calendar.find((day) => day.practices.length > 0)?.date ?? null,
  };
}

/**
 * The days ahead, at most `cap` rebuilds a day (today: what is left of it). Each practice is
 * placed once, on or after its due date: the most overdue first, then the catalog's order (so
 * with nothing recorded the kit's first practice comes first); inside the last days before the
 * interview the fire-drill practices go ahead of the rest.
 */
function layOut(
  items: PracticeSchedule[],
  today: string,
  cap: number,
  doneToday: number,
  windowStart: string | null,
  interview: string | null,
): ScheduleDay[] {
  const waiting = [...items];
  const calendar: ScheduleDay[] = [];
  for (let offset = 0; offset < HORIZON_DAYS; offset += 1) {
    const date = addDays(today, offset);
    // The interview day is for the interview.
    const room = date === interview ? 0 : offset === 0 ? Math.max(0, cap - doneToday) : cap;
    const inWindow = windowStart !== null && interview !== null && date >= windowStart && date < interview;
    const candidates = waiting
      .filter((item) => item.due <= date)
      .sort((a, b) => (inWindow ? Number(b.fireDrill) - Number(a.fireDrill) : 0) || a.due.localeCompare(b.due));
    const chosen = candidates.slice(0, room);
    for (const item of chosen) {
      item.scheduledFor = date;
      waiting.splice(waiting.indexOf(item), 1);
    }
    calendar.push({ date, practices: chosen.map((i) => i.id) });
  }
  return calendar;
}
