// A terminal chart of time to green over attempts: one horizontal bar per attempt on a shared
// minute scale, with a tick axis under the bars. Plain characters only, so it reads the same
// with NO_COLOR, in a log file or pasted into a note; never wider than 72 columns.
import { highlight } from "./logger.js";
import type { AttemptPoint } from "../core/progress/stats.js";
import { formatDuration } from "../core/record/timeline.js";

export const CHART_WIDTH = 72;
/** "#12 p3  " before the bar, " 1:02:03 over" after it. */
const LABEL_WIDTH = 9;
const VALUE_WIDTH = 14;
const BAR_WIDTH = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
/** Older attempts are summarised in one line: a long list helps less than the recent trend. */
const MAX_ATTEMPTS = 12;
/** Tick steps in minutes; the smallest that needs at most MAX_TICKS ticks is used. */
const TICK_STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120];
const MAX_TICKS = 5;

function scale(maxMinutes: number): { step: number; top: number } {
  const step = TICK_STEPS.find((s) => Math.ceil(maxMinutes / s) <= MAX_TICKS) ?? Math.ceil(maxMinutes / MAX_TICKS);
  return { step, top: Math.max(step, Math.ceil(maxMinutes / step) * step) };
}

function rowLabel(point: AttemptPoint, number: number): string {
  const row = point.row === "break" ? "brk" : point.row === "debug" ? "dbg" : `p${point.row}`;
  return `#${number} ${row}`.padEnd(LABEL_WIDTH);
}

/** The axis line (ticks) and the labels under it, in minutes. */
function axis(step: number, top: number): string[] {
  const line = Array.from({ length: BAR_WIDTH + 1 }, () => "─");
  const labels = Array.from({ length: BAR_WIDTH + 8 }, () => " ");
  for (let minutes = 0; minutes <= top; minutes += step) {
    const column = Math.round((minutes / top) * BAR_WIDTH);
    line[column] = "┼";
    const text = String(minutes);
    const from = Math.min(Math.max(0, column - Math.floor(text.length / 2)), labels.length - text.length);
    labels.splice(from, text.length, ...text);
  }
  const pad = " ".repeat(LABEL_WIDTH);
  return [`${pad}${line.join("")}`, `${pad}${labels.join("").trimEnd()} min`];
}

/** The chart's lines; attempts that never went green get a line that says how they ended. */
export function renderTimeToGreenChart(series: AttemptPoint[]): string[] {
  if (series.length === 0) return [];
  const shown = series.slice(-MAX_ATTEMPTS);
  const firstNumber = series.length - shown.length + 1;
  const greenMinutes = shown.flatMap((p) => (p.timeToGreenMs === null ? [] : [p.timeToGreenMs / 60_000]));
  const lines: string[] = [];
  if (shown.length < series.length) lines.push(highlight.dim(`(the last ${shown.length} of ${series.length} attempts)`));
  const { step, top } = scale(Math.max(1, ...greenMinutes));
  shown.forEach((point, index) => {
    const label = rowLabel(point, firstNumber + index);
    if (point.timeToGreenMs === null) {
      lines.push(`${label}${highlight.dim(`· not green (${point.status}${point.overtime ? ", past the timer" : ""})`)}`);
      return;
    }
    const cells = Math.max(1, Math.round((point.timeToGreenMs / 60_000 / top) * BAR_WIDTH));
    const bar = "█".repeat(cells);
    const value = ` ${formatDuration(point.timeToGreenMs)}${point.overtime ? " over" : ""}`;
    lines.push(`${label}${point.overtime ? highlight.fail(bar) : highlight.pass(bar)}${value}`);
  });
  return [...lines, ...axis(step, top)];
}
