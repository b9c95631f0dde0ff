import { loadCatalog, resolvePractice } from "../core/catalog/practices.js";
import { collectStatsReport } from "../core/progress/report.js";
import { buildSchedule, type Schedule } from "../core/progress/schedule.js";
import { readHistory } from "../core/record/sessions.js";
import { logger, printJson } from "../ui/logger.js";
import { formatStatsReport } from "../ui/stats.js";
import { formatScheduleStats } from "../ui/stats-schedule.js";
import { showReviewTrends } from "./review.js";
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
  const report = collectStatsReport(options.practice, now);
  const only = options.practice === undefined ? undefined : resolvePractice(options.practice);
  const history = readHistory();
  const schedule = buildSchedule(history, loadCatalog(), now);
  const mocks = collectMockReports(options.practice, now);
  if (options.json) {
    // Everything the text shows: the report, the schedule, review notes after green, the mocks.
    printJson({ ...report, schedule: scheduleFor(schedule, only?.id), reviews: reviewTrends(history, only?.slug), mocks });
    return;
  }
  logger.info(`${formatStatsReport(report)}\n\n${formatScheduleStats(schedule, only?.id)}`);
  showReviewTrends(options);
  printMockReports(mocks);
}
