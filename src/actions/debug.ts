// drill debug [drill]: a debugging drill's broken app laid out like a practice's scaffold, its
// symptom shown, then the countdown of its time box. The attempt is a session like any other,
// so check, hint, status, resume, reset and stats work on it unchanged.
import { resolve } from "node:path";
import { type DebugDrill, loadDebugDrills, resolveDebugDrill } from "../core/catalog/practices.js";
import { symptomOf } from "../core/catalog/symptom.js";
import { prepareHistoryForWriting } from "../core/record/history.js";
import { assertWorkspacePlace, defaultWorkspaceDir } from "../core/workspace/workspace.js";
import { DrillError } from "../system/errors.js";
import { formatSymptom } from "../ui/debug.js";
import { logger } from "../ui/logger.js";
import { isInteractive, select } from "../ui/prompts.js";
import { beginAttempt, pickDirectory, settleOpenAttempt } from "./start.js";

export interface DebugOptions {
  timer?: number;
  dir?: string;
  /** false with --no-watch: the countdown does not re-check on save until w is pressed. */
  watch?: boolean;
}

/** How a drill is named where the learner picks one: "cors (D1, A CORS error)". */
function drillChoice(drill: DebugDrill): string {
  return `${drill.debug.name} (${drill.id}, ${drill.title})`;
}

async function pickDrill(name: string | undefined): Promise<DebugDrill> {
  if (name !== undefined) return resolveDebugDrill(name);
  const drills = loadDebugDrills();
  if (drills.length === 0) throw new DrillError("usage", "this copy of drill has no debugging drills");
  if (!isInteractive()) {
    // One line: the names, and how to give one.
    throw new DrillError(
      "usage",
      `name the debugging drill to start, one of: ${drills.map(drillChoice).join(", ")}; e.g. \`drill debug ${drills[0]?.debug.name}\``,
    );
  }
  return select(
    "Which debugging drill?",
    drills.map((drill) => ({ name: `${drill.id}  ${drill.title}`, value: drill, description: drill.skill })),
  );
}

export async function runDebugCommand(name: string | undefined, options: DebugOptions): Promise<void> {
  prepareHistoryForWriting();
  const drill = await pickDrill(name);
  const timerMinutes = options.timer ?? drill.debug.timeBoxMinutes;
  const wanted = resolve(options.dir ?? defaultWorkspaceDir(drill));
  assertWorkspacePlace(wanted);
  const countdown = { watch: options.watch !== false };
  if ((await settleOpenAttempt(drill, wanted, countdown)) === "continued") return;
  const dir = await pickDirectory(wanted, true);
  logger.info(formatSymptom(drill, symptomOf(drill), timerMinutes));
  // Phase 2, as `drill break`: finding and fixing, not building from memory.
  await beginAttempt(drill, dir, { phase: 2, timerMinutes, mode: "drill" }, countdown);
}
