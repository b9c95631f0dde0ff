// Phase 1 of the study plan: the spec and the 3-5 blocks of the reference solution that carry
// the practice, each with why it matters. The blocks are named by their first and last lines
// (reference-solutions/NN-slug/key-blocks.json) rather than by line numbers, so editing the
// reference never silently shifts a block onto the wrong code: a block that no longer matches
// fails loudly (and the tests catch it).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DrillError } from "../../system/errors.js";
import { highlight } from "../../ui/logger.js";
import type { Practice } from "./practices.js";

/** Lives beside the reference solution, and is not part of it. */
export const KEY_BLOCKS_FILE = "key-blocks.json";

/** One entry of key-blocks.json. */
interface KeyBlockEntry {
  title: string;
  /** Path inside the reference solution, e.g. app/main.py. */
  file: string;
  /** The exact text of the block's first line. */
  start: string;
  /** The exact text of its last line: the first line at or after `start` that equals it. */
  end: string;
  why: string;
}

export interface KeyBlock {
  title: string;
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  code: string;
  why: string;
}

export function hasKeyBlocks(practice: Practice): boolean {
  return existsSync(join(practice.referenceDir, KEY_BLOCKS_FILE));
}

/** Trailing whitespace is no part of a line's identity (editors strip or keep it at will). */
function sameLine(a: string, b: string): boolean {
  return a.trimEnd() === b.trimEnd();
}

/** The key blocks of a practice's reference solution, cut from its files with their line numbers. */
export function keyBlocks(practice: Practice): KeyBlock[] {
  const listPath = join(practice.referenceDir, KEY_BLOCKS_FILE);
  if (!existsSync(listPath)) {
    throw new DrillError("usage", `practice ${practice.id} has no key blocks to study yet`, {
      hint: `Read its spec (${practice.specPath}) and its reference solution (${practice.referenceDir}) directly.`,
    });
  }
  const entries = JSON.parse(readFileSync(listPath, "utf8")) as KeyBlockEntry[];
  return entries.map((entry) => {
    const lines = readFileSync(join(practice.referenceDir, entry.file), "utf8").split("\n");
    const where = `${listPath} ("${entry.title}"): ${entry.file}`;
    const startIndex = lines.findIndex((line) => sameLine(line, entry.start));
    if (startIndex < 0) throw new Error(`${where} has no line ${JSON.stringify(entry.start)} (the block's start)`);
    const endIndex = lines.findIndex((line, index) => index >= startIndex && sameLine(line, entry.end));
    if (endIndex < 0) {
      throw new Error(`${where} has no line ${JSON.stringify(entry.end)} (the block's end) at or after line ${startIndex + 1}`);
    }
    return {
      title: entry.title,
      file: entry.file,
      startLine: startIndex + 1,
      endLine: endIndex + 1,
      code: lines.slice(startIndex, endIndex + 1).join("\n"),
      why: entry.why,
    };
  });
}

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
      highlight.practice(`── ${practice.id} ${practice.title}: the ${blocks.length} key blocks of the reference solution ──`),
      highlight.dim("Read them without typing; for each, say what would break without it."),
    ].join("\n"),
  );
  parts.push(...blocks.map((block, index) => formatBlock(block, index, blocks.length)));
  parts.push(highlight.dim(`next (phase 2): type it from scratch with \`drill start ${practice.id} --phase 2\``));
  return `${parts.join("\n\n")}\n`;
}
