// How `drill stats` reads: a table and a chart per practice, then the readiness checklist.
import { PHASES } from "../core/catalog/phases.js";
import type { ReadinessItem } from "../core/progress/readiness.js";
import type { StatsReport } from "../core/progress/report.js";
import type { PracticeStats, RowStats, StatsRow } from "../core/progress/stats.js";
import { formatDuration } from "../core/record/timeline.js";
import { renderTimeToGreenChart } from "./chart.js";
import { highlight } from "./logger.js";
import { practiceLabel } from "../core/catalog/practices.js";

function rowName(row: StatsRow): string {
  if (row === "debug") return "debug drill";
  return row === "break" ? "break & fix" : `${row} ${PHASES[row].name}`;
}

const time = (ms: number | null) => (ms === null ? "–" : formatDuration(ms));
const count = (value: number | null) => (value === null ? "–" : String(Math.round(value * 10) / 10));

const COLUMNS: Array<{ header: string; width: number; cell: (row: RowStats) => string }> = [
  { header: "tries", width: 5, cell: (r) => String(r.attempts) },
  { header: "green", width: 5, cell: (r) => String(r.green) },
  { header: "best", width: 7, cell: (r) => time(r.bestMs) },
  { header: "median", width: 7, cell: (r) => time(r.medianMs) },
  { header: "last", width: 7, cell: (r) => time(r.lastMs) },
  { header: "over", width: 4, cell: (r) => String(r.overtime) },
  { header: "checks", width: 6, cell: (r) => count(r.medianChecksToGreen) },
  { header: "hints", width: 5, cell: (r) => String(r.hints) },
  { header: "skip", width: 4, cell: (r) => String(r.skipped) },
  { header: "quit", width: 4, cell: (r) => String(r.abandoned) },
];
const NAME_WIDTH = 15;

function formatTable(rows: RowStats[]): string[] {
  const line = (name: string, cell: (column: (typeof COLUMNS)[number]) => string) =>
    `  ${name.padEnd(NAME_WIDTH)}${COLUMNS.map((column) => ` ${cell(column).padStart(column.width)}`).join("")}`;
  return [highlight.dim(line("phase", (c) => c.header)), ...rows.map((row) => line(rowName(row.row), (c) => c.cell(row)))];
}

function formatPractice(practice: PracticeStats): string[] {
  return [
    highlight.practice(practiceLabel(practice)),
    ...formatTable(practice.rows),
    "",
    highlight.dim("  time to green per attempt (p = phase, brk = break & fix, dbg = debug drill)"),
    ...renderTimeToGreenChart(practice.series).map((line) => `  ${line}`),
  ];
}

function formatReadiness(items: ReadinessItem[]): string[] {
  const met = items.filter((i) => i.met).length;
  return [
    `Readiness: ${met} of ${items.length} of the kit's success criteria`,
    ...items.flatMap((item) => [
      `  ${item.met ? highlight.pass("✔") : highlight.fail("✘")} ${item.label}`,
      highlight.dim(`      ${item.evidence}`),
      ...(item.stillNeeds === null ? [] : [`      still needs: ${item.stillNeeds}`]),
    ]),
  ];
}

export function formatStatsReport(report: StatsReport): string {
  const drilled = report.stats.practices.filter((p) => p.attempts > 0);
  const only = report.stats.practices.length === 1 ? report.stats.practices[0] : undefined;
  const intro =
    drilled.length > 0
      ? drilled.flatMap((p) => [...formatPractice(p), ""])
      : only
        ? [`No attempts at ${only.id} yet: start one with ${highlight.command(`drill start ${only.id}`)}.`, ""]
        : [
            `No drills recorded yet. Begin with ${highlight.command("drill plan")} for today's tasks, or ${highlight.command("drill start 01 --phase 2")}.`,
            "",
          ];
  if (drilled.length > 0) {
    intro.push(highlight.dim("Columns: checks = median checks to reach green; over = past the timer; quit = abandoned."), "");
  }
  return [...intro, ...formatReadiness(report.readiness)].join("\n");
}
