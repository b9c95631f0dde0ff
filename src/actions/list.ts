import { DrillError } from "../system/errors.js";
import type { History } from "../core/record/history.js";
import { highlight, logger } from "../ui/logger.js";
import { loadPractices } from "../core/catalog/practices.js";
import { readHistory } from "../core/record/sessions.js";
import { bestTimes, formatDuration } from "../core/record/timeline.js";

export interface PracticeRow {
  id: string;
  slug: string;
  title: string;
  skill: string;
  jd: string;
  bestMs: number | null;
}

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

export function collectPractices(): PracticeRow[] {
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

export function formatPractices(rows: PracticeRow[]): string {
  const lines = rows.map((row) => {
    const best = row.bestMs === null ? highlight.dim("not yet green") : highlight.pass(`best ${formatDuration(row.bestMs)}`);
    return [
      `${highlight.practice(row.id)}  ${row.title.padEnd(30)} ${best}`,
      `    ${row.skill}`,
      highlight.dim(`    trains: "${row.jd}"`),
    ].join("\n");
  });
  return [...lines, "", highlight.dim("Start one with `drill start <id> --timer 60`.")].join("\n");
}

export async function runListCommand(options: { json?: boolean }): Promise<void> {
  const rows = collectPractices();
  if (options.json) console.log(JSON.stringify(rows, null, 2));
  else logger.info(formatPractices(rows));
}
