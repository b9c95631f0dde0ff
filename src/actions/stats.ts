import { loadCatalog, resolvePractice } from "../core/catalog/practices.js";
import { collectStatsReport } from "../core/progress/report.js";
import { buildSchedule, type Schedule } from "../core/progress/schedule.js";
import { readHistory } from "../core/record/sessions.js";
import { logger, printJson } from "../ui/logger.js";
import { formatStatsReport } from "../ui/stats.js";
import { formatScheduleStats } from "../ui/stats-schedule.js";
import { formatReviewTrends } from "../ui/review-trend.js";
import { reviewTrends } from "../core/review/trend.js";
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
  // The history is read once: every figure below is derived from the same record.
  const history = readHistory();
  const report = collectStatsReport(options.practice, now, history);
  const only = options.practice === undefined ? undefined : resolvePractice(options.practice);
  const schedule = buildSchedule(history, loadCatalog(), now);
  const reviews = reviewTrends(history, only?.slug);
  const mocks = collectMockReports(options.practice, now, history);
  if (options.json) {
    // Everything the text shows: the report, the schedule, review notes after green, the mocks.
    printJson({ ...report, schedule: scheduleFor(schedule, only?.id), reviews, mocks });
    return;
  }
  logger.info(`${formatStatsReport(report)}\n\n${formatScheduleStats(schedule, only?.id)}`);
  const trends = formatReviewTrends(reviews);
  if (trends.length) logger.info(trends.join("\n"));
  printMockReports(mocks);
}
