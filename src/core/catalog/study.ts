// Phase 1 of the study plan: the spec and the 3-5 blocks of the reference solution that carry
// the practice, each with why it matters. The blocks are named by their first and last lines
// (reference-solutions/NN-slug/key-blocks.json) rather than by line numbers, so editing the
// reference never silently shifts a block onto the wrong code: a block that no longer matches
// fails loudly (and the tests catch it).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { DrillError } from "../../system/errors.js";
import { parseJsonText, text } from "../schema.js";
import type { Practice } from "./practices.js";

/** Lives beside the reference solution, and is not part of it. */
export const KEY_BLOCKS_FILE = "key-blocks.json";

/** key-blocks.json: the blocks, each named by its file and its first and last lines. */
const keyBlocksJson = v.array(
  v.object({
    title: text,
    /** Path inside the reference solution, e.g. app/main.py. */
    file: text,
    /** The exact text of the block's first line. */
    start: text,
    /** The exact text of its last line: the first line at or after `start` that equals it. */
    end: text,
    why: text,
  }),
);

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
  const entries = parseJsonText(keyBlocksJson, readFileSync(listPath, "utf8"), listPath);
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
