// `drill review docker`: each rule with its verdict, the notes that name the lines, and the why.
import type { DockerReview } from "../core/docker/review.js";
import { formatNote } from "../core/docker/review.js";
import { highlight } from "./logger.js";

const MARK = { passed: highlight.pass("✔"), failed: highlight.fail("✘"), unavailable: highlight.skip("?") };

export function formatDockerReview(review: DockerReview): string {
  const lines: string[] = [];
  for (const rule of review.rules) {
    lines.push(`${MARK[rule.verdict]} ${rule.requirement} ${rule.title}`);
    if (rule.verdict === "passed") continue;
    for (const note of rule.notes) lines.push(`    ${formatNote(rule.file, note)}`);
    lines.push(highlight.dim(`    why: ${rule.why}`));
  }
  const failed = review.rules.filter((r) => r.verdict === "failed").length;
  const unavailable = review.rules.filter((r) => r.verdict === "unavailable").length;
  // The schema's commit shortened as git does, so the line fits 80 columns.
  lines.push(highlight.dim(`Compose Specification schema: ${review.composeSpec.replace(/@([0-9a-f]{7})[0-9a-f]+/, "@$1")}`));
  lines.push("");
  lines.push(
    failed === 0 && unavailable === 0
      ? highlight.pass(`all ${review.rules.length} Docker rules hold`)
      : `${failed} of ${review.rules.length} Docker rules need work${unavailable ? `, ${unavailable} could not run` : ""}`,
  );
  return lines.join("\n");
}
