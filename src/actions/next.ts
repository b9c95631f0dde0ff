// drill next: the schedule's answer to "what now?", with its reason and the command to run.
import { loadCatalog } from "../core/catalog/practices.js";
import { buildSchedule } from "../core/progress/schedule.js";
import { readHistory } from "../core/record/sessions.js";
import { logger, printJson } from "../ui/logger.js";
import { formatNext } from "../ui/next.js";

export interface NextCommandOptions {
  json?: boolean;
}

export async function runNextCommand(options: NextCommandOptions, now = new Date()): Promise<void> {
  const schedule = buildSchedule(readHistory(), loadCatalog(), now);
  const { practices: _all, calendar, ...answer } = schedule;
  if (options.json) printJson({ ...answer, dueToday: calendar[0]?.practices ?? [] });
  else logger.info(formatNext(schedule));
}
