// How `drill explain` reads on screen: a key block's title and code (not its why: that is what
// the learner says aloud), the timer line, the why revealed, and the session's summary.
import { type Practice, practiceLabel } from "../core/catalog/practices.js";
import type { KeyBlock } from "../core/catalog/study.js";
import type { BlockStanding } from "../core/progress/explain.js";
import { EXPLAIN_FRESH_DAYS } from "../core/progress/explain.js";
import type { ExplainRating } from "../core/record/history.js";
import { fitWidth, wrapWidth } from "./fit.js";
import { highlight } from "./logger.js";
import { formatBlockCode } from "./study.js";

export function formatExplainIntro(practice: Practice, count: number, seconds: number, columns: number): string {
  const words =
    "For each block: say what it does, why it is built this way and what breaks without it, as you would to an interviewer. " +
    `${seconds} s each; Enter when you are done, Ctrl-C to stop (ratings given are kept).`;
  return [
    highlight.practice(`── ${practiceLabel(practice)}: explain its ${count} key blocks aloud ──`),
    ...wrapWidth(words, Math.min(columns, 100) - 1).map((line) => highlight.dim(line)),
  ].join("\n");
}

/** The block to explain: its title, where it is, and its code with line numbers. */
export function formatExplainBlock(block: KeyBlock, index: number, count: number): string {
  return [
    "",
    highlight.command(`${index + 1}/${count}  ${block.title}`),
    `     ${highlight.path(`${block.file}:${block.startLine}-${block.endLine}`)}`,
    "",
    formatBlockCode(block),
    "",
  ].join("\n");
}

function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** The one line redrawn each second while the learner talks: time left and a bar that empties. */
export function formatTimerLine(leftMs: number, totalMs: number, columns: number): string {
  const words = " explain it aloud · Enter when done";
  const time = clock(leftMs);
  const barWidth = Math.max(0, Math.min(30, columns - time.length - words.length - 6));
  const filled = totalMs > 0 ? Math.round((Math.max(0, leftMs) / totalMs) * barWidth) : 0;
  const bar = barWidth > 0 ? ` ${"█".repeat(filled)}${highlight.dim("░".repeat(barWidth - filled))}` : "";
  return `  ${highlight.command(`⏱ ${time}`)}${bar}${highlight.dim(words)}`;
}

export function formatTimeUp(endedEarly: boolean, spentMs: number): string {
  return highlight.dim(endedEarly ? `  done after ${clock(spentMs)}` : "  time is up");
}

export function formatWhy(block: KeyBlock, columns: number): string {
  const width = Math.max(20, Math.min(columns, 100) - 4);
  return ["", `  ${highlight.pass("why:")}`, ...wrapWidth(block.why, width).map((line) => `    ${line}`), ""].join("\n");
}

export const RATING_CHOICES: Array<{ name: string; value: ExplainRating; description: string }> = [
  { name: "missed", value: "missed", description: "I did not say the why, or said something else" },
  { name: "partly", value: "partly", description: "the gist, but not what breaks without it" },
  { name: "fully", value: "fully", description: "what it does, why, and what breaks without it" },
];

export function formatExplainSummary(practice: Practice, given: number, standings: BlockStanding[], columns: number): string {
  const explained = standings.filter((s) => s.explained).length;
  const colour: Record<ExplainRating, (text: string) => string> = { fully: highlight.pass, partly: highlight.skip, missed: highlight.fail };
  const lines = standings.map(
    (s) =>
      `  ${s.latest ? colour[s.latest.rating](s.latest.rating.padEnd(6)) : highlight.dim("—".padEnd(6))}  ${fitWidth(s.block, columns - 11)}`,
  );
  return [
    "",
    highlight.practice(`── ${practice.id}: ${given} rating${given === 1 ? "" : "s"} recorded ──`),
    ...lines,
    "",
    ...wrapWidth(
      `${explained}/${standings.length} key blocks explained: the readiness checklist (\`drill stats\`) counts a block when its latest rating is "fully" and at most ${EXPLAIN_FRESH_DAYS} days old.`,
      Math.min(columns, 100) - 1,
    ),
  ].join("\n");
}
