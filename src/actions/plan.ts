import { logger, printJson } from "../ui/logger.js";
import { formatPlan } from "../ui/plan.js";
import type { PlanLength } from "../core/options.js";
import { buildPlan } from "../core/progress/plan.js";
import { loadPractices } from "../core/catalog/practices.js";
import { readHistory } from "../core/record/sessions.js";

export interface PlanCommandOptions {
  days: PlanLength;
  json?: boolean;
}

export async function runPlanCommand(options: PlanCommandOptions, now = new Date()): Promise<void> {
  const plan = buildPlan(readHistory(), loadPractices(), options.days, now);
  if (options.json) printJson(plan);
  else logger.info(formatPlan(plan));
}
