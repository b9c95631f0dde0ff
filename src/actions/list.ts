import { DrillError } from "../system/errors.js";
import type { History } from "../core/record/history.js";
import { logger, printJson } from "../ui/logger.js";
import { formatPractices } from "../ui/list.js";
import { loadPractices, type PracticeRow } from "../core/catalog/practices.js";
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

function collectPractices(): PracticeRow[] {
  const best = bestTimes(historyForList());
  return loadPractices().map((p) => ({
    id: p.id,
    slug: p.slug,
    title: p.title,
    skill: p.skill,
    jd: p.jd,
    bestMs: best.get(p.slug) ?? null,
  }));
}

export async function runListCommand(options: { json?: boolean }): Promise<void> {
  const rows = collectPractices();
  if (options.json) printJson(rows);
  else logger.info(formatPractices(rows));
}
