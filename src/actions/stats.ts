import { collectStatsReport } from "../core/progress/report.js";
import { logger, printJson } from "../ui/logger.js";
import { formatStatsReport } from "../ui/stats.js";
import { collectMockReports } from "../core/modes/mock.js";
import { printMockReports } from "../ui/mock.js";

export interface StatsCommandOptions {
  practice?: string;
  json?: boolean;
}

export async function runStatsCommand(options: StatsCommandOptions): Promise<void> {
  const report = collectStatsReport(options.practice);
  if (options.json) printJson(report);
  else logger.info(formatStatsReport(report));
  if (!options.json) printMockReports(collectMockReports(options.practice));
}
