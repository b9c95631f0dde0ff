import { Command } from "@commander-js/extra-typings";

export const diff = new Command("diff")
  .description("your files beside the reference solution's, as a unified diff through the pager")
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .option("--json", "list the changed, added and missing files as JSON instead")
  .option("-y, --yes", "before your attempt is green: show the reference without asking (recorded as seen)")
  .addHelpText(
    "after",
    `
Examples:
  drill diff            # after green: how your solution differs from the reference
  drill diff --json     # just the file names: changed, added (yours only), missing (reference only)
  drill diff --yes      # before green, without a prompt (recorded: the reference was seen)

Before the attempt is green, drill asks first and records that you saw the reference.`,
  )
  .action(async (options) => (await import("../actions/diff.js")).runDiffCommand(options));
