import { logger, printJson } from "../ui/logger.js";
import { formatPlan } from "../ui/plan.js";
import type { PlanLength } from "../core/options.js";
import { buildPlan } from "../core/progress/plan.js";
import { localDate } from "../core/progress/dates.js";
import { loadCatalog, loadPractices } from "../core/catalog/practices.js";
import { appendHistory, type HistoryRecord, prepareHistoryForWriting } from "../core/record/history.js";
import { readHistory } from "../core/record/sessions.js";
import { DrillError } from "../system/errors.js";

export interface PlanCommandOptions {
  days: PlanLength;
  interview?: string;
  dailyCap?: number;
  json?: boolean;
}

/** --interview and --daily-cap: one event each, recorded before the plan is shown. */
function recordSettings(options: PlanCommandOptions, now: Date): void {
  const records: HistoryRecord[] = [];
  if (options.interview !== undefined) {
    if (options.interview < localDate(now)) {
      throw new DrillError("usage", `the interview date ${options.interview} is in the past (today is ${localDate(now)})`, {
        hint: `Give the date still ahead, for example: drill plan --interview ${localDate(new Date(now.getTime() + 7 * 86_400_000))}`,
      });
    }
    records.push({ type: "interview", at: now.toISOString(), date: options.interview });
  }
  if (options.dailyCap !== undefined) records.push({ type: "daily-cap", at: now.toISOString(), rebuilds: options.dailyCap });
  if (records.length === 0) return;
  prepareHistoryForWriting();
  appendHistory(records);
}

export async function runPlanCommand(options: PlanCommandOptions, now = new Date()): Promise<void> {
  recordSettings(options, now);
  const plan = buildPlan(readHistory(), loadPractices(), options.days, now, loadCatalog());
  if (options.json) printJson(plan);
  else logger.info(formatPlan(plan));
}
