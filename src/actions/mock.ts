// drill mock: the kit's interview day on one practice. The workspace is laid out as `drill
// start` lays it out (same pieces), the session is recorded with mode "mock" and the day's
// length as its timer, and the countdown shows the boxes (core/modes/mock.ts).
import { resolve } from "node:path";
import { loadPractices, practiceLabel, resolvePractice, type Practice } from "../core/catalog/practices.js";
import { MOCK_BOXES, MOCK_DAY_MINUTES, mockDayMinutes, mockProgress, openMock } from "../core/modes/mock.js";
import { prepareHistoryForWriting } from "../core/record/history.js";
import { practiceOf, readHistory } from "../core/record/sessions.js";
import { formatDuration } from "../core/record/timeline.js";
import { defaultWorkspaceDir } from "../core/workspace/workspace.js";
import { DrillError } from "../system/errors.js";
import { highlight, logger } from "../ui/logger.js";
import { isInteractive } from "../ui/prompts.js";
import { runCountdown } from "./countdown.js";
import { beginAttempt, pickDirectory } from "./start.js";

export interface MockOptions {
  dir?: string;
  /** false with --no-watch. */
  watch?: boolean;
}

function pickPractice(id: string | undefined): Practice {
  if (id !== undefined) return resolvePractice(id);
  const practices = loadPractices();
  const picked = practices[Math.floor(Math.random() * practices.length)];
  if (!picked) throw new DrillError("unknown-practice", "this drill has no practices to run a mock on");
  logger.info(highlight.dim(`picked at random: ${practiceLabel(picked)}`));
  return picked;
}

/** One mock day at a time: an open one is continued (same practice or none named), else refused. */
async function continueOpenMock(id: string | undefined, watch: boolean): Promise<boolean> {
  const open = openMock(readHistory().sessions);
  if (!open) return false;
  const practice = practiceLabel(practiceOf(open.practice));
  const where = `${practice} in ${open.workspace}, ${formatDuration(mockProgress(open).clockMs)} into the day`;
  const other = id !== undefined && resolvePractice(id).slug !== open.practice;
  if (other || !isInteractive()) {
    throw new DrillError("open-attempt", `a mock is still running: ${where}; drill runs one interview day at a time`, {
      hint: `Continue it: \`drill resume --dir ${open.workspace}\`. End it: q in its countdown (what is green stays recorded).`,
    });
  }
  logger.info(`Continuing the mock: ${highlight.practice(where)}.`);
  await runCountdown(open.id, { watch });
  return true;
}

export async function runMockCommand(id: string | undefined, options: MockOptions): Promise<void> {
  prepareHistoryForWriting();
  const dayMinutes = mockDayMinutes();
  const watch = options.watch !== false;
  if (id !== undefined) resolvePractice(id); // a mistyped practice is said before anything else
  if (await continueOpenMock(id, watch)) return;
  const practice = pickPractice(id);
  const dir = await pickDirectory(resolve(options.dir ?? `${defaultWorkspaceDir(practice)}-mock`), true);
  logger.info(highlight.practice(`Interview mock: ${practiceLabel(practice)}, a ${formatDuration(dayMinutes * 60_000)} day in six boxes:`));
  const scale = dayMinutes / MOCK_DAY_MINUTES;
  logger.info(`  ${MOCK_BOXES.map((box) => `${box.name} ${formatDuration(box.minutes * 60_000 * scale)}`).join(" · ")}`);
  logger.info("  A check is taken at each boundary; the report says what was green at each.");
  await beginAttempt(practice, dir, { phase: 3, timerMinutes: dayMinutes, mode: "mock" }, { watch });
}
