import { Command } from "@commander-js/extra-typings";

export const review = new Command("review")
  .description("what an interviewer would notice in your Python: ruff's FastAPI and async rules plus drill's own")
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .option("--json", "print the notes as JSON")
  .addHelpText(
    "after",
    `
Examples:
  drill review          # each note: file:line, what an interviewer would think, the idiom instead
  drill review --json   # the same notes as data

Advice beside the verdict, never a requirement: a green check stays green with notes.
The rules are listed in docs/review.md.`,
  )
  .action(async (options) => (await import("../actions/review.js")).runReviewCommand(options));
