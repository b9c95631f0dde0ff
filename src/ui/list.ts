// How `drill list` reads: each practice with its best time, the skill and the job line it trains.
import type { PracticeRow } from "../core/catalog/practices.js";
import { formatDuration } from "../core/record/timeline.js";
import { highlight } from "./logger.js";

export function formatPractices(rows: PracticeRow[]): string {
  const lines = rows.map((row) => {
    const best = row.bestMs === null ? highlight.dim("not yet green") : highlight.pass(`best ${formatDuration(row.bestMs)}`);
    return [
      `${highlight.practice(row.id)}  ${row.title.padEnd(30)} ${best}`,
      `    ${row.skill}`,
      highlight.dim(`    trains: "${row.jd}"`),
    ].join("\n");
  });
  return [...lines, "", highlight.dim("Start one with `drill start <id> --timer 60`.")].join("\n");
}
