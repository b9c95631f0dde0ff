import { Command } from "@commander-js/extra-typings";
import { parsePhase, parseTimer } from "../core/options.js";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const start = new Command("start")
  .description(
    "create a fresh workspace for a practice with its git repository and Python environment, show its spec, then start the countdown",
  )
  .argument("[practice]", "number or name: 3, 03, 03-api-security or api-security")
  .option("-t, --timer <minutes>", "countdown length in minutes (default: the phase's target)", parseTimer)
  .option("-d, --dir <path>", "where to create the workspace (default: ./drill-<practice>)")
  .option("-p, --phase <2-3>", "study-plan phase: 2 muscle memory (45 min), 3 speed drills (60 min, the default)", parsePhase)
  .option("-r, --random", "pick at random among the practices due (drill next), else favouring those never drilled or slowest")
  .option("--no-watch", "do not re-check on save (press w in the countdown to start watching)")
  .action(async (id, options) => (await import("../actions/start.js")).runStartCommand(id, options));
