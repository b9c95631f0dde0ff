// Text that fits a terminal's width: cut to the width (never wrapped by the terminal), or
// word-wrapped at it. Widths are measured as the terminal draws them: colour codes take no
// room, and a wide character (CJK, most emoji) takes two columns.
import stringWidth from "string-width";

// A colour or cursor code (CSI ... letter), or an OSC sequence ended by BEL or ST.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC and BEL are what these codes are made of
const ESCAPE = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/y;
const segmenter = new Intl.Segmenter();

/** The text cut to `width` columns, ending in "…" when something was cut; colour is reset after a cut. */
export function fitWidth(text: string, width: number): string {
  const line = text.replace(/[\r\n\t]/g, " ");
  if (width <= 0) return "";
  if (stringWidth(line) <= width) return line;
  let out = "";
  let used = 0;
  let coloured = false;
  let index = 0;
  while (index < line.length) {
    ESCAPE.lastIndex = index;
    const code = ESCAPE.exec(line);
    if (code) {
      out += code[0];
      coloured = true;
      index += code[0].length;
      continue;
    }
    const next = line.indexOf("\u001b", index);
    const chunk = line.slice(index, next === -1 ? undefined : next);
    let stopped = false;
    for (const { segment } of segmenter.segment(chunk)) {
      const w = stringWidth(segment);
      if (used + w > width - 1) {
        stopped = true;
        break;
      }
      out += segment;
      used += w;
    }
    if (stopped) break;
    index += chunk.length;
  }
  return `${out}…${coloured ? "\u001b[0m" : ""}`;
}

/** Plain text word-wrapped to `width` columns (a word longer than the width is cut into pieces). */
export function wrapWidth(text: string, width: number): string[] {
  const size = Math.max(1, width);
  const out: string[] = [];
  for (const paragraph of text.split("\n")) {
    const indent = /^\s*/.exec(paragraph)?.[0] ?? "";
    let line = "";
    for (const word of paragraph.trim().split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : `${indent}${word}`;
      if (stringWidth(candidate) <= size) {
        line = candidate;
        continue;
      }
      if (line) out.push(line);
      let rest = word;
      while (stringWidth(rest) > size) {
        const piece = fitWidth(rest, size + 1).replace(/…$/, "");
        const cut = piece.length > 0 ? piece : ([...rest][0] ?? "");
        out.push(cut);
        rest = rest.slice(cut.length);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

/**
 * Markdown as written in hints.md (hard-wrapped at ~100 columns) back into one line per
 * paragraph or list item, so it wraps at the terminal's width instead. Code blocks stay as they are.
 */
export function reflow(markdown: string): string {
  const out: string[] = [];
  let inCode = false;
  let joinable = false;
  for (const line of markdown.split("\n")) {
    const fence = /^\s*```/.test(line);
    if (fence) inCode = !inCode;
    const starts = fence || inCode || line.trim() === "" || /^\s*([-*+]|\d+[.)]|#+)\s/.test(line) || /^\s*\|/.test(line);
    if (joinable && !starts && out.length > 0) out[out.length - 1] = `${out.at(-1)} ${line.trim()}`;
    else out.push(line);
    joinable = !inCode && !fence && line.trim() !== "" && !/^\s*(#+|\|)/.test(line);
  }
  return out.join("\n");
}
