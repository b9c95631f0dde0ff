// drill review: what an interviewer would notice in the learner's Python. Advice beside the
// verdict, never a requirement: it changes no record of the attempt and exits 0 with notes.
import { reviewWorkspace } from "../core/review/run-review.js";
import { resolveSession } from "../core/record/sessions.js";
import { logger, printJson } from "../ui/logger.js";
import { formatReview } from "../ui/review.js";

export interface ReviewCommandOptions {
  dir?: string;
  json?: boolean;
}

export async function runReviewCommand(options: ReviewCommandOptions): Promise<void> {
  const active = resolveSession(options.dir);
  const result = await reviewWorkspace(active.practice, active.workspace);
  if (options.json) {
    printJson(result);
    return;
  }
  for (const line of formatReview(result)) logger.info(line);
}
