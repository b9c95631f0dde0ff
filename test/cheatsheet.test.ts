// drill cheatsheet end to end: the list, one sheet in the terminal (no pager without one), a
// name it does not know, and the print-ready page.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CHEAT_SHEETS_DIR, loadCheatSheets, parseMarkdown } from "../src/core/catalog/cheat-sheets.js";
import { expectCleanFailure, runCli, tempDir } from "./helpers.js";

const codeBlocks = (name: string) =>
  parseMarkdown(readFileSync(join(CHEAT_SHEETS_DIR, `${name}.md`), "utf8")).flatMap((b) => (b.kind === "code" ? [b.text] : []));

describe("drill cheatsheet", () => {
  it("with no name lists every sheet with its title", async () => {
    const result = await runCli(["cheatsheet"], { home: tempDir() });
    expect(result.exitCode, result.all).toBe(0);
    for (const sheet of loadCheatSheets())
      expect(result.stdout).toMatch(new RegExp(`^  ${sheet.name} +${sheet.title.replace(/[()]/g, "\\$&")}$`, "m"));
  });

  it("`drill cheatsheet sqlalchemy` prints the sheet: its title, its headings, every line of every snippet", async () => {
    const result = await runCli(["cheatsheet", "sqlalchemy"], { home: tempDir() });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/^SQLAlchemy 2\.0, async: cheat sheet\n═+$/m);
    expect(result.stdout).toContain("■ Engine, sessions, a session per request");
    const printed = result.stdout.split("\n");
    for (const code of codeBlocks("sqlalchemy")) {
      for (const line of code.split("\n")) expect(printed).toContain(`  │ ${line}`.trimEnd());
    }
    // Prose wraps at the terminal's width (80 here, with no terminal); code is never wrapped.
    const prose = printed.filter((line) => !line.startsWith("  │"));
    expect(Math.max(...prose.map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it("a name it does not know: one line naming the sheets, exit 2", async () => {
    const result = await runCli(["cheatsheet", "pydantic"], { home: tempDir() });
    expectCleanFailure(result, /there is no cheat sheet "pydantic"; the sheets are: debugging, docker, fastapi, sqlalchemy/);
    expect(result.all?.trim().split("\n")).toHaveLength(1);
  });

  it("--print writes a self-contained print-ready page, says where, and never overwrites a file it did not write", async () => {
    const dir = tempDir();
    const result = await runCli(["cheatsheet", "--print", "docker"], { home: tempDir(), cwd: dir });
    expect(result.exitCode, result.all).toBe(0);
    const file = join(dir, "drill-cheat-sheet-docker.html");
    expect(result.stdout).toContain(`wrote ${file}`);
    const html = readFileSync(file, "utf8");
    expect(html).toMatch(/@page \{ size: A4/);
    expect(html).toContain("@media print");
    expect(html).toContain("<h1>Docker and Compose: cheat sheet</h1>");
    // Self-contained: nothing to load (no script, stylesheet link, image or font).
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/);
    const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    for (const code of codeBlocks("docker")) expect(html).toContain(`<pre><code>${escapeHtml(code)}</code></pre>`);

    const all = await runCli(["cheatsheet", "--print", "sheets.html"], { home: tempDir(), cwd: dir });
    expect(all.exitCode, all.all).toBe(0);
    expect(readFileSync(join(dir, "sheets.html"), "utf8").match(/<article class="sheet"/g)).toHaveLength(loadCheatSheets().length);
    // Again over its own page: fine. Over the learner's file: refused, the file untouched.
    expect((await runCli(["cheatsheet", "--print", "sheets.html"], { home: tempDir(), cwd: dir })).exitCode).toBe(0);
    writeFileSync(join(dir, "notes.html"), "my notes");
    const refused = await runCli(["cheatsheet", "fastapi", "--print", "notes.html"], { home: tempDir(), cwd: dir });
    expectCleanFailure(refused, /notes\.html already exists and drill did not write it; nothing was overwritten/);
    expect(readFileSync(join(dir, "notes.html"), "utf8")).toBe("my notes");
    expectCleanFailure(
      await runCli(["cheatsheet", "fastapi", "--print", "notes.pdf"], { home: tempDir(), cwd: dir }),
      /give a file ending in \.html/,
    );
  });
});

describe("completion", () => {
  it("names explain (completing practices) and cheatsheet", async () => {
    const bash = (await runCli(["completion", "bash"], { home: tempDir() })).stdout;
    expect(bash).toMatch(/compgen -W "[^"]*\bexplain cheatsheet\b/);
    expect(bash).toContain('explain) opts="--seconds" ;;');
    expect(bash).toContain('cheatsheet) opts="--print" ;;');
    expect(bash).toMatch(/case " [^"]*\bexplain\b[^"]*" in/);
  });
});
