// How `drill status` reads.
import { PHASES } from "../core/catalog/phases.js";
import type { Status } from "../core/record/status.js";
import { formatDuration } from "../core/record/timeline.js";
import { highlight } from "./logger.js";

function remainingLine(remaining: number, of: string): string {
  return remaining >= 0
    ? `${formatDuration(remaining)} of ${of}`
    : `${highlight.fail(`overtime by ${formatDuration(-remaining)}`)} (${of})`;
}

/** What kind of attempt it is: a phase of the plan, or a mode that is not one (a mock, a debugging drill). */
function kindOf(status: Status): string {
  if (status.mode === "mock") return "interview mock";
  if (status.kind === "debug") return "debugging drill";
  return `phase ${status.phase} (${PHASES[status.phase].name})`;
}

export function formatStatus(status: Status): string {
  const lines = [
    `${highlight.practice(`${status.id} ${status.title}`)} · ${kindOf(status)} · ${status.status}`,
    `workspace  ${highlight.path(status.workspace)}`,
    `elapsed    ${formatDuration(status.elapsedMs)}${status.status === "paused" ? " (paused)" : ""}`,
  ];
  if (status.remainingMs !== null) lines.push(`remaining  ${remainingLine(status.remainingMs, `${status.timerMinutes} min`)}`);
  if (status.fireDrill) {
    const done = status.fireDrill.splits.filter((s) => s.outcome !== "open").length;
    lines.push(
      `fire drill ${done}/${status.fireDrill.practices.length} done · total ${formatDuration(status.fireDrill.totalMs)} · remaining ${remainingLine(status.fireDrill.remainingMs, "4 hours")}`,
    );
  }
  if (status.timeToGreenMs !== null) lines.push(`green at   ${highlight.pass(formatDuration(status.timeToGreenMs))}`);
  const last = status.lastCheck;
  lines.push(
    last === null
      ? `last check none yet: run ${highlight.command("drill check")}`
      : last.error
        ? `last check ${highlight.fail(`server did not start: ${last.error}`)}`
        : `last check ${last.passed}/${last.passed + last.failed + last.skipped} requirements pass (${status.checks} check${status.checks === 1 ? "" : "s"}, ${status.hints} hint${status.hints === 1 ? "" : "s"})`,
  );
  if (status.status === "active" || status.status === "paused") lines.push(highlight.dim("`drill resume` brings the countdown back"));
  return lines.join("\n");
}
