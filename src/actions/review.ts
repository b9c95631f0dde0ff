// drill review: what an interviewer would notice in the learner's Python. Advice beside the
// verdict, never a requirement: it exits 0 with notes, and a green check stays green.
// After a green check (drill check, the countdown) the same review runs, its count is recorded
// (the `review` event: stats' "notes after green" trend) and a few lines are shown.
import type { CheckOutcome } from "../core/check/run-check.js";
import { appendHistory } from "../core/record/history.js";
import { resolveSession, type ActiveSession } from "../core/record/sessions.js";
import { reviewWorkspace, type ReviewNote } from "../core/review/run-review.js";
import { logger, printJson } from "../ui/logger.js";
import { formatNotesAfterGreen, formatReview } from "../ui/review.js";

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

/** Every requirement passed and nothing was cut short: the check the review follows. */
export function isGreenOutcome(outcome: CheckOutcome): boolean {
  return outcome.failed === 0 && outcome.skipped === 0 && !outcome.run.timedOut;
}

/**
 * The review after a green, recorded check: the notes, with their count recorded when ruff ran
 * (so every figure of the trend counts the same rules). Never throws: advice must not hide or
 * undo a verdict, so a review that cannot run says why instead.
 */
export async function reviewAfterGreen(active: ActiveSession): Promise<{ notes: ReviewNote[] } | { error: string }> {
  try {
    const result = await reviewWorkspace(active.practice, active.workspace);
    if (result.ruff === "ran")
      appendHistory([{ type: "review", at: new Date().toISOString(), session: active.session.id, notes: result.notes.length }]);
    return { notes: result.notes };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The few lines under a green verdict (drill check and the countdown's last words). */
export function afterGreenLines(review: { notes: ReviewNote[] } | { error: string }): string[] {
  return "error" in review ? [`review: could not run (${review.error})`] : formatNotesAfterGreen(review.notes);
}

/** drill check: under the verdict, after the check is recorded. */
export async function showReviewAfterGreen(active: ActiveSession): Promise<void> {
  for (const line of afterGreenLines(await reviewAfterGreen(active))) logger.info(line);
}
