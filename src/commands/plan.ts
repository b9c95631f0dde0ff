import { Command } from "@commander-js/extra-typings";
import { parseDailyCap, parseInterviewDate, parsePlanDays } from "../core/options.js";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const plan = new Command("plan")
  .description("the study plan over your calendar: today's tasks from what you recorded, and what to drill next")
  .option(
    "--days <7|4>",
    "7: the kit's week (days 1-2 understand, 3-4 muscle memory, 5-6 speed drills, 7 fire drill); 4: day 1 understand and day 2 muscle memory on 01/03/05/07, day 3 speed drills, day 4 fire drill",
    parsePlanDays,
    7,
  )
  .option("--interview <YYYY-MM-DD>", "record the interview date: the plan is laid out backwards from it", parseInterviewDate)
  .option("--daily-cap <n>", "record how many full rebuilds a day the schedule plans (default 2)", parseDailyCap)
  .option("--json", "print the plan as JSON")
  .addHelpText(
    "after",
    [
      "\nDay 1 is the date of the first thing drill recorded (today if nothing is).",
      "With an interview date, day 1 is the day it was set, the fire drill is the day",
      "before the interview, and --days does not apply.",
    ].join("\n"),
  )
  .action(async (options) => (await import("../actions/plan.js")).runPlanCommand(options));
