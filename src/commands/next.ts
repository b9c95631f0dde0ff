import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const next = new Command("next")
  .description("what to rebuild now: the practice due (or most overdue) in the spaced-repetition schedule, why, and the command")
  .option("--json", "print the answer and today's schedule as JSON")
  .addHelpText(
    "after",
    [
      "\nThe schedule is replayed from your record each time (docs/study-plan.md has the",
      "rating table). Set the interview date and the daily cap with",
      "`drill plan --interview YYYY-MM-DD --daily-cap N`.",
    ].join("\n"),
  )
  .action(async (options) => (await import("../actions/next.js")).runNextCommand(options));
