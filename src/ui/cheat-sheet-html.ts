// `drill cheatsheet --print`: the sheets as one self-contained HTML page (no script, no font, no
// link to fetch), set for paper: A4 or Letter, small type, code that wraps rather than runs off
// the page, blocks kept whole across page breaks, each sheet on its own page(s). Sized so a
// sheet fits on two pages, as the kit asks of printed cheat sheets.
import type { CheatSheet, MarkdownBlock } from "../core/catalog/cheat-sheets.js";

/** Marks a page drill wrote, so drill overwrites its own page and never anyone else's file. */
export const GENERATOR_MARK = '<meta name="generator" content="drill cheatsheet">';

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function inline(text: string): string {
  // Code spans first, so nothing inside them is read as bold or a link.
  return escapeHtml(text)
    .split(/(`[^`]+`)/g)
    .map((part) =>
      /^`[^`]+`$/.test(part)
        ? `<code>${part.slice(1, -1)}</code>`
        : part
            .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
            .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_all, label: string, url: string) =>
              // A link to a sibling sheet means nothing on paper: its text is kept, the address shown.
              /^https?:/.test(url) ? `<a href="${url}">${label}</a>` : `${label} (${url})`,
            ),
    )
    .join("");
}

function block(b: MarkdownBlock): string {
  switch (b.kind) {
    case "heading": {
      const level = Math.min(6, b.level);
      return `<h${level}>${inline(b.text)}</h${level}>`;
    }
    case "paragraph":
      return `<p>${inline(b.text)}</p>`;
    case "list": {
      const tag = b.ordered ? "ol" : "ul";
      return `<${tag}>${b.items.map((item) => `<li>${inline(item)}</li>`).join("")}</${tag}>`;
    }
    case "code": {
      const label = [b.language, b.file].filter(Boolean).join(" · ");
      const caption = label ? `<figcaption>${escapeHtml(label)}</figcaption>` : "";
      return `<figure class="code">${caption}<pre><code>${escapeHtml(b.text)}</code></pre></figure>`;
    }
    case "table": {
      const head = `<thead><tr>${b.header.map((cell) => `<th>${inline(cell)}</th>`).join("")}</tr></thead>`;
      const body = `<tbody>${b.rows.map((row) => `<tr>${row.map((cell) => `<td>${inline(cell)}</td>`).join("")}</tr>`).join("")}</tbody>`;
      return `<table>${head}${body}</table>`;
    }
  }
}

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 15pt; margin: 0 0 .4rem; padding-bottom: .2rem; border-bottom: 2px solid #333; }
h2 { font-size: 11.5pt; margin: .9rem 0 .25rem; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 10.5pt; margin: .7rem 0 .2rem; break-after: avoid; page-break-after: avoid; }
p, ul, ol { margin: .25rem 0 .45rem; }
ul, ol { padding-left: 1.3rem; }
li { margin: .1rem 0; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; background: #f2f2f2; padding: 0 .15em; border-radius: 2px; }
/* A long snippet may cross a page (two pages per sheet matter more), but never leaves its
   caption behind or a line or three alone. */
figure.code { margin: .35rem 0 .6rem; }
figure.code figcaption { font: 7.5pt monospace; color: #555; break-after: avoid; page-break-after: avoid; }
pre { orphans: 4; widows: 4; }
pre { margin: 0; padding: .35rem .5rem; background: #f6f6f6; border-left: 3px solid #999; font-size: 8pt; line-height: 1.25; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; font-size: inherit; }
table { border-collapse: collapse; width: 100%; margin: .35rem 0 .6rem; font-size: 8.5pt; break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: .15rem .35rem; text-align: left; vertical-align: top; }
th { background: #eee; }
article.sheet + article.sheet { margin-top: 2rem; border-top: 1px dashed #999; padding-top: 1rem; }
@page { size: A4; margin: 10mm 11mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 8.5pt; line-height: 1.3; }
  h1 { font-size: 13pt; }
  h2 { font-size: 10pt; margin: .6rem 0 .2rem; }
  article.sheet + article.sheet { break-before: page; page-break-before: always; margin-top: 0; border-top: none; padding-top: 0; }
  a { color: inherit; text-decoration: none; }
  pre { font-size: 7.2pt; line-height: 1.2; padding: .25rem .4rem; }
}
`;

/** The page: every given sheet, in order, each with its blocks. */
export function renderCheatSheetsHtml(sheets: Array<{ sheet: CheatSheet; blocks: MarkdownBlock[] }>): string {
  const title = sheets.length === 1 ? (sheets[0]?.sheet.title ?? "cheat sheet") : "drill cheat sheets";
  const articles = sheets.map(
    ({ sheet, blocks }) => `<article class="sheet" id="${escapeHtml(sheet.name)}">\n${blocks.map(block).join("\n")}\n</article>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
${GENERATOR_MARK}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${articles.join("\n")}
</body>
</html>
`;
}
