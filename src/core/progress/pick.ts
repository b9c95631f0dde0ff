// drill start --random: a practice picked at random among those the schedule has due, else
// weighted toward those never drilled and those that took longest; and the picker's preselection.
import type { History } from "../record/history.js";
import type { Practice } from "../catalog/practices.js";
import { bestTimes } from "../record/timeline.js";
import { buildSchedule } from "./schedule.js";

export interface Weighted {
  practice: Practice;
  weight: number;
  reason: string;
}

const NEVER_DRILLED = 4;

/** Weights: never drilled 4; drilled but never green 3; green: 1 + best/slowest best (1..2). */
export function practiceWeights(practices: Practice[], history: Pick<History, "sessions">): Weighted[] {
  const best = bestTimes(history);
  const drilled = new Set(history.sessions.map((s) => s.practice));
  const slowest = Math.max(0, ...best.values());
  return practices.map((practice) => {
    if (!drilled.has(practice.slug)) return { practice, weight: NEVER_DRILLED, reason: "never drilled" };
    const time = best.get(practice.slug);
    if (time === undefined) return { practice, weight: 3, reason: "drilled, never green" };
    return { practice, weight: 1 + (slowest > 0 ? time / slowest : 0), reason: "green before" };
  });
}

/** Picks by weight; `random` returns a number in [0, 1). */
export function pickWeighted(weighted: Weighted[], random: () => number = Math.random): Weighted {
  const total = weighted.reduce((sum, w) => sum + w.weight, 0);
  let point = random() * total;
  for (const item of weighted) {
    point -= item.weight;
    if (point < 0) return item;
  }
  const last = weighted.at(-1);
  if (!last) throw new Error("no practices to pick from");
  return last;
}

/**
 * drill start --random: one of the practices the spaced-repetition schedule has due (today or
 * overdue), each as likely as the next; with none due, the weights above decide.
 */
export function pickRandom(
  practices: Practice[],
  history: Parameters<typeof buildSchedule>[0],
  now: Date,
  random: () => number = Math.random,
): Weighted {
  const schedule = buildSchedule(history, practices, now);
  const due = schedule.practices.flatMap((item) => {
    const practice = practices.find((p) => p.id === item.id);
    return practice && item.due <= schedule.today ? [{ practice, weight: 1, reason: item.reason }] : [];
  });
  return pickWeighted(due.length > 0 ? due : practiceWeights(practices, history), random);
}

/** The practice `drill start` preselects in its picker: the schedule's next, if any is due today. */
export function preselected(practices: Practice[], history: Parameters<typeof buildSchedule>[0], now: Date): Practice | undefined {
  const next = buildSchedule(history, practices, now).next;
  return next ? practices.find((p) => p.id === next.id) : undefined;
}
