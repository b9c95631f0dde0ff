// What `drill stats` reports: the figures per practice and the readiness checklist.
import { loadCatalog, resolvePractice } from "../catalog/practices.js";
import { readHistory } from "../record/sessions.js";
import { assessReadiness, type ReadinessItem } from "./readiness.js";
import { collectStats, type Stats } from "./stats.js";

export interface StatsReport {
  stats: Stats;
  readiness: ReadinessItem[];
}

/** Stats for one practice (or debugging drill) or all; the readiness checklist always looks at every one. */
export function collectStatsReport(practiceInput: string | undefined, now = new Date(), history = readHistory()): StatsReport {
  const all = loadCatalog();
  const practices = practiceInput === undefined ? all : [resolvePractice(practiceInput)];
  return { stats: collectStats(history, practices, now), readiness: assessReadiness(history, all, now) };
}
