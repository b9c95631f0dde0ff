import { Command } from "@commander-js/extra-typings";
import { parseTimer } from "../core/options.js";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const debug = new Command("debug")
  .description("a debugging drill: a broken app and its symptom in a fresh workspace, then the countdown of its time box")
  .argument("[drill]", "name or id: cors, D1 or d1-cors (without one: a picker in a terminal)")
  .option("-t, --timer <minutes>", "countdown length in minutes (default: the drill's time box)", parseTimer)
  .option("-d, --dir <path>", "where to create the workspace (default: ./drill-<drill>)")
  .option("--no-watch", "do not re-check on save (press w in the countdown to start watching)")
  .addHelpText(
    "after",
    `
Examples:
  drill debug cors           # the CORS drill, 15 minutes
  drill debug                # pick one
  drill list                 # the debugging drills, apart from the practices`,
  )
  .action(async (name, options) => (await import("../actions/debug.js")).runDebugCommand(name, options));
