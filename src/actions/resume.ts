import { DrillError } from "../system/errors.js";
import { advanceFireDrill } from "../core/modes/fire-drill.js";
import { findRun, prepareHistoryForWriting } from "../core/record/history.js";
import { highlight, logger } from "../ui/logger.js";
import { readHistory, resolveSession } from "../core/record/sessions.js";
import { formatDuration, isOpen, sessionStatus, timeToGreenMs } from "../core/record/timeline.js";
import { runCountdown, runFireDrillCountdown } from "./countdown.js";
import { formatNextUp } from "../ui/fire-drill-report.js";
import { isInteractive } from "../ui/prompts.js";
import { practiceLabel } from "../core/catalog/practices.js";
import { mockProgress } from "../core/modes/mock.js";

export async function runResumeCommand(options: { dir?: string; watch?: boolean }): Promise<void> {
  const { session, practice } = resolveSession(options.dir);
  if (!isInteractive()) {
    throw new DrillError("usage", "drill resume shows the live countdown, which needs a terminal", {
      hint: "`drill status` shows the same clock without one.",
    });
  }
  // The countdown records pauses, hints and checks.
  prepareHistoryForWriting();
  if (session.run) {
    const run = findRun(readHistory(), session.run);
    if (!run || run.end) {
      throw new DrillError("no-session", "that fire drill is over", {
        hint: "`drill stats` shows its splits; `drill fire-drill` starts a new one.",
      });
    }
    const advanced = await advanceFireDrill(run.id);
    if (advanced.kind === "next") logger.info(formatNextUp(advanced.practice, advanced.session.workspace));
    if (advanced.kind === "finished") return;
    logger.info(`Resuming the fire drill started ${new Date(run.startedAt).toLocaleString()}.`);
    await runFireDrillCountdown(run.id, { watch: options.watch ?? true });
    return;
  }
  // A mock's day goes on after its first green check, until its clock runs out or q ends it.
  if (!isOpen(session) && !(session.mode === "mock" && !mockProgress(session).over)) {
    const status = sessionStatus(session);
    const detail = status === "passed" ? ` (green at ${formatDuration(timeToGreenMs(session) ?? 0)})` : "";
    throw new DrillError("no-session", `the last session, ${practiceLabel(practice)}, is ${status}${detail}`, {
      hint: "Start another with `drill start`.",
    });
  }
  logger.info(`Resuming ${highlight.practice(practiceLabel(practice))} in ${highlight.path(session.workspace)}.`);
  await runCountdown(session.id, { watch: options.watch ?? true });
}
