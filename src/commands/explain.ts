import { Command } from "@commander-js/extra-typings";
import { parseSeconds } from "../core/options.js";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const explain = new Command("explain")
  .description("explain each key block of a practice aloud against a timer, see its why, rate yourself (for the readiness checklist)")
  .argument("<practice>", "number or name: 3, 03, 03-api-security or api-security")
  .option("--seconds <n>", "time to explain each block (default 90)", parseSeconds)
  .addHelpText(
    "after",
    `
A block counts as explained when your latest rating of it is "fully" and at most 14 days old;
\`drill stats\` shows the criterion met once every key block of 01, 03, 05 and 07 counts.

Examples:
  drill explain 01
  drill explain 03 --seconds 60`,
  )
  .action(async (id, options) => (await import("../actions/explain.js")).runExplainCommand(id, options));
