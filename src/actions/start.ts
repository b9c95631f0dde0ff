import { basename, resolve } from "node:path";
import { createAttempt } from "../core/record/attempts.js";
import { DrillError } from "../system/errors.js";
import { prepareHistoryForWriting } from "../core/record/history.js";
import { highlight, logger } from "../ui/logger.js";
import type { Phase } from "../core/options.js";
import { PHASES } from "../core/catalog/phases.js";
import { pickWeighted, practiceWeights } from "../core/progress/pick.js";
import { loadPractices, resolvePractice, type Practice, practiceLabel } from "../core/catalog/practices.js";
import { readHistory } from "../core/record/sessions.js";
import { assertWorkspacePlace, defaultWorkspaceDir, isOccupied } from "../core/workspace/workspace.js";
import { announceWorkspace } from "../ui/announce.js";
import { countdownOrDeadline } from "./countdown.js";
import { isInteractive, select } from "../ui/prompts.js";

export interface StartOptions {
  timer?: number;
  dir?: string;
  phase?: Phase;
  random?: boolean;
}

async function pickPractice(id: string | undefined, random: boolean): Promise<Practice> {
  if (id !== undefined && random) {
    throw new DrillError("usage", "give a practice or --random, not both");
  }
  if (random) {
    const picked = pickWeighted(practiceWeights(loadPractices(), readHistory()));
    logger.info(highlight.dim(`picked at random (${picked.reason}): ${practiceLabel(picked.practice)}`));
    return picked.practice;
  }
  if (id !== undefined) return resolvePractice(id);
  if (!isInteractive()) {
    throw new DrillError("usage", "name the practice to start, for example `drill start 03`, or use --random", {
      hint: "`drill list` shows the practices.",
    });
  }
  return select(
    "Which practice?",
    loadPractices().map((p) => ({ name: `${p.id}  ${p.title}`, value: p, description: p.skill })),
  );
}

/** A folder that does not exist yet (or is empty): the one asked for, or, in a terminal, one the learner picks. */
export async function pickDirectory(wanted: string): Promise<string> {
  assertWorkspacePlace(wanted);
  if (!isOccupied(wanted)) return wanted;
  if (!isInteractive()) {
    throw new DrillError("workspace-exists", `${wanted} already exists and is not empty; drill never overwrites it`, {
      hint: "Pick another folder with --dir, or continue there with `drill check --dir` / `drill status --dir`.",
    });
  }
  let n = 2;
  while (isOccupied(`${wanted}-${n}`)) n += 1;
  const alternative = `${wanted}-${n}`;
  const choice = await select(`${wanted} already exists. drill never overwrites it. What now?`, [
    { name: `Start in a new folder, ${basename(alternative)}`, value: alternative },
    { name: "Cancel (keep everything as it is)", value: "" },
  ]);
  if (!choice) throw new DrillError("cancelled", "cancelled; nothing was changed", { exitCode: 130 });
  return choice;
}

export async function runStartCommand(id: string | undefined, options: StartOptions): Promise<void> {
  prepareHistoryForWriting();
  const practice = await pickPractice(id, options.random ?? false);
  const phase: Phase = options.phase ?? 3;
  if (phase === 1) {
    throw new DrillError("usage", "phase 1 is for studying, not building: use `drill study <practice>`");
  }
  if (phase === 4) {
    throw new DrillError("usage", "phase 4 is the fire drill: use `drill fire-drill`");
  }
  const timerMinutes = options.timer ?? PHASES[phase].timerMinutes;
  const dir = await pickDirectory(resolve(options.dir ?? defaultWorkspaceDir(practice)));
  const session = await createAttempt({ practice, dir, fields: { phase, timerMinutes, mode: "drill" } });
  announceWorkspace(practice, dir);

  await countdownOrDeadline(session);
}
