// The cheat sheets' Markdown: parsed into blocks, drawn for a terminal and for paper.
import { readFileSync } from "node:fs";
import chalk from "chalk";
import { beforeAll, describe, expect, it } from "vitest";
import { findCheatSheet, loadCheatSheets, parseMarkdown } from "../../src/core/catalog/cheat-sheets.js";
import { renderCheatSheetsHtml } from "../../src/ui/cheat-sheet-html.js";
import { renderMarkdownForTerminal } from "../../src/ui/markdown.js";

const SAMPLE = [
  "# Title with `code`",
  "",
  "A paragraph wrapped",
  "over two lines with `a code span` and **bold**.",
  "",
  "## Lists",
  "",
  "- first item",
  "  continued here",
  "- second <item>",
  "",
  "1. one",
  "2. two",
  "",
  "| left | right |",
  "|---|---|",
  "| `a` | b |",
  "",
  "```python run file=demo.py",
  "if a < b and c > d:",
  "",
  '    print("x")',
  "```",
].join("\n");

describe("parseMarkdown", () => {
  it("reads headings, joined paragraphs, lists with continuation lines, tables without the delimiter row, code with its language and file", () => {
    expect(parseMarkdown(SAMPLE)).toEqual([
      { kind: "heading", level: 1, text: "Title with `code`" },
      { kind: "paragraph", text: "A paragraph wrapped over two lines with `a code span` and **bold**." },
      { kind: "heading", level: 2, text: "Lists" },
      { kind: "list", ordered: false, items: ["first item continued here", "second <item>"] },
      { kind: "list", ordered: true, items: ["one", "two"] },
      { kind: "table", header: ["left", "right"], rows: [["`a`", "b"]] },
      { kind: "code", language: "python", file: "demo.py", text: 'if a < b and c > d:\n\n    print("x")' },
    ]);
  });

  it("every shipped sheet: as many code blocks as fence pairs, and a first heading that is its title", () => {
    const sheets = loadCheatSheets();
    expect(sheets.map((s) => s.name)).toEqual(["debugging", "docker", "fastapi", "sqlalchemy"]);
    for (const sheet of sheets) {
      const text = readFileSync(sheet.path, "utf8");
      const blocks = parseMarkdown(text);
      expect(blocks.filter((b) => b.kind === "code")).toHaveLength((text.match(/^```/gm) ?? []).length / 2);
      expect(blocks[0]).toEqual({ kind: "heading", level: 1, text: sheet.title });
    }
  });

  it("finds a sheet by name in any case, with or without .md", () => {
    const sheets = loadCheatSheets();
    expect(findCheatSheet(sheets, "SQLAlchemy.md")?.name).toBe("sqlalchemy");
    expect(findCheatSheet(sheets, "sql")).toBeUndefined();
  });
});

describe("the terminal rendering (no colour: as in a pipe, or with NO_COLOR)", () => {
  beforeAll(() => {
    chalk.level = 0;
  });

  it("wraps prose to the width without splitting a code span, keeps code lines exact, aligns a table that fits", () => {
    const out = renderMarkdownForTerminal(parseMarkdown(SAMPLE), 40).split("\n");
    expect(out.slice(0, 2)).toEqual(["Title with code", "═══════════════"]);
    expect(out).toContain("  │ if a < b and c > d:");
    expect(out).toContain('  │     print("x")');
    expect(out).toContain("  ┌─ python · demo.py");
    expect(out).toContain("  • first item continued here");
    expect(out).toContain("  1. one");
    expect(out).toContain("  `a`  │ b");
    expect(out.some((line) => /`a code$/.test(line))).toBe(false);
    expect(Math.max(...out.filter((l) => !l.startsWith("  │")).map((l) => l.length))).toBeLessThanOrEqual(40);
  });

  it("a table too wide for the terminal reads as one item per row, the other cells under it", () => {
    const wide = parseMarkdown(`| the console says | the fix |\n|---|---|\n| ${"x ".repeat(30)}| add it to \`allow_headers\` |`);
    const out = renderMarkdownForTerminal(wide, 40);
    expect(out).toContain("  • x x x");
    expect(out).toContain("    the fix: add it to `allow_headers`");
  });
});

describe("the HTML page", () => {
  it("escapes code and text, marks code spans, and one article per sheet", () => {
    const sheet = { name: "demo", title: "Title", path: "/x/demo.md" };
    const html = renderCheatSheetsHtml([
      { sheet, blocks: parseMarkdown(SAMPLE) },
      { sheet: { ...sheet, name: "two" }, blocks: [] },
    ]);
    expect(html).toContain("<pre><code>if a &lt; b and c &gt; d:\n\n    print(&quot;x&quot;)</code></pre>");
    expect(html).toContain("<li>second &lt;item&gt;</li>");
    expect(html).toContain("<h1>Title with <code>code</code></h1>");
    expect(html).toContain("<strong>bold</strong>");
    expect(html.match(/<article class="sheet"/g)).toHaveLength(2);
  });
});
