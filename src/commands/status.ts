import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const status = new Command("status")
  .description("the active session: practice, phase, elapsed and remaining time, last result")
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .option("--json", "print the status as JSON")
  .action(async (options) => (await import("../actions/status.js")).runStatusCommand(options));
