import { resolve } from "node:path";
import { DrillError } from "../system/errors.js";
import { fireDrillPractices, startFireDrill } from "../core/modes/fire-drill.js";
import { highlight, logger } from "../ui/logger.js";
import { prepareHistoryForWriting } from "../core/record/history.js";
import { readHistory } from "../core/record/sessions.js";
import { runFireDrillCountdown } from "./countdown.js";
import { isInteractive } from "../ui/prompts.js";
import { announceWorkspace } from "../ui/announce.js";
import { practiceLabel } from "../core/catalog/practices.js";
import { skipPython } from "../core/workspace/setup.js";
import { readyPracticeEnvs } from "./setup.js";

export async function runFireDrillCommand(options: { dir?: string }): Promise<void> {
  prepareHistoryForWriting();
  const history = readHistory();
  const open = history.runs.find((r) => !r.end);
  if (open) {
    throw new DrillError("usage", `a fire drill started ${new Date(open.startedAt).toLocaleString()} is still running`, {
      hint: "`drill resume` continues it; quitting it there (q) ends it.",
    });
  }
  const { available, missing } = fireDrillPractices();
  const firstPractice = available[0];
  if (!firstPractice) throw new DrillError("unknown-practice", "none of the fire drill's practices (01, 03, 05, 07) is in this drill");
  if (missing.length)
    logger.warn(`practices ${missing.join(", ")} are not in this drill yet; the fire drill runs ${available.map((p) => p.id).join(", ")}`);

  const dir = resolve(options.dir ?? process.cwd());
  // Every practice's Python before the 4-hour clock starts: later workspaces only link theirs.
  if (!skipPython()) await readyPracticeEnvs(available);
  const { run, archived, first } = await startFireDrill(dir, available);
  logger.info(highlight.practice(`Fire drill: ${available.map((p) => practiceLabel(p)).join(" → ")}, in ${run.timerMinutes / 60} hours.`));
  for (const { from, to } of archived) logger.info(highlight.dim(`archived ${from} → ${to} (nothing deleted)`));
  logger.info("Each practice starts when the one before it passes (or is skipped with k).");
  logger.break();
  announceWorkspace(firstPractice, first.workspace, !skipPython());
  if (isInteractive()) await runFireDrillCountdown(run.id);
  else logger.info("the 4-hour clock runs from now; `drill status` shows it, `drill resume` shows the countdown");
}
