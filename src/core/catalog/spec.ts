// Reading a practice's spec and hints for the terminal.
import { readFileSync } from "node:fs";
import type { Practice } from "./practices.js";
import { REQUIREMENT_ID_SOURCE } from "./requirement-id.js";

/** A line that starts with a requirement id: in a list, a heading or a table row, maybe bold or in backticks. */
const REQUIREMENT_LINE = new RegExp(String.raw`^\s*([-*]\s*|#+\s*|\|\s*)?\**\x60?(${REQUIREMENT_ID_SOURCE})\x60?\**[\s.:|—-]+(.*)$`);

/** The requirement lines of a spec (those that start with a requirement id), for an overview. */
export function requirementLines(practice: Practice): string[] {
  const text = readFileSync(practice.specPath, "utf8");
  const seen = new Set<string>();
  const lines: string[] = [];
  const found = text.split("\n").flatMap((line) => {
    const match = REQUIREMENT_LINE.exec(line);
    // A heading, a bold lead or a table row defines a requirement.
    const defines = /^\s*(?:#|\*\*|\|)/.test(line);
    return match?.[2] ? [{ id: match[2], rest: match[3] ?? "", defines }] : [];
  });
  // A spec that defines its requirements in headings or bold leads names them there; a line of
  // running text that happens to start with an id (a wrapped sentence) defines nothing.
  const defined = found.some((entry) => entry.defines);
  for (const { id, rest, defines } of found) {
    if (seen.has(id) || (defined && !defines)) continue;
    seen.add(id);
    lines.push(`${id} ${rest.replace(/\*\*|`|\|/g, "").trim()}`.trim());
  }
  return lines;
}

/** The hints, one per `## ` section of hints.md, in order. */
export function hints(practice: Practice): Array<{ title: string; body: string }> {
  let text: string;
  try {
    text = readFileSync(practice.hintsPath, "utf8");
  } catch {
    return [];
  }
  return text
    .split(/^## /m)
    .slice(1)
    .map((section) => {
      const [title = "", ...body] = section.split("\n");
      return { title: title.trim(), body: body.join("\n").trim() };
    });
}

/** The hint for one requirement (the `## RNN.k …` section of hints.md) and its index among all hints. */
export function hintFor(practice: Practice, requirement: string): { index: number; title: string; body: string } | undefined {
  const all = hints(practice);
  const index = all.findIndex((hint) => new RegExp(`^${requirement.replace(".", "\\.")}(?![0-9])`).test(hint.title));
  const hint = all[index];
  return hint ? { index, ...hint } : undefined;
}
