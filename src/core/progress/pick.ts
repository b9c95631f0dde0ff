// drill start --random: a practice picked at random, weighted toward those never drilled and
// those that took longest.
import type { History } from "../record/history.js";
import type { Practice } from "../catalog/practices.js";
import { bestTimes } from "../record/timeline.js";

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
