// Markdown blocks (core/catalog/cheat-sheets.ts) drawn for a terminal: headings stand out, prose
// is re-wrapped to the width, code keeps its lines exactly (a gutter, never wrapped: a snippet
// must stay copyable), tables align or, when too wide, read as one item per row.
import stringWidth from "string-width";
import type { MarkdownBlock } from "../core/catalog/cheat-sheets.js";
import { wrapWidth } from "./fit.js";
import { colorEnabled, highlight } from "./logger.js";

/** Stands for a space inside `code` while wrapping, so a code span is never split over lines. */
const GLUE = "\uE000";

function glueCodeSpans(text: string): string {
  return text.replace(/`[^`]+`/g, (span) => span.replace(/ /g, GLUE));
}

/** Inline marks of one (already wrapped) line: `code` coloured, **bold** bold, [text](url) as text (url). */
function inline(line: string): string {
  const unglued = line.replaceAll(GLUE, " ");
  const linked = unglued.replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_all, text: string, url: string) => `${text} (${url})`);
  const bold = linked.replace(/\*\*([^*]+)\*\*/g, (_all, text: string) => highlight.command(text));
  // Without colour the backticks stay: they are what tells code from prose.
  return colorEnabled() ? bold.replace(/`([^`]+)`/g, (_all, code: string) => highlight.practice(code)) : bold;
}

function prose(text: string, width: number, first = "", rest = first): string[] {
  const lines = wrapWidth(glueCodeSpans(text), Math.max(10, width - stringWidth(first)));
  return lines.map((line, index) => `${index === 0 ? first : rest}${inline(line)}`);
}

function table(header: string[], rows: string[][], width: number): string[] {
  // Widths of the cells as shown (string-width ignores colour codes; backticks go when coloured).
  const all = [header, ...rows].map((row) => row.map((cell) => inline(cell)));
  const columns = Math.max(...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...all.map((row) => stringWidth(row[c] ?? ""))));
  const total = widths.reduce((sum, w) => sum + w, 0) + 3 * (columns - 1) + 2;
  if (total <= width) {
    const line = (row: string[]) =>
      `  ${row.map((cell, c) => cell + " ".repeat((widths[c] ?? 0) - stringWidth(cell))).join(highlight.dim(" │ "))}`.trimEnd();
    const [shownHeader = [], ...shownRows] = all;
    return [
      highlight.command(line(shownHeader)),
      `  ${highlight.dim(widths.map((w) => "─".repeat(w)).join("─┼─"))}`,
      ...shownRows.map(line),
    ];
  }
  // Too wide for the terminal: each row as an item, its first cell the lead, the others under it.
  return rows.flatMap((row) => [
    ...prose(row[0] ?? "", width, "  • ", "    "),
    ...row.slice(1).flatMap((cell, c) => prose(cell, width, `    ${highlight.dim(`${inline(header[c + 1] ?? "")}:`)} `, "      ")),
  ]);
}

/** A sheet for the terminal, `columns` wide (prose is kept to 100 columns at most, for reading). */
export function renderMarkdownForTerminal(blocks: MarkdownBlock[], columns: number): string {
  const width = Math.max(40, Math.min(columns, 100));
  const out: string[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case "heading": {
        const text = block.text.replace(/`/g, "");
        if (block.level === 1)
          out.push(highlight.practice(highlight.command(text)), highlight.practice("═".repeat(Math.min(stringWidth(text), width))));
        else out.push(highlight.command(`${block.level === 2 ? "■" : "▪"} ${text}`));
        break;
      }
      case "paragraph":
        out.push(...prose(block.text, width));
        break;
      case "list":
        block.items.forEach((item, index) => {
          const marker = block.ordered ? `${index + 1}. ` : "• ";
          out.push(...prose(item, width, `  ${marker}`, " ".repeat(2 + marker.length)));
        });
        break;
      case "code": {
        const label = [block.language, block.file].filter(Boolean).join(" · ");
        out.push(highlight.dim(`  ┌─${label ? ` ${label}` : ""}`));
        out.push(...block.text.split("\n").map((line) => `${highlight.dim("  │")} ${line}`.trimEnd()));
        out.push(highlight.dim("  └─"));
        break;
      }
      case "table":
        out.push(...table(block.header, block.rows, width));
        break;
    }
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
