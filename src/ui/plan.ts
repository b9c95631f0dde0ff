// How `drill plan` reads: the schedule, today's tasks and the next command.
import { PHASES } from "../core/catalog/phases.js";
import type { Plan } from "../core/progress/plan.js";
import { highlight } from "./logger.js";
import { practiceLabel } from "../core/catalog/practices.js";

function formatTasks(plan: Plan): string[] {
  const heading = plan.complete
    ? `The ${plan.days}-day plan is complete (today is day ${plan.dayNumber}). Keep it sharp:`
    : `Today, day ${plan.dayNumber} of ${plan.days} (${PHASES[plan.tasksPhase].name}):`;
  return [
    heading,
    ...plan.tasks.map((task) =>
      task.done ? `  ${highlight.pass("✔")} ${task.label}` : `  ${highlight.fail("✘")} ${task.label}  ${highlight.command(task.command)}`,
    ),
  ];
}

function formatHeading(plan: Plan): string {
  if (plan.interview) {
    const left = plan.interview.daysLeft;
    const when = left === 0 ? "today" : `in ${left} day${left === 1 ? "" : "s"}`;
    return `Interview ${plan.interview.date}, ${when}: ${plan.days}-day plan from ${plan.startDate}`;
  }
  return `${plan.days}-day plan, started ${plan.startDate}${plan.days === 4 ? " (phases 1 and 2 on the fire-drill practices)" : ""}`;
}

/** Today's practices in the spaced-repetition schedule (`drill next` names the first). */
function formatDue(plan: Plan): string[] {
  if (plan.dueToday.length === 0) return [];
  return [
    `Due today (spaced repetition, at most ${plan.dailyCap} rebuilds a day):`,
    ...plan.dueToday.map((item) => `  ${practiceLabel(item)}  ${highlight.dim(item.reason)}`),
    "",
  ];
}

export function formatPlan(plan: Plan): string {
  const schedule = plan.schedule.map((day) => {
    const marker = !plan.complete && day.day === plan.dayNumber ? "▶" : " ";
    return `${marker} day ${day.day}  ${day.date}  ${day.focus}`;
  });
  const next = plan.next.practice ? `${practiceLabel(plan.next.practice)}: ${plan.next.reason}` : plan.next.reason;
  return [
    formatHeading(plan),
    ...schedule,
    "",
    ...formatTasks(plan),
    "",
    ...formatDue(plan),
    `Next: ${highlight.command(plan.next.command)}  ${highlight.dim(`(${next})`)}`,
  ].join("\n");
}
