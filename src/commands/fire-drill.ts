import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const fireDrill = new Command("fire-drill")
  .description("phase 4: archive your 01/03/05/07 workspaces and rebuild them in sequence within 4 hours")
  .option("-d, --dir <path>", "where the fire drill's workspaces go (default: the current directory)")
  .action(async (options) => (await import("../actions/fire-drill.js")).runFireDrillCommand(options));
