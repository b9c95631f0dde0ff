// The printable cheat sheets shipped in docs/cheat-sheets/ (one Markdown file each, its snippets
// run by test/cheat-sheets.test.ts), and the small Markdown they are written in, parsed into
// blocks that a terminal renderer and an HTML renderer both draw from.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { DrillError } from "../../system/errors.js";
import { PACKAGE_ROOT } from "../../system/paths.js";

export const CHEAT_SHEETS_DIR = join(PACKAGE_ROOT, "docs", "cheat-sheets");

export interface CheatSheet {
  /** What `drill cheatsheet` takes: the file's name without .md ("sqlalchemy"). */
  name: string;
  /** The sheet's first heading. */
  title: string;
  path: string;
}

export function loadCheatSheets(dir = CHEAT_SHEETS_DIR): CheatSheet[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith(".md"))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      const heading = /^#\s+(.+)$/m.exec(readFileSync(path, "utf8"));
      return { name: basename(file, ".md"), title: heading?.[1]?.trim() ?? basename(file, ".md"), path };
    });
}

/** The sheet a learner named: its name in any case, with or without .md. */
export function findCheatSheet(sheets: CheatSheet[], input: string): CheatSheet | undefined {
  const wanted = input.trim().toLowerCase().replace(/\.md$/, "");
  return sheets.find((sheet) => sheet.name.toLowerCase() === wanted);
}

export function resolveCheatSheet(input: string, sheets = loadCheatSheets()): CheatSheet {
  const sheet = findCheatSheet(sheets, input);
  if (!sheet) {
    throw new DrillError("usage", `there is no cheat sheet "${input}"; the sheets are: ${sheets.map((s) => s.name).join(", ")}`);
  }
  return sheet;
}

export type MarkdownBlock =
  | { kind: "heading"; level: number; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "list"; ordered: boolean; items: string[] }
  | { kind: "code"; language: string; file: string | undefined; text: string }
  | { kind: "table"; header: string[]; rows: string[][] };

const FENCE = /^```(.*)$/;
const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());
}

/**
 * The Markdown the sheets use: ATX headings, paragraphs (hard-wrapped lines joined), ordered and
 * unordered lists (continuation lines indented), fenced code (its info string's first word the
 * language, `file=NAME` its file), and pipe tables. Inline marks stay in the text.
 */
export function parseMarkdown(markdown: string): MarkdownBlock[] {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const blocks: MarkdownBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const fence = FENCE.exec(line.trim());
    if (fence) {
      const info = (fence[1] ?? "").trim().split(/\s+/).filter(Boolean);
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !/^```\s*$/.test((lines[i] ?? "").trim())) body.push(lines[i++] ?? "");
      i += 1; // the closing fence (or the end of an unclosed block)
      const file = info.find((word) => word.startsWith("file="))?.slice("file=".length);
      blocks.push({ kind: "code", language: info[0] ?? "", file, text: body.join("\n") });
      continue;
    }
    if (line.trim() === "") {
      i += 1;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: "heading", level: heading[1]?.length ?? 1, text: (heading[2] ?? "").trim() });
      i += 1;
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows: string[][] = [];
      while (i < lines.length && /^\s*\|/.test(lines[i] ?? "")) rows.push(tableCells(lines[i++] ?? ""));
      // The second row of a pipe table is its delimiter (|---|---|).
      const body = rows.filter((row, index) => !(index === 1 && row.every((cell) => /^:?-+:?$/.test(cell))));
      blocks.push({ kind: "table", header: body[0] ?? [], rows: body.slice(1) });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      const ordered = /\d/.test(item[2] ?? "");
      const items: string[] = [];
      while (i < lines.length) {
        const current = lines[i] ?? "";
        const next = LIST_ITEM.exec(current);
        if (next) items.push((next[3] ?? "").trim());
        else if (current.trim() !== "" && /^\s+/.test(current) && items.length > 0) items[items.length - 1] += ` ${current.trim()}`;
        else break;
        i += 1;
      }
      blocks.push({ kind: "list", ordered, items });
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length) {
      const current = lines[i] ?? "";
      if (
        current.trim() === "" ||
        FENCE.test(current.trim()) ||
        /^#{1,6}\s/.test(current) ||
        /^\s*\|/.test(current) ||
        LIST_ITEM.test(current)
      )
        break;
      paragraph.push(current.trim());
      i += 1;
    }
    if (paragraph.length === 0) {
      // Never expected (every other start was tried above); moving on keeps the loop finite.
      paragraph.push(line.trim());
      i += 1;
    }
    blocks.push({ kind: "paragraph", text: paragraph.join(" ") });
  }
  return blocks;
}
