import { DrillError } from "../system/errors.js";
import type { History } from "../core/record/history.js";
import { logger, printJson } from "../ui/logger.js";
import { formatPractices } from "../ui/list.js";
import { loadDebugDrills, loadPractices, type Practice, type PracticeRow } from "../core/catalog/practices.js";
import { readHistory } from "../core/record/sessions.js";
import { bestTimes } from "../core/record/timeline.js";

/** The record, for best times; a record this drill cannot read is reported and the list still shown. */
function historyForList(): History {
  try {
    return readHistory();
  } catch (error) {
    if (!(error instanceof DrillError)) throw error;
    logger.warn(`${error.message} (best times are left out)`);
    return { sessions: [], runs: [], studies: [], activeSessionId: null, damaged: [] };
  }
}

/** The practices, then the debugging drills (each row says which it is). */
function collectPractices(): PracticeRow[] {
  const best = bestTimes(historyForList());
  const row = (p: Practice): PracticeRow => ({
    id: p.id,
    slug: p.slug,
    title: p.title,
    skill: p.skill,
    jd: p.jd,
    bestMs: best.get(p.slug) ?? null,
    kind: p.debug ? "debug" : "practice",
    ...(p.debug ? { name: p.debug.name, timeBoxMinutes: p.debug.timeBoxMinutes } : {}),
  });
  return [...loadPractices().map(row), ...loadDebugDrills().map(row)];
}

export async function runListCommand(options: { json?: boolean }): Promise<void> {
  const rows = collectPractices();
  if (options.json) printJson(rows);
  else logger.info(formatPractices(rows));
}
