import { loadCatalog, resolvePractice } from "../core/catalog/practices.js";
import { collectStatsReport } from "../core/progress/report.js";
import { buildSchedule, type Schedule } from "../core/progress/schedule.js";
import { readHistory } from "../core/record/sessions.js";
import { logger, printJson } from "../ui/logger.js";
import { formatStatsReport } from "../ui/stats.js";
import { formatScheduleStats } from "../ui/stats-schedule.js";
import { showReviewTrends } from "./review.js";
import { collectMockReports } from "../core/modes/mock.js";
import { printMockReports } from "../ui/mock.js";

export interface StatsCommandOptions {
  practice?: string;
  json?: boolean;
}

/** The schedule as --json gives it: `--practice` narrows the practices, not the calendar. */
function scheduleFor(schedule: Schedule, only: string | undefined): Schedule {
  return only === undefined ? schedule : { ...schedule, practices: schedule.practices.filter((p) => p.id === only) };
}

export async function runStatsCommand(options: StatsCommandOptions, now = new Date()): Promise<void> {
  const report = collectStatsReport(options.practice, now);
  const only = options.practice === undefined ? undefined : resolvePractice(options.practice).id;
  const schedule = buildSchedule(readHistory(), loadCatalog(), now);
  if (options.json) printJson({ ...report, schedule: scheduleFor(schedule, only) });
  else logger.info(`${formatStatsReport(report)}\n\n${formatScheduleStats(schedule, only)}`);
  showReviewTrends(options);
  if (!options.json) printMockReports(collectMockReports(options.practice));
}
