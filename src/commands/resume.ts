import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const resume = new Command("resume")
  .description("bring back the countdown of the active session or fire drill (after a closed terminal)")
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .option("--no-watch", "do not re-check on save (press w in the countdown to start watching)")
  .action(async (options) => (await import("../actions/resume.js")).runResumeCommand(options));
