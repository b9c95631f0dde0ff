import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const reset = new Command("reset")
  .description(
    "archive the current attempt (renamed with a time stamp, history intact), record it abandoned, and start the practice afresh",
  )
  .argument("[practice]", "the practice whose latest attempt to reset (default: the workspace here, or --dir)")
  .option("-d, --dir <path>", "the workspace to reset (default: the one around the current directory, else the active session's)")
  .addHelpText(
    "after",
    "\nExamples:\n  drill reset            the attempt in this folder\n  drill reset 03         practice 03's latest attempt\n\nNothing is deleted: the old folder stays beside the new one, as <folder>.archived-<time>.",
  )
  .action(async (id, options) => (await import("../actions/reset.js")).runResetCommand(id, options));
