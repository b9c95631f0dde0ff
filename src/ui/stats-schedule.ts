// The spaced-repetition part of `drill stats`: per practice its next due date, stability and
// last rating, then a small calendar of the days ahead with the load the daily cap allows.
import { daysBetween, describeDate } from "../core/progress/dates.js";
import type { Schedule } from "../core/progress/schedule.js";
import { highlight } from "./logger.js";

const CALENDAR_DAYS = 7;
const WEEKDAY = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function dueText(due: string, today: string): string {
  const offset = daysBetween(today, due);
  if (offset < 0) return `overdue since ${describeDate(due, today)}`;
  if (offset === 0) return "due today";
  const described = describeDate(due, today);
  return described === due ? `due ${due}` : `due ${described} (${due})`;
}

export function formatScheduleStats(schedule: Schedule, only?: string): string {
  const rows = schedule.practices
    .filter((p) => only === undefined || p.id === only)
    .map((p) => {
      const stability = p.stabilityDays === null ? "–" : `${p.stabilityDays} d`;
      return `  ${`${p.id} ${p.title}`.slice(0, 28).padEnd(28)} ${dueText(p.due, schedule.today).padEnd(29)} ${stability.padStart(9)}  ${p.lastRating ?? "new"}`;
    });
  const calendar = schedule.calendar.slice(0, CALENDAR_DAYS).map((day) => {
    const weekday = WEEKDAY[new Date(`${day.date}T00:00:00Z`).getUTCDay()] ?? "";
    const marker = day.date === schedule.interview ? "  interview" : "";
    const bar = "■".repeat(day.practices.length).padEnd(schedule.dailyCap);
    return `  ${weekday} ${day.date}  ${bar}  ${day.practices.join(" ")}${marker}`.trimEnd();
  });
  const heading =
    schedule.interview === null
      ? [
          `Spaced repetition, at most ${schedule.dailyCap} rebuilds a day`,
          `  no interview date yet: ${highlight.command("drill plan --interview YYYY-MM-DD")}`,
        ]
      : [`Spaced repetition toward the interview on ${schedule.interview}, at most ${schedule.dailyCap} rebuilds a day`];
  return [
    ...heading,
    highlight.dim(`  ${"practice".padEnd(28)} ${"next".padEnd(29)} ${"stability".padStart(9)}  last`),
    ...rows,
    "",
    highlight.dim("  the days ahead (■ = one rebuild)"),
    ...calendar,
  ].join("\n");
}
