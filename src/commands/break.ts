import { Command } from "@commander-js/extra-typings";
import { parseTimer } from "../core/options.js";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const breakCommand = new Command("break")
  .description("phase 2: one realistic bug in a passing solution (your last one, or the reference); find and fix it against the clock")
  .argument("[practice]", "number or name (default: the practice of your most recent passing check)")
  .option("-d, --dir <path>", "where to create the workspace (default: ./drill-<practice>-break)")
  .option("-t, --timer <minutes>", "countdown length in minutes (default: 15)", parseTimer)
  .action(async (id, options) => (await import("../actions/break.js")).runBreakCommand(id, options));
