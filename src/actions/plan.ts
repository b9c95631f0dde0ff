import { highlight, logger } from "../ui/logger.js";
import { PHASES } from "../core/catalog/phases.js";
import { buildPlan, type Plan, type PlanLength } from "../core/progress/plan.js";
import { loadPractices } from "../core/catalog/practices.js";
import { readHistory } from "../core/record/sessions.js";

export interface PlanCommandOptions {
  days: PlanLength;
  json?: boolean;
}

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

export function formatPlan(plan: Plan): string {
  const schedule = plan.schedule.map((day) => {
    const marker = !plan.complete && day.day === plan.dayNumber ? "▶" : " ";
    return `${marker} day ${day.day}  ${day.date}  ${day.focus}`;
  });
  const next = plan.next.practice
    ? `${plan.next.practice.id} ${plan.next.practice.title}: ${plan.next.reason}`
    : plan.next.reason;
  return [
    `${plan.days}-day plan, started ${plan.startDate}${plan.days === 4 ? " (phases 1 and 2 on the fire-drill practices)" : ""}`,
    ...schedule,
    "",
    ...formatTasks(plan),
    "",
    `Next: ${highlight.command(plan.next.command)}  ${highlight.dim(`(${next})`)}`,
  ].join("\n");
}

export async function runPlanCommand(options: PlanCommandOptions, now = new Date()): Promise<void> {
  const plan = buildPlan(readHistory(), loadPractices(), options.days, now);
  if (options.json) console.log(JSON.stringify(plan, null, 2));
  else logger.info(formatPlan(plan));
}
