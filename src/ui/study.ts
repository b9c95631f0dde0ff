// How `drill study` reads on screen: the spec, then each key block with its line numbers and
// why it matters. The blocks themselves come from core/catalog/study.ts.
import { readFileSync } from "node:fs";
import { type Practice, practiceLabel } from "../core/catalog/practices.js";
import type { KeyBlock } from "../core/catalog/study.js";
import { highlight } from "./logger.js";

/** Words flowed into lines of at most `width` characters, each line indented. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

function formatBlock(block: KeyBlock, index: number, count: number): string {
  const numberWidth = String(block.endLine).length;
  const code = block.code
    .split("\n")
    .map((line, offset) => `  ${highlight.dim(`${String(block.startLine + offset).padStart(numberWidth)} │`)}${line ? ` ${line}` : ""}`)
    .join("\n");
  return [
    highlight.command(`${index + 1}/${count}  ${block.title}`),
    `     ${highlight.path(`${block.file}:${block.startLine}-${block.endLine}`)}`,
    "",
    code,
    "",
    `  ${highlight.pass("why:")}`,
    wrap(block.why, 80, "    "),
  ].join("\n");
}

/** The text `drill study` pages: the spec (unless left out), then every key block. */
export function formatStudy(practice: Practice, blocks: KeyBlock[], options: { spec?: boolean } = {}): string {
  const parts: string[] = [];
  if (options.spec ?? true) parts.push(readFileSync(practice.specPath, "utf8").trimEnd());
  parts.push(
    [
      highlight.practice(`── ${practiceLabel(practice)}: the ${blocks.length} key blocks of the reference solution ──`),
      highlight.dim("Read them without typing; for each, say what would break without it."),
    ].join("\n"),
  );
  parts.push(...blocks.map((block, index) => formatBlock(block, index, blocks.length)));
  parts.push(
    highlight.dim(
      practice.debug
        ? `next: the broken app against the clock with \`drill debug ${practice.debug.name}\``
        : `next (phase 2): type it from scratch with \`drill start ${practice.id} --phase 2\``,
    ),
  );
  return `${parts.join("\n\n")}\n`;
}
