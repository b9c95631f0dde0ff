// The study plan laid out backwards from the interview date: the fire drill the day before,
// the kit's 7-day shape when there is a week (4-day shape with four to six days), and longer
// runways given extra speed-drill days. Which phase a date falls in follows from the record's
// interview event alone, so the plan, `drill next` and `drill stats` read the same day alike.
import type { Phase } from "../options.js";
import type { History } from "../record/history.js";
import { daysBetween, localDate } from "./dates.js";

/** The phases of the days from the day the date was set to the day before the interview. */
export function interviewPhases(runway: number): Phase[] {
  if (runway <= 0) return [];
  const speed = (count: number): Phase[] => Array.from({ length: Math.max(0, count) }, () => 3 as const);
  if (runway >= 7) return [1, 1, 2, 2, ...speed(runway - 5), 4];
  if (runway >= 4) return [1, 2, ...speed(runway - 3), 4];
  return ([2, 3, 4] as Phase[]).slice(3 - runway);
}

export interface InterviewPlan {
  date: string;
  /** Local date the date was recorded: day 1 of the plan. */
  setOn: string;
  phases: Phase[];
}

/**
 * The interview date in force (the latest recorded) and the plan's shape; null without one.
 * Moving the date keeps day 1 where the preparation began, so the shape stretches or shrinks
 * around the days already done; a date set after the previous interview has passed begins
 * afresh.
 */
export function interviewPlan(history: Pick<History, "interviews">): InterviewPlan | null {
  const interviews = history.interviews ?? [];
  const latest = interviews.at(-1);
  if (!latest) return null;
  let began = interviews[0] ?? latest;
  interviews.forEach((event, index) => {
    const previous = interviews[index - 1];
    if (previous && localDate(new Date(event.at)) > previous.date) began = event;
  });
  const setOn = localDate(new Date(began.at));
  return { date: latest.date, setOn, phases: interviewPhases(daysBetween(setOn, latest.date)) };
}

/** The phase of `date` in the plan; null before it begins or from the interview day on. */
export function phaseOn(plan: InterviewPlan, date: string): Phase | null {
  return plan.phases[daysBetween(plan.setOn, date)] ?? null;
}
