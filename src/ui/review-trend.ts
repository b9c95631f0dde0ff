// drill stats' lines for the review: the notes after each green check, per practice.
import type { ReviewTrend } from "../core/review/trend.js";
import { highlight } from "./logger.js";

/** The last figures shown; older ones are summarised as "…". */
const SHOWN = 8;

/** `01 Async ML inference   notes after green: 6 → 3 → 0`; nothing when no review is recorded. */
export function formatReviewTrends(trends: readonly ReviewTrend[]): string[] {
  if (trends.length === 0) return [];
  const width = Math.max(...trends.map((t) => t.label.length));
  return [
    "",
    highlight.dim("Review (what an interviewer would notice; `drill review`): notes after green, per attempt"),
    ...trends.map((trend) => {
      const shown = trend.notes.slice(-SHOWN).join(" → ");
      const older = trend.notes.length > SHOWN ? "… → " : "";
      return `  ${highlight.practice(trend.label.padEnd(width))}  notes after green: ${older}${shown}`;
    }),
  ];
}
