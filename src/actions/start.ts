import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { AttemptNotReady, createAttempt } from "../core/record/attempts.js";
import { DrillError } from "../system/errors.js";
import { findSession, prepareHistoryForWriting, type Session, type StartFields } from "../core/record/history.js";
import { highlight, logger } from "../ui/logger.js";
import type { Phase } from "../core/options.js";
import { PHASES } from "../core/catalog/phases.js";
import { pickWeighted, practiceWeights } from "../core/progress/pick.js";
import { loadPractices, resolvePractice, type Practice, practiceLabel } from "../core/catalog/practices.js";
import { abandonSession, appendEvent, isWaitingForSetup, latestAttempt, readHistory } from "../core/record/sessions.js";
import { elapsedMs, formatDuration, isOpen } from "../core/record/timeline.js";
import { archiveWorkspace } from "../core/workspace/archive.js";
import { skipPython } from "../core/workspace/setup.js";
import { assertWorkspacePlace, defaultWorkspaceDir, findWorkspace, isOccupied, WORKSPACE_FILE } from "../core/workspace/workspace.js";
import { announceWorkspace } from "../ui/announce.js";
import { type CountdownOptions, countdownOrDeadline, runCountdown } from "./countdown.js";
import { readyPython } from "./setup.js";
import { isInteractive, select } from "../ui/prompts.js";

export interface StartOptions {
  timer?: number;
  dir?: string;
  phase?: Phase;
  random?: boolean;
  /** false with --no-watch: the countdown does not re-check on save until w is pressed. */
  watch?: boolean;
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

/** A workspace whose attempt is over (or not in the record): drill may move it aside. */
function closedWorkspace(dir: string): boolean {
  if (!existsSync(join(dir, WORKSPACE_FILE))) return false;
  try {
    const { marker } = findWorkspace(dir, true);
    const session = findSession(readHistory(), marker.sessionId);
    return !session || !isOpen(session);
  } catch {
    return false;
  }
}

/**
 * A folder that does not exist yet (or is empty): the one asked for, or, in a terminal, one the
 * learner picks. `offerArchive`: a finished attempt's workspace there may be archived (renamed
 * with a time stamp) to start afresh in its place, as `drill reset` does.
 */
export async function pickDirectory(wanted: string, offerArchive = false): Promise<string> {
  assertWorkspacePlace(wanted);
  if (!isOccupied(wanted)) return wanted;
  const archivable = offerArchive && closedWorkspace(wanted);
  if (!isInteractive()) {
    throw new DrillError("workspace-exists", `${wanted} already exists and is not empty; drill never overwrites it`, {
      hint: archivable
        ? "Pick another folder with --dir, or archive that finished attempt and start afresh there with `drill reset --dir`."
        : "Pick another folder with --dir, or continue there with `drill check --dir` / `drill status --dir`.",
    });
  }
  let n = 2;
  while (isOccupied(`${wanted}-${n}`)) n += 1;
  const alternative = `${wanted}-${n}`;
  const choice = await select(`${wanted} already exists. drill never overwrites it. What now?`, [
    { name: `Start in a new folder, ${basename(alternative)}`, value: alternative },
    ...(archivable
      ? [{ name: `Archive it (renamed with a time stamp, nothing deleted) and start afresh in ${basename(wanted)}`, value: "archive" }]
      : []),
    { name: "Cancel (keep everything as it is)", value: "" },
  ]);
  if (!choice) throw new DrillError("cancelled", "cancelled; nothing was changed", { exitCode: 130 });
  if (choice === "archive") {
    logger.info(highlight.dim(`archived ${wanted} → ${archiveWorkspace(wanted)} (its files and git history intact)`));
    return wanted;
  }
  return choice;
}

/** Lays out a fresh attempt, readies its Python before the clock starts, announces it, and runs the countdown. */
export async function beginAttempt(
  practice: Practice,
  dir: string,
  fields: Omit<StartFields, "practice" | "workspace">,
  countdown: CountdownOptions = {},
): Promise<void> {
  logger.info(highlight.dim(`laying out ${practiceLabel(practice)} in ${dir}`));
  // drill's own tests bring their Python (a prepared .venv) and leave this out; documented in test/README.md.
  const skip = skipPython();
  let session: Session;
  try {
    session = await createAttempt({ practice, dir, fields, ...(skip ? {} : { beforeClock: (workspace) => readyPython(workspace) }) });
  } catch (error) {
    if (error instanceof AttemptNotReady) throw notReady(dir, error.cause);
    throw error;
  }
  announceWorkspace(practice, dir, !skip);
  await countdownOrDeadline(session, countdown);
}

/** The reason Python could not be readied, with what the learner still has and how to finish. */
function notReady(dir: string, cause: unknown): DrillError {
  const base =
    cause instanceof DrillError
      ? cause
      : new DrillError(
          "setup-failed",
          `drill could not ready the workspace's Python: ${cause instanceof Error ? cause.message : String(cause)}`,
        );
  const finish = `The workspace is at ${dir}, nothing is lost, and the clock has not started: \`drill setup --dir ${dir}\` finishes it and starts the clock.`;
  return new DrillError(base.code, base.message, { details: base.details, hint: base.hint ? `${base.hint}\n  ${finish}` : finish });
}

/**
 * A practice with an open attempt: in a terminal, continue it or abandon it (recorded as
 * abandoned; its folder archived when the new attempt goes where it is); without one, refuse
 * and name both choices as commands. "continued" when the learner went back to it.
 */
export async function settleOpenAttempt(practice: Practice, dir: string, countdown: CountdownOptions): Promise<"continued" | "fresh"> {
  const open = latestAttempt(readHistory(), practice.slug, true);
  if (!open) return "fresh";
  const where = open.workspace;
  const about = `${practiceLabel(practice)} has an open attempt in ${where} (${formatDuration(elapsedMs(open))} on the clock)`;
  if (!isInteractive()) {
    throw new DrillError("open-attempt", `${about}; drill starts no second one beside it`, {
      hint: `Continue it: \`drill resume --dir ${where}\` (or keep working there and run \`drill check --dir ${where}\`). Abandon it and start afresh: \`drill reset ${practice.id}\` (its folder is kept, renamed with a time stamp).`,
    });
  }
  const choice = await select(`${about}. What now?`, [
    { name: "Continue it", value: "continue" as const, description: "the countdown picks up where it stopped" },
    {
      name: "Abandon it and start afresh",
      value: "abandon" as const,
      description: "recorded as abandoned; its folder is kept (renamed with a time stamp if the new attempt goes there)",
    },
    { name: "Cancel (change nothing)", value: "cancel" as const },
  ]);
  if (choice === "cancel") throw new DrillError("cancelled", "cancelled; nothing was changed", { exitCode: 130 });
  if (choice === "continue") {
    if (isWaitingForSetup(open)) {
      await readyPython(where);
      appendEvent(open.id, { type: "resume", at: new Date().toISOString() });
    }
    logger.info(`Continuing ${highlight.practice(practiceLabel(practice))} in ${highlight.path(where)}.`);
    await runCountdown(open.id, countdown);
    return "continued";
  }
  if (resolve(dir) === where) {
    const aside = archiveWorkspace(where);
    logger.info(highlight.dim(`archived ${where} → ${aside} (its files and git history intact)`));
  }
  abandonSession(open.id);
  logger.info(highlight.dim("the earlier attempt is recorded as abandoned"));
  return "fresh";
}

export async function runStartCommand(id: string | undefined, options: StartOptions): Promise<void> {
  prepareHistoryForWriting();
  const practice = await pickPractice(id, options.random ?? false);
  if (practice.debug) {
    throw new DrillError(
      "usage",
      `${practice.id} is a debugging drill: \`drill debug ${practice.debug.name}\` lays out its broken app with its symptom`,
    );
  }
  const phase: Phase = options.phase ?? 3;
  if (phase === 1) {
    throw new DrillError("usage", "phase 1 is for studying, not building: use `drill study <practice>`");
  }
  if (phase === 4) {
    throw new DrillError("usage", "phase 4 is the fire drill: use `drill fire-drill`");
  }
  const timerMinutes = options.timer ?? PHASES[phase].timerMinutes;
  const wanted = resolve(options.dir ?? defaultWorkspaceDir(practice));
  assertWorkspacePlace(wanted);
  const countdown = { watch: options.watch !== false };
  if ((await settleOpenAttempt(practice, wanted, countdown)) === "continued") return;
  const dir = await pickDirectory(wanted, true);
  await beginAttempt(practice, dir, { phase, timerMinutes, mode: "drill" }, countdown);
}
