// drill hint [RNN.k]: a hint from any terminal, recorded as the countdown's `h` records one.
import { hintFor, hints } from "../core/catalog/spec.js";
import type { Practice } from "../core/catalog/practices.js";
import { prepareHistoryForWriting, type Session } from "../core/record/history.js";
import { appendEvent, resolveSession } from "../core/record/sessions.js";
import { isOpen, lastCheck } from "../core/record/timeline.js";
import { DrillError } from "../system/errors.js";
import { requirementIds, validRequirements } from "./check.js";
import { highlight, logger, printJson } from "../ui/logger.js";

export interface HintCommandOptions {
  dir?: string;
  json?: boolean;
}

interface ChosenHint {
  index: number;
  title: string;
  body: string;
  /** Why this one: the requirement asked for, the first failing one, or the next unused. */
  reason: string;
}

function takenIndexes(session: Session): Set<number> {
  return new Set(session.events.flatMap((e) => (e.type === "hint" ? [e.index] : [])));
}

/** The hint to show: the one asked for, else the first failing requirement's, else the next not yet taken. */
export function chooseHint(practice: Practice, session: Session, requirement: string | undefined): ChosenHint | undefined {
  if (requirement) {
    const found = hintFor(practice, requirement);
    if (!found) {
      throw new DrillError("usage", `practice ${practice.id} has no hint for ${requirement}`, {
        hint: "Run drill hint without an id for the next hint.",
      });
    }
    return { ...found, reason: `for ${requirement}` };
  }
  const last = lastCheck(session);
  if (last) {
    const failing = requirementIds(practice).find((id) => last.requirements[id] === "failed");
    const found = failing ? hintFor(practice, failing) : undefined;
    if (failing && found) return { ...found, reason: `${failing} failed in your last check` };
  }
  const taken = takenIndexes(session);
  const all = hints(practice);
  const index = all.findIndex((_, i) => !taken.has(i));
  const next = all[index];
  return next ? { index, ...next, reason: "the next hint you have not taken" } : undefined;
}

export async function runHintCommand(requirement: string | undefined, options: HintCommandOptions): Promise<void> {
  const active = resolveSession(options.dir);
  const { practice, session } = active;
  const id = requirement === undefined ? undefined : validRequirements(practice, [requirement], "drill hint")[0];
  const chosen = chooseHint(practice, session, id);
  if (!chosen) {
    if (options.json) printJson({ practice: practice.slug, hint: null, recorded: false });
    logger.info(highlight.dim("No more hints for this practice: you have taken every one."));
    return;
  }
  const total = hints(practice).length;
  // Counted once per hint, and only while the attempt is open: re-reading one, or reading one
  // after green, costs nothing.
  const already = takenIndexes(session).has(chosen.index);
  const record = isOpen(session) && !already;
  if (record) {
    prepareHistoryForWriting();
    appendEvent(session.id, { type: "hint", at: new Date().toISOString(), index: chosen.index });
  }
  if (options.json) {
    printJson({
      practice: practice.slug,
      hint: { index: chosen.index, title: chosen.title, body: chosen.body },
      reason: chosen.reason,
      recorded: record,
    });
    return;
  }
  logger.info(`${highlight.warn(`hint ${chosen.index + 1}/${total}: ${chosen.title}`)} ${highlight.dim(`(${chosen.reason})`)}`);
  logger.info(chosen.body);
  logger.break();
  const note = record ? "recorded as a hint taken" : already ? "taken before: not counted again" : "this attempt is closed: not recorded";
  logger.info(highlight.dim(note));
}
