// drill explain <practice>: each key block's title and code, a visible timer while the learner
// explains it aloud (Enter ends it early), then the block's why and the learner's own rating,
// recorded at once: Ctrl-C after three blocks keeps those three ratings.
import { resolvePractice } from "../core/catalog/practices.js";
import { keyBlocks } from "../core/catalog/study.js";
import { blockStandings } from "../core/progress/explain.js";
import { appendHistory, type ExplainRating, prepareHistoryForWriting } from "../core/record/history.js";
import { readHistory } from "../core/record/sessions.js";
import { DrillError } from "../system/errors.js";
import {
  formatExplainBlock,
  formatExplainIntro,
  formatExplainSummary,
  formatTimerLine,
  formatTimeUp,
  formatWhy,
  RATING_CHOICES,
} from "../ui/explain.js";
import { logger } from "../ui/logger.js";
import { isInteractive, select } from "../ui/prompts.js";

export interface ExplainOptions {
  seconds?: number;
}

export const DEFAULT_EXPLAIN_SECONDS = 90;

function columns(): number {
  return process.stdout.columns > 0 ? process.stdout.columns : 80;
}

/**
 * The timer while the learner talks: one line redrawn each second, until the time is up or
 * Enter is pressed. Ctrl-C (a byte in raw mode, not a signal) rejects with "interrupted".
 */
function talk(totalMs: number): Promise<{ endedEarly: boolean; spentMs: number }> {
  const { stdin, stdout } = process;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const draw = () => stdout.write(`\r\u001b[2K${formatTimerLine(totalMs - (Date.now() - started), totalMs, columns())}`);
    const finish = (outcome: { endedEarly: boolean } | { interrupted: true }) => {
      clearInterval(ticker);
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write("\r\u001b[2K");
      if ("interrupted" in outcome) reject(new DrillError("interrupted", "interrupted"));
      else resolve({ endedEarly: outcome.endedEarly, spentMs: Date.now() - started });
    };
    const onData = (data: Buffer | string) => {
      const text = data.toString();
      if (text.includes("\u0003") || text.includes("\u0004")) finish({ interrupted: true });
      else if (text.includes("\r") || text.includes("\n")) finish({ endedEarly: true });
      // Any other key is ignored: the learner may fidget while talking.
    };
    const ticker = setInterval(() => {
      if (Date.now() - started >= totalMs) finish({ endedEarly: false });
      else draw();
    }, 250);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
    draw();
  });
}

export async function runExplainCommand(id: string, options: ExplainOptions): Promise<void> {
  const practice = resolvePractice(id);
  const blocks = keyBlocks(practice);
  if (!isInteractive()) {
    // Nothing here can run without someone at the keyboard: the timer waits for Enter, the rating for a choice.
    throw new DrillError(
      "usage",
      `drill explain needs an interactive terminal (it times you talking and asks for your rating); run it outside CI and pipes`,
    );
  }
  const seconds = options.seconds ?? DEFAULT_EXPLAIN_SECONDS;
  prepareHistoryForWriting();
  logger.info(formatExplainIntro(practice, blocks.length, seconds, columns()));
  let given = 0;
  try {
    for (const [index, block] of blocks.entries()) {
      logger.info(formatExplainBlock(block, index, blocks.length));
      const { endedEarly, spentMs } = await talk(seconds * 1000);
      logger.info(formatTimeUp(endedEarly, spentMs));
      logger.info(formatWhy(block, columns()));
      const rating = await select<ExplainRating>("How well did you explain it?", RATING_CHOICES);
      // Recorded at once, each on its own line: an interruption later loses none of these.
      appendHistory([{ type: "explain", at: new Date().toISOString(), practice: practice.slug, block: block.title, rating }]);
      given += 1;
    }
  } catch (error) {
    if (error instanceof DrillError && (error.code === "interrupted" || error.code === "cancelled")) {
      throw new DrillError(
        "interrupted",
        `stopped: ${given} rating${given === 1 ? "" : "s"} kept; \`drill explain ${practice.id}\` starts again from the first block`,
      );
    }
    throw error;
  }
  const standings = blockStandings(
    readHistory().explanations ?? [],
    practice.slug,
    blocks.map((b) => b.title),
    new Date(),
  );
  logger.info(formatExplainSummary(practice, given, standings, columns()));
}
