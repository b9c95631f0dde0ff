// How `drill list` reads: each practice with its best time, the skill and the job line it trains;
// then, apart, the debugging drills with their time boxes.
import type { PracticeRow } from "../core/catalog/practices.js";
import { formatDuration } from "../core/record/timeline.js";
import { highlight } from "./logger.js";

function bestOf(row: PracticeRow): string {
  return row.bestMs === null ? highlight.dim("not yet green") : highlight.pass(`best ${formatDuration(row.bestMs)}`);
}

/** Each column as wide as its longest entry, so every row's verdict starts in the same place. */
function widest(values: string[], least = 0): number {
  return Math.max(least, ...values.map((value) => value.length));
}

function practiceLines(row: PracticeRow, titleWidth: number): string {
  return [
    `${highlight.practice(row.id)}  ${row.title.padEnd(titleWidth)} ${bestOf(row)}`,
    `    ${row.skill}`,
    highlight.dim(`    trains: "${row.jd}"`),
  ].join("\n");
}

function debugLines(row: PracticeRow, nameWidth: number, titleWidth: number): string {
  const box = row.timeBoxMinutes === undefined ? "" : `  ${highlight.dim(`box ${formatDuration(row.timeBoxMinutes * 60_000)}`)}`;
  return [
    `${highlight.practice(row.id)}  ${(row.name ?? row.slug).padEnd(nameWidth)} ${row.title.padEnd(titleWidth)} ${bestOf(row)}${box}`,
    `    ${row.skill}`,
  ].join("\n");
}

export function formatPractices(rows: PracticeRow[]): string {
  const practices = rows.filter((row) => row.kind !== "debug");
  const drills = rows.filter((row) => row.kind === "debug");
  const titleWidth = widest(
    practices.map((row) => row.title),
    30,
  );
  const lines = [
    ...practices.map((row) => practiceLines(row, titleWidth)),
    "",
    highlight.dim("Start one with `drill start <id> --timer 60`."),
  ];
  if (drills.length > 0) {
    lines.push(
      "",
      "Debugging drills: a broken app, its symptom, a time box",
      "",
      ...drills.map((row) => debugLines(row, widest(drills.map((d) => d.name ?? d.slug)), widest(drills.map((d) => d.title)))),
      "",
      highlight.dim("Start one with `drill debug <name>`."),
    );
  }
  return lines.join("\n");
}
