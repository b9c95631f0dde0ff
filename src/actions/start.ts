import { basename } from "node:path";
import { resolve } from "node:path";
import { DrillError } from "../core/errors.js";
import { highlight, logger } from "../core/logger.js";
import { parsePhase, parseTimer, type Phase } from "../core/options.js";
import { loadPractices, resolvePractice, type Practice } from "../core/practices.js";
import { addSession } from "../core/sessions.js";
import { initWorkspaceRepo } from "../core/snapshot.js";
import { requirementLines } from "../core/spec.js";
import { newSession } from "../core/state.js";
import { deadline } from "../core/timeline.js";
import { createWorkspace, defaultWorkspaceDir, isOccupied } from "../core/workspace.js";
import { runCountdown } from "../ui/countdown.js";
import { isInteractive, select } from "../ui/prompts.js";

export interface StartOptions {
  timer?: number;
  dir?: string;
  phase?: Phase;
}

const DEFAULT_TIMER: Record<Phase, number | null> = { 1: null, 2: 45, 3: 60, 4: 240 };

async function pickPractice(id: string | undefined): Promise<Practice> {
  if (id !== undefined) return resolvePractice(id);
  if (!isInteractive()) {
    throw new DrillError("usage", "name the practice to start, for example `drill start 03`", {
      hint: "`drill list` shows the practices.",
    });
  }
  return select(
    "Which practice?",
    loadPractices().map((p) => ({ name: `${p.id}  ${p.title}`, value: p, description: p.skill })),
  );
}

/** A folder that does not exist yet (or is empty): the one asked for, or, in a terminal, one the learner picks. */
async function pickDirectory(wanted: string): Promise<string> {
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
  const practice = await pickPractice(id);
  const phase: Phase = options.phase ?? 3;
  const timerMinutes = options.timer ?? DEFAULT_TIMER[phase];
  const dir = await pickDirectory(resolve(options.dir ?? defaultWorkspaceDir(practice)));

  const session = newSession({ practice: practice.slug, workspace: dir, phase, timerMinutes });
  await createWorkspace(practice, dir, {
    version: 1,
    sessionId: session.id,
    practice: practice.slug,
    createdAt: session.startedAt,
  });
  await initWorkspaceRepo(dir, `drill start: ${practice.slug} (scaffold)`);
  addSession(session);

  logger.success(`workspace for ${highlight.practice(`${practice.id} ${practice.title}`)} at ${highlight.path(dir)}`);
  logger.break();
  logger.info(`The spec is ${highlight.path(`${dir}/README.md`)}. Requirements:`);
  for (const line of requirementLines(practice)) logger.info(`  ${line}`);
  logger.break();
  logger.info(`next: ${highlight.command(`drill setup --dir ${dir}`)}, build the server, then ${highlight.command(`drill check --dir ${dir}`)}`);

  const due = deadline(session);
  if (!due) return;
  if (isInteractive()) {
    await runCountdown({ sessionId: session.id, practice, workspace: dir });
  } else {
    logger.info(`timer: ${timerMinutes} min, due at ${due.toLocaleTimeString()} (${due.toISOString()}); \`drill status\` shows the time left`);
  }
}
