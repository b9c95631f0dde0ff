// drill plan: the kit's study plan laid over the learner's calendar. Day 1 is the local date
// of the first thing recorded (today when nothing is), and today's tasks are read from the
// record, so the plan is recomputed each time and never stored.
//
// The 7-day plan is the kit's: days 1-2 understand, 3-4 muscle memory, 5-6 speed drills, 7 the
// fire drill, over every bundled practice. The 4-day variant (the kit mentions a 4-day roadmap
// without spelling it out) keeps one day per phase and narrows phases 1 and 2 to the
// fire-drill practices (01, 03, 05, 07), the ones day 4 rebuilds.
//
// With an interview date (`drill plan --interview`), day 1 is the day it was set and the phases
// run backwards from it (interview.ts); what to rebuild next then comes from the FSRS schedule
// (schedule.ts), the same answer `drill next` gives. Today's scheduled practices are listed
// either way.
import type { History } from "../record/history.js";
import type { Phase, PlanLength } from "../options.js";
import { FIRE_DRILL_PRACTICES, PHASES } from "../catalog/phases.js";
import { practiceWeights, type Weighted } from "./pick.js";
import { type Practice, practiceLabel } from "../catalog/practices.js";
import { isOpen, timeToGreenMs } from "../record/timeline.js";
import { addDays, daysBetween, localDate } from "./dates.js";
import { interviewPlan } from "./interview.js";
import { buildSchedule, type Schedule } from "./schedule.js";

export { localDate };

/** The kit sets no count; two one-hour drills a day leave room to review what went wrong. */
const SPEED_DRILLS_PER_DAY = 2;
const MUSCLE_MEMORY_LIMIT_MS = (PHASES[2].timerMinutes ?? 45) * 60_000;

const PLAN_PHASES: Record<PlanLength, Phase[]> = {
  7: [1, 1, 2, 2, 3, 3, 4],
  4: [1, 2, 3, 4],
};

/** A task of the day; one not done yet says what to run for it. */
type PlanTask = { label: string; done: true; command: null } | { label: string; done: false; command: string };

function task(label: string, done: boolean, command: string): PlanTask {
  return done ? { label, done, command: null } : { label, done, command };
}

interface PlanDay {
  day: number;
  /** Local date, YYYY-MM-DD. */
  date: string;
  phase: Phase;
  focus: string;
}

interface NextDrill {
  command: string;
  reason: string;
  /** null when the next thing is the fire drill, which has its own practices. */
  practice: { id: string; slug: string; title: string; weight: number } | null;
}

interface DueItem {
  id: string;
  title: string;
  reason: string;
}

export interface Plan {
  /** How many days the plan runs (to the day before the interview when one is set). */
  days: number;
  startDate: string;
  today: string;
  /** 1 on the start date; past `days` once the plan is over. */
  dayNumber: number;
  complete: boolean;
  /** The practices phases 1 and 2 cover. */
  practices: string[];
  schedule: PlanDay[];
  /** The phase whose tasks are listed: today's, or the fire drill again once complete. */
  tasksPhase: Phase;
  tasks: PlanTask[];
  next: NextDrill;
  /** The interview date and days left to it; null without one (or once it has passed). */
  interview: { date: string; daysLeft: number } | null;
  /** Today's practices in the FSRS schedule (what `drill next` and `drill stats` name). */
  dueToday: DueItem[];
  dailyCap: number;
}

/** The first moment anything was recorded. */
function firstRecorded(history: Pick<History, "sessions" | "studies" | "runs">): Date | undefined {
  const times = [
    ...history.sessions.map((s) => s.startedAt),
    ...history.studies.map((s) => s.at),
    ...history.runs.map((r) => r.startedAt),
  ].map(Date.parse);
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

function focusOf(phase: Phase): string {
  return `${PHASES[phase].name}: ${PHASES[phase].target}`;
}

function studiedSlugs(history: Pick<History, "studies">): Set<string> {
  return new Set(history.studies.map((s) => s.practice));
}

/** Green in a from-scratch phase-2 session within the phase's 45 minutes. */
function hasMuscleMemory(history: Pick<History, "sessions">, practice: Practice): boolean {
  return history.sessions.some((s) => {
    const time = s.practice === practice.slug && s.mode === "drill" && s.phase === 2 ? timeToGreenMs(s) : undefined;
    return time !== undefined && time <= MUSCLE_MEMORY_LIMIT_MS;
  });
}

function tasksFor(phase: Phase, history: Pick<History, "sessions" | "studies" | "runs">, practices: Practice[], today: string): PlanTask[] {
  if (phase === 1) {
    const studied = studiedSlugs(history);
    return practices.map((p) =>
      task(`study ${practiceLabel(p)}: read it, find its key blocks`, studied.has(p.slug), `drill study ${p.id}`),
    );
  }
  if (phase === 2) {
    const fixed = history.sessions.some((s) => s.mode === "break" && timeToGreenMs(s) !== undefined);
    return [
      ...practices.map((p) =>
        task(`type ${practiceLabel(p)} from scratch, green within 45 min`, hasMuscleMemory(history, p), `drill start ${p.id} --phase 2`),
      ),
      task("break something on purpose, then fix it", fixed, "drill break"),
    ];
  }
  if (phase === 3) {
    const doneToday = history.sessions.filter(
      (s) => s.mode === "drill" && s.phase === 3 && localDate(new Date(s.startedAt)) === today && !isOpen(s),
    ).length;
    const label = `${SPEED_DRILLS_PER_DAY} speed drills today, 60 min each from memory (${Math.min(doneToday, SPEED_DRILLS_PER_DAY)}/${SPEED_DRILLS_PER_DAY} done)`;
    return [task(label, doneToday >= SPEED_DRILLS_PER_DAY, "drill start --random --timer 60")];
  }
  const finishedToday = history.runs.some((r) => r.end?.outcome === "finished" && localDate(new Date(r.startedAt)) === today);
  return [task("the fire drill: 01, 03, 05, 07 in sequence within 4 hours", finishedToday, "drill fire-drill")];
}

/** The highest weight first; equal weights by practice id. */
function weakest(weights: Weighted[]): Weighted | undefined {
  return [...weights].sort((a, b) => b.weight - a.weight || a.practice.id.localeCompare(b.practice.id))[0];
}

function nextDrill(
  phase: Phase,
  fireDrillDue: boolean,
  history: Pick<History, "sessions" | "studies">,
  practices: Practice[],
  all: Practice[],
): NextDrill {
  if (fireDrillDue) {
    return { command: "drill fire-drill", reason: "fire-drill day: rebuild 01, 03, 05 and 07 in one run", practice: null };
  }
  const studied = studiedSlugs(history);
  const unstudied = practices.filter((p) => !studied.has(p.slug));
  // On study days, the next practice to study; otherwise the weakest of all by drill's weights.
  const pool = phase === 1 && unstudied.length > 0 ? unstudied : all;
  const pick = weakest(practiceWeights(pool, history));
  if (!pick) return { command: "drill list", reason: "this drill has no practices", practice: null };
  const { practice } = pick;
  const command = !studied.has(practice.slug) ? `drill study ${practice.id}` : `drill start ${practice.id} --phase ${phase <= 2 ? 2 : 3}`;
  const reason = studied.has(practice.slug) ? pick.reason : `${pick.reason}, not studied yet`;
  return { command, reason, practice: { id: practice.id, slug: practice.slug, title: practice.title, weight: pick.weight } };
}

/** The plan as of `now`: the schedule, today's tasks from the record, and what to drill next. */
type PlanHistory = Pick<History, "sessions" | "studies" | "runs" | "interviews" | "dailyCaps">;

/** What the FSRS schedule gives today, the same list `drill next` and `drill stats` read. */
function dueToday(schedule: Schedule): DueItem[] {
  const today = schedule.calendar[0]?.practices ?? [];
  return today.flatMap((id) => {
    const item = schedule.practices.find((p) => p.id === id);
    return item ? [{ id: item.id, title: item.title, reason: item.reason }] : [];
  });
}

/** With an interview date: the schedule's pick, the fire drill on its day. */
function scheduledNext(schedule: Schedule, fireDrillDue: boolean, all: Practice[]): NextDrill {
  if (fireDrillDue) {
    return { command: "drill fire-drill", reason: "fire-drill day: rebuild 01, 03, 05 and 07 in one run", practice: null };
  }
  const next = schedule.next;
  const practice = next ? all.find((p) => p.id === next.id) : undefined;
  if (!next || !practice) {
    const reason =
      schedule.doneToday >= schedule.dailyCap
        ? `today's ${schedule.dailyCap} rebuilds are done; the next is due ${schedule.nextDay ?? "later"}`
        : `nothing is due today; the next is due ${schedule.nextDay ?? "later"}`;
    return { command: "drill stats", reason, practice: null };
  }
  return {
    command: next.command,
    reason: next.reason,
    practice: { id: practice.id, slug: practice.slug, title: practice.title, weight: 0 },
  };
}

/** The plan as of `now`: the schedule, today's tasks from the record, and what to drill next. */
export function buildPlan(history: PlanHistory, all: Practice[], days: PlanLength, now: Date, cards: Practice[] = all): Plan {
  const today = localDate(now);
  // The schedule's cards: the practices, and the debugging drills where the caller passes them.
  const fsrsSchedule = buildSchedule(history, cards, now);
  const interview = interviewPlan(history);
  // An interview date that has passed no longer shapes the plan: the kit's calendar does.
  const towardInterview = interview !== null && daysBetween(today, interview.date) >= 0 ? interview : null;
  const phases = towardInterview ? towardInterview.phases : PLAN_PHASES[days];
  const length = phases.length;
  const startDate = towardInterview ? towardInterview.setOn : localDate(firstRecorded(history) ?? now);
  const dayNumber = Math.max(1, daysBetween(startDate, today) + 1);
  const complete = dayNumber > length;
  const practices = length >= 7 ? all : all.filter((p) => FIRE_DRILL_PRACTICES.includes(p.id));
  // Once the plan is over, the fire drill is the thing to keep repeating.
  const tasksPhase: Phase = complete ? 4 : (phases[dayNumber - 1] ?? 4);
  const tasks = tasksFor(tasksPhase, history, practices, today);
  const fireDrillDue = !complete && tasksPhase === 4 && tasks.some((t) => !t.done);
  return {
    days: length,
    startDate,
    today,
    dayNumber,
    complete,
    practices: practices.map((p) => p.id),
    schedule: phases.map((phase, index) => ({ day: index + 1, date: addDays(startDate, index), phase, focus: focusOf(phase) })),
    tasksPhase,
    tasks,
    interview: towardInterview ? { date: towardInterview.date, daysLeft: daysBetween(today, towardInterview.date) } : null,
    dueToday: dueToday(fsrsSchedule),
    dailyCap: fsrsSchedule.dailyCap,
    // Past the plan, the tasks already name the fire drill; next points at the weakest practice.
    next: towardInterview ? scheduledNext(fsrsSchedule, fireDrillDue, all) : nextDrill(tasksPhase, fireDrillDue, history, practices, all),
  };
}
