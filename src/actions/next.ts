// drill next: the schedule's answer to "what now?", with its reason and the command to run.
import { loadCatalog, practiceLabel } from "../core/catalog/practices.js";
import { findSession } from "../core/record/history.js";
import { isOpen } from "../core/record/timeline.js";
import { buildSchedule } from "../core/progress/schedule.js";
import { practiceOf, readHistory } from "../core/record/sessions.js";
import { logger, printJson } from "../ui/logger.js";
import { formatNext } from "../ui/next.js";

export interface NextCommandOptions {
  json?: boolean;
}

export async function runNextCommand(options: NextCommandOptions, now = new Date()): Promise<void> {
  const history = readHistory();
  const schedule = buildSchedule(history, loadCatalog(), now);
  // An attempt still open comes before anything new: it counts once it is green or ended.
  const active = history.activeSessionId ? findSession(history, history.activeSessionId) : undefined;
  const open = active && isOpen(active) ? { practice: active.practice, workspace: active.workspace, command: "drill resume" } : null;
  const { practices: _all, calendar, ...answer } = schedule;
  if (options.json) printJson({ ...answer, dueToday: calendar[0]?.practices ?? [], open });
  else logger.info(formatNext(schedule, open ? { label: practiceLabel(practiceOf(open.practice)), workspace: open.workspace } : undefined));
}
