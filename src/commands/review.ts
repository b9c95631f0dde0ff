import { Command } from "@commander-js/extra-typings";
import { DrillError } from "../system/errors.js";

export const review = new Command("review")
  .description("what an interviewer would notice in your Python (ruff's FastAPI and async rules plus drill's own), or in your Docker files")
  .argument("[what]", "`docker`: review the Dockerfile and compose file instead of the Python")
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .option("--json", "print the notes as JSON")
  .addHelpText(
    "after",
    `
Examples:
  drill review          # each note: file:line, what an interviewer would think, the idiom instead
  drill review --json   # the same notes as data
  drill review docker   # the Dockerfile (hadolint + drill's rules) and docker-compose.yml (schema + review)

Advice beside the verdict, never a requirement: a green check stays green with notes.
(Practice 00 grades the Docker review as its requirements R00.6-R00.17.)
The rules are listed in docs/review.md.`,
  )
  .action(async (what, options) => {
    if (what === undefined) return (await import("../actions/review.js")).runReviewCommand(options);
    if (what === "docker") return (await import("../actions/review-docker.js")).runReviewDockerCommand(options);
    throw new DrillError("usage", `drill review takes nothing (your Python) or \`docker\`, not "${what}"`);
  });
