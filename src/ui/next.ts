// How `drill next` reads: the practice, why it is due, the command; then the day's load.
import { describeDate } from "../core/progress/dates.js";
import type { Schedule } from "../core/progress/schedule.js";
import { highlight } from "./logger.js";
import { practiceLabel } from "../core/catalog/practices.js";

function formatDay(schedule: Schedule): string {
  const done = `Today: ${schedule.doneToday} of ${schedule.dailyCap} rebuilds done`;
  if (schedule.interview === null) return `${done}. No interview date yet: ${highlight.command("drill plan --interview YYYY-MM-DD")}`;
  const left = schedule.daysLeft ?? 0;
  const when = left < 0 ? "has passed" : left === 0 ? "is today" : `is in ${left} day${left === 1 ? "" : "s"}`;
  return `${done}. The interview (${schedule.interview}) ${when}.`;
}

export function formatNext(schedule: Schedule, open?: { label: string; workspace: string }): string {
  const text = nextText(schedule);
  if (!open) return text;
  return [
    `Open now: ${highlight.practice(open.label)} in ${highlight.path(open.workspace)}`,
    `  ${highlight.command("drill resume")} continues it; it counts in the schedule once it is green or ended.`,
    "",
    text,
  ].join("\n");
}

function nextText(schedule: Schedule): string {
  const { next } = schedule;
  if (next) {
    return [
      `Next: ${highlight.practice(practiceLabel(next))}`,
      `  ${next.reason}`,
      `  ${highlight.command(next.command)}`,
      "",
      formatDay(schedule),
    ].join("\n");
  }
  const ahead = schedule.nextDay === null ? undefined : schedule.calendar.find((day) => day.date === schedule.nextDay);
  const first = schedule.practices.find((p) => p.id === ahead?.practices[0]);
  const why =
    schedule.doneToday >= schedule.dailyCap ? `Today's ${schedule.dailyCap} rebuilds are done: the day is full.` : "Nothing is due today.";
  const later =
    first && schedule.nextDay
      ? `Next due ${describeDate(schedule.nextDay, schedule.today)} (${schedule.nextDay}): ${practiceLabel(first)}`
      : "Nothing is due in the next two weeks.";
  return [why, later, "", formatDay(schedule)].join("\n");
}
