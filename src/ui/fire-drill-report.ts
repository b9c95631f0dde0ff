// The fire drill's words: the next practice's turn, and the report (one line per practice
// with its split, then the total).
import { type Practice, practiceLabel } from "../core/catalog/practices.js";
import type { RunProgress } from "../core/modes/fire-drill.js";
import { highlight } from "./logger.js";
import { formatDuration } from "../core/record/timeline.js";

export function formatSplits(progress: RunProgress): string {
  const lines = [
    highlight.practice(
      `Fire drill ${progress.finished ? "report" : "so far"} (started ${new Date(progress.run.startedAt).toLocaleString()})`,
    ),
  ];
  for (const split of progress.splits) {
    const mark =
      split.outcome === "passed"
        ? highlight.pass("✔ passed ")
        : split.outcome === "skipped"
          ? highlight.skip("↷ skipped")
          : split.outcome === "open"
            ? "… running"
            : highlight.fail("✘ abandoned");
    lines.push(`  ${split.practice.padEnd(24)} ${mark}  ${formatDuration(split.ms)}`);
  }
  for (const slug of progress.waiting) lines.push(`  ${slug.padEnd(24)} ${highlight.dim("not reached")}`);
  const limit = progress.run.timerMinutes * 60_000;
  const over = progress.totalMs > limit ? highlight.fail(` (${formatDuration(progress.totalMs - limit)} over)`) : "";
  lines.push(`  ${"total".padEnd(24)}            ${formatDuration(progress.totalMs)} of ${formatDuration(limit)}${over}`);
  return lines.join("\n");
}

/** The one wording of "the run moved on" (after a green check, a skip, or on resume). */
export function formatNextUp(practice: Practice, workspace: string): string {
  return `${highlight.pass("✔ fire drill:")} next up ${highlight.practice(practiceLabel(practice))} in ${highlight.path(workspace)}`;
}
