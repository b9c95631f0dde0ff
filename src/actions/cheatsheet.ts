// drill cheatsheet [name] [--print [file]]: the printable cheat sheets (docs/cheat-sheets/), listed,
// shown in the terminal through the pager, or written as one print-ready HTML page.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type CheatSheet, findCheatSheet, loadCheatSheets, parseMarkdown, resolveCheatSheet } from "../core/catalog/cheat-sheets.js";
import { DrillError, describeFsError } from "../system/errors.js";
import { GENERATOR_MARK, renderCheatSheetsHtml } from "../ui/cheat-sheet-html.js";
import { highlight, logger } from "../ui/logger.js";
import { renderMarkdownForTerminal } from "../ui/markdown.js";
import { page } from "../ui/pager.js";

export interface CheatsheetOptions {
  /** --print alone is true; --print FILE names the page. */
  print?: string | true;
}

function columns(): number {
  return process.stdout.columns > 0 ? process.stdout.columns : 80;
}

function blocksOf(sheet: CheatSheet) {
  return parseMarkdown(readFileSync(sheet.path, "utf8"));
}

/** Where --print writes: the file named (it must be .html), else a name in the current folder. */
function printTarget(print: string | true, sheet: CheatSheet | undefined): string {
  if (print === true) return resolve(sheet ? `drill-cheat-sheet-${sheet.name}.html` : "drill-cheat-sheets.html");
  if (!/\.html?$/i.test(print)) throw new DrillError("usage", `--print writes an HTML page: give a file ending in .html, not "${print}"`);
  return resolve(print);
}

function writePage(file: string, html: string): void {
  // drill overwrites a page it wrote before; any other file is the learner's and stays as it is.
  if (existsSync(file) && !readFileSync(file, "utf8").includes(GENERATOR_MARK)) {
    throw new DrillError(
      "usage",
      `${file} already exists and drill did not write it; nothing was overwritten: name another file with --print FILE`,
    );
  }
  try {
    writeFileSync(file, html);
  } catch (error) {
    throw new DrillError("dir-unusable", `drill could not write ${file}: ${describeFsError(error)}`);
  }
}

export async function runCheatsheetCommand(name: string | undefined, options: CheatsheetOptions): Promise<void> {
  const sheets = loadCheatSheets();
  let print = options.print;
  // `drill cheatsheet --print sqlalchemy`: commander hands the name to --print as its file.
  if (name === undefined && typeof print === "string" && !/\.html?$/i.test(print) && findCheatSheet(sheets, print)) {
    name = print;
    print = true;
  }
  const sheet = name === undefined ? undefined : resolveCheatSheet(name, sheets);
  if (print !== undefined) {
    const file = printTarget(print, sheet);
    const chosen = sheet ? [sheet] : sheets;
    writePage(file, renderCheatSheetsHtml(chosen.map((s) => ({ sheet: s, blocks: blocksOf(s) }))));
    logger.success(
      `wrote ${highlight.path(file)}: ${chosen.length === 1 ? "the sheet" : `${chosen.length} sheets, each on its own pages`}`,
    );
    logger.info(highlight.dim("  open it in a browser and print it (or save as PDF); each sheet is set to fit on two pages"));
    return;
  }
  if (!sheet) {
    const width = Math.max(...sheets.map((s) => s.name.length));
    logger.info(
      [
        "The cheat sheets (every snippet in them runs in drill's tests):",
        ...sheets.map((s) => `  ${highlight.command(s.name.padEnd(width))}  ${s.title}`),
      ].join("\n"),
    );
    logger.info(highlight.dim("`drill cheatsheet NAME` shows one; `drill cheatsheet [NAME] --print` writes a page to print"));
    return;
  }
  page(renderMarkdownForTerminal(blocksOf(sheet), columns()));
}
