import { resolve } from "node:path";
import { createAttempt } from "../core/record/attempts.js";
import {
  applicableMutants,
  applyMutant,
  BREAK_TIMER_MINUTES,
  brokenBefore,
  discardSolution,
  findPassingSolution,
  lastGreenPractice,
  loadMutants,
  overlaySolution,
  pickMutant,
  referenceSolution,
  type Mutant,
  type PassingSolution,
} from "../core/modes/break.js";
import { DrillError } from "../system/errors.js";
import { serviceSources } from "../core/check/services.js";
import { prepareHistoryForWriting, type History } from "../core/record/history.js";
import { highlight, logger } from "../ui/logger.js";
import { loadPractices, resolvePractice, type Practice, practiceLabel } from "../core/catalog/practices.js";
import { practiceOf, readHistory } from "../core/record/sessions.js";
import { defaultWorkspaceDir } from "../core/workspace/workspace.js";
import { countdownOrDeadline } from "./countdown.js";
import { pickDirectory } from "./start.js";

export interface BreakOptions {
  dir?: string;
  timer?: number;
}

function practiceToBreak(id: string | undefined, history: History): Practice {
  if (id !== undefined) return resolvePractice(id);
  const slug = lastGreenPractice(history);
  if (!slug) {
    throw new DrillError("usage", "name the practice to break, for example `drill break 03`: none of yours has passed yet", {
      hint: "With a practice named, the bug goes into the reference solution; once one of yours passes `drill check`, into yours.",
    });
  }
  return practiceOf(slug);
}

/**
 * Bugs that only a real service shows (acking before the work shows only with a broker) are left
 * out when drill has no such service to give the check: the learner could never see them fail.
 */
function visibleHere(mutants: Mutant[]): Mutant[] {
  const sources = serviceSources(process.env);
  const given: Record<string, string | undefined> = { DATABASE_URL: sources.database, REDIS_URL: sources.redis, AMQP_URL: sources.amqp };
  return mutants.filter((mutant) => (mutant.services ?? []).every((name) => given[name]));
}

/** The learner's passing solution if one of the bugs fits its code, else the reference. */
async function solutionWithBug(practice: Practice, history: History): Promise<{ solution: PassingSolution; mutant: Mutant }> {
  let solution: PassingSolution = await findPassingSolution(practice, history);
  let applicable = visibleHere(applicableMutants(practice, solution.dir));
  if (applicable.length === 0 && solution.source === "learner") {
    logger.info(
      highlight.dim("None of the bugs drill knows for this practice fits your code as written, so it goes into the reference solution."),
    );
    await discardSolution(solution);
    solution = referenceSolution(practice);
    applicable = visibleHere(applicableMutants(practice, solution.dir));
  }
  if (applicable.length === 0) {
    throw new Error(`no mutant of ${practice.slug} applies to its reference solution (hidden-tests/mutants/${practice.slug}.json)`);
  }
  return { solution, mutant: pickMutant(applicable, Math.random, brokenBefore(practice, history)) };
}

export async function runBreakCommand(id: string | undefined, options: BreakOptions): Promise<void> {
  prepareHistoryForWriting();
  const history = readHistory();
  const practice = practiceToBreak(id, history);
  if (practice.debug) {
    throw new DrillError("usage", `${practice.id} is a debugging drill, broken already: \`drill debug ${practice.debug.name}\``);
  }
  if (loadMutants(practice).length === 0) {
    const ready = loadPractices()
      .filter((p) => loadMutants(p).length > 0)
      .map((p) => p.id);
    throw new DrillError("usage", `drill has no bugs to inject into practice ${practice.id} yet`, {
      hint: `\`drill break\` works for ${ready.join(", ")}.`,
    });
  }
  const timerMinutes = options.timer ?? BREAK_TIMER_MINUTES;
  const dir = await pickDirectory(resolve(options.dir ?? `${defaultWorkspaceDir(practice)}-break`));
  const { solution, mutant } = await solutionWithBug(practice, history);
  const session = await createAttempt({
    practice,
    dir,
    fields: { phase: 2, timerMinutes, mode: "break", mutant: mutant.id },
    // The bug is in the first commit: no clean commit before it gives the answer away in a diff.
    prepare: async (workspace) => {
      await overlaySolution(solution, workspace);
      applyMutant(workspace, mutant);
    },
    commitMessage: "drill break: a passing solution with one bug in it",
  }).finally(() => discardSolution(solution));

  const whose = solution.source === "learner" ? `yours, green on ${new Date(solution.greenAt).toLocaleString()}` : "the reference solution";
  logger.success(`break workspace for ${highlight.practice(practiceLabel(practice))} at ${highlight.path(dir)}`);
  logger.info(`One realistic bug was injected into a passing solution of ${practice.id} (${whose}).`);
  logger.info(`Find it and fix it: ${highlight.command("drill check")} shows which requirements fail.`);
  logger.break();
  logger.info(`next: ${highlight.command(`drill setup --dir ${dir}`)}, then ${highlight.command(`drill check --dir ${dir}`)}`);

  await countdownOrDeadline(session);
}
