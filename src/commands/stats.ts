import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const stats = new Command("stats")
  .description("per practice and phase: attempts, best/median/last time to green, a chart, and the kit's readiness checklist")
  .option("--practice <id>", "only this practice (3, 03, 03-api-security or api-security)")
  .option("--json", "print the stats and the checklist as JSON")
  .action(async (options) => (await import("../actions/stats.js")).runStatsCommand(options));
