import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const cheatsheet = new Command("cheatsheet")
  .description("the printable cheat sheets: list them, read one in the terminal, or write a page to print")
  .argument("[name]", "fastapi, sqlalchemy, docker or debugging (none: list them)")
  .option("--print [file]", "write a print-ready HTML page (of NAME, or of every sheet) and say where")
  .addHelpText(
    "after",
    `
Examples:
  drill cheatsheet
  drill cheatsheet sqlalchemy
  drill cheatsheet docker --print
  drill cheatsheet --print ~/sheets.html`,
  )
  .action(async (name, options) => (await import("../actions/cheatsheet.js")).runCheatsheetCommand(name, options));
