// How `drill list` reads: each practice with its best time, the skill and the job line it trains;
// then, apart, the debugging drills with their time boxes.
import type { PracticeRow } from "../core/catalog/practices.js";
import { formatDuration } from "../core/record/timeline.js";
import { highlight } from "./logger.js";

function bestOf(row: PracticeRow): string {
  return row.bestMs === null ? highlight.dim("not yet green") : highlight.pass(`best ${formatDuration(row.bestMs)}`);
}

function practiceLines(row: PracticeRow): string {
  return [
    `${highlight.practice(row.id)}  ${row.title.padEnd(30)} ${bestOf(row)}`,
    `    ${row.skill}`,
    highlight.dim(`    trains: "${row.jd}"`),
  ].join("\n");
}

function debugLines(row: PracticeRow): string {
  const box = row.timeBoxMinutes === undefined ? "" : `  ${highlight.dim(`box ${formatDuration(row.timeBoxMinutes * 60_000)}`)}`;
  return [
    `${highlight.practice(row.id)}  ${(row.name ?? row.slug).padEnd(14)} ${row.title.padEnd(15)} ${bestOf(row)}${box}`,
    `    ${row.skill}`,
  ].join("\n");
}

export function formatPractices(rows: PracticeRow[]): string {
  const practices = rows.filter((row) => row.kind !== "debug");
  const drills = rows.filter((row) => row.kind === "debug");
  const lines = [...practices.map(practiceLines), "", highlight.dim("Start one with `drill start <id> --timer 60`.")];
  if (drills.length > 0) {
    lines.push(
      "",
      "Debugging drills: a broken app, its symptom, a time box",
      "",
      ...drills.map(debugLines),
      "",
      highlight.dim("Start one with `drill debug <name>`."),
    );
  }
  return lines.join("\n");
}
