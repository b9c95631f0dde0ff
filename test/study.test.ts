// Phase 1, `drill study`: every practice's key blocks resolve to real code of its reference
// solution, and the command pages the spec and the blocks and records that the learner studied.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadHistory } from "../src/core/record/history.js";
import { loadPractices, resolvePractice, type Practice } from "../src/core/catalog/practices.js";
import { hasKeyBlocks, KEY_BLOCKS_FILE, keyBlocks } from "../src/core/catalog/study.js";
import { runCli, STACK_LINE, tempDir } from "./helpers.js";

const withKeyBlocks = loadPractices().filter(hasKeyBlocks);

describe("key blocks", () => {
  it("exist for practices 01 and 03 at least", () => {
    expect(withKeyBlocks.map((p) => p.id)).toEqual(expect.arrayContaining(["01", "03"]));
  });

  it.each(withKeyBlocks.map((p) => [p.slug, p] as const))(
    "%s: 3-5 blocks, each cut from its file from start to the first matching end",
    (_slug, practice) => {
      const entries = JSON.parse(readFileSync(join(practice.referenceDir, KEY_BLOCKS_FILE), "utf8")) as Array<{
        start: string;
        end: string;
      }>;
      const blocks = keyBlocks(practice);
      expect(blocks.length).toBeGreaterThanOrEqual(3);
      expect(blocks.length).toBeLessThanOrEqual(5);
      blocks.forEach((block, index) => {
        const entry = entries[index] as { start: string; end: string };
        const lines = block.code.split("\n");
        expect(lines.length, block.title).toBe(block.endLine - block.startLine + 1);
        expect(lines[0]?.trimEnd(), block.title).toBe(entry.start.trimEnd());
        expect(lines.at(-1)?.trimEnd(), block.title).toBe(entry.end.trimEnd());
        // The end is its first occurrence after the start (01's routes.py has the same line twice).
        expect(
          lines.slice(0, -1).some((line) => line.trimEnd() === entry.end.trimEnd()),
          block.title,
        ).toBe(false);
        const file = readFileSync(join(practice.referenceDir, block.file), "utf8").split("\n");
        expect(file.slice(block.startLine - 1, block.endLine).join("\n")).toBe(block.code);
        expect(block.code.trim().length).toBeGreaterThan(0);
        expect(block.why.trim().length, block.title).toBeGreaterThan(20);
        expect(block.title.trim().length).toBeGreaterThan(0);
      });
    },
  );

  function fakePractice(blocks: unknown[]): Practice {
    const referenceDir = tempDir();
    mkdirSync(join(referenceDir, "app"));
    writeFileSync(join(referenceDir, "app", "main.py"), "from fastapi import FastAPI\n\napp = FastAPI()   \n");
    writeFileSync(join(referenceDir, KEY_BLOCKS_FILE), JSON.stringify(blocks));
    return { ...resolvePractice("03"), referenceDir };
  }

  it("ignores trailing whitespace when matching a block's lines", () => {
    const practice = fakePractice([
      { title: "t", file: "app/main.py", start: "from fastapi import FastAPI", end: "app = FastAPI()", why: "w" },
    ]);
    expect(keyBlocks(practice)).toEqual([
      { title: "t", file: "app/main.py", startLine: 1, endLine: 3, code: "from fastapi import FastAPI\n\napp = FastAPI()   ", why: "w" },
    ]);
  });

  it("names the file and the text of a start or end that is not in the file", () => {
    const noStart = fakePractice([{ title: "t", file: "app/main.py", start: "import os", end: "app = FastAPI()", why: "w" }]);
    expect(() => keyBlocks(noStart)).toThrow(/key-blocks\.json \("t"\): app\/main\.py has no line "import os" \(the block's start\)/);
    const noEnd = fakePractice([
      { title: "t", file: "app/main.py", start: "app = FastAPI()", end: "from fastapi import FastAPI", why: "w" },
    ]);
    expect(() => keyBlocks(noEnd)).toThrow(
      /app\/main\.py has no line "from fastapi import FastAPI" \(the block's end\) at or after line 3/,
    );
  });
});

describe("drill study", () => {
  it("prints the spec and every key block with its lines and why without a terminal, and records the study", async () => {
    const home = tempDir();
    const practice = resolvePractice("03");
    const result = await runCli(["study", "3"], { home });
    expect(result.exitCode, result.all).toBe(0);
    const specFirstLine = readFileSync(practice.specPath, "utf8").split("\n")[0] as string;
    expect(result.stdout).toContain(specFirstLine);
    for (const block of keyBlocks(practice)) {
      expect(result.stdout).toContain(block.title);
      expect(result.stdout).toContain(`${block.file}:${block.startLine}-${block.endLine}`);
      expect(result.stdout).toMatch(new RegExp(`^\\s+${block.startLine} │ ${escapeRegExp(block.code.split("\n")[0] as string)}$`, "m"));
      expect(result.stdout.replace(/\s+/g, " ")).toContain(block.why);
    }
    const history = loadHistory(home);
    expect(history.studies).toEqual([{ at: expect.any(String), practice: "03-api-security" }]);
  });

  it("--blocks-only leaves the spec out; --json prints the blocks as data and records nothing", async () => {
    const home = tempDir();
    const practice = resolvePractice("01");
    const specFirstLine = readFileSync(practice.specPath, "utf8").split("\n")[0] as string;
    const blocksOnly = await runCli(["study", "01", "--blocks-only"], { home });
    expect(blocksOnly.exitCode, blocksOnly.all).toBe(0);
    expect(blocksOnly.stdout).not.toContain(specFirstLine);
    expect(blocksOnly.stdout).toContain(keyBlocks(practice)[0]?.title);
    expect(loadHistory(home).studies).toHaveLength(1);

    const json = await runCli(["study", "01", "--json"], { home });
    expect(json.exitCode, json.all).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ practice: "01-async-inference", blocks: keyBlocks(practice) });
    expect(loadHistory(home).studies).toHaveLength(1);
  });

  it("refuses an unknown practice plainly and records nothing", async () => {
    const home = tempDir();
    const result = await runCli(["study", "99"], { home });
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/there is no practice "99"/);
    expect(result.all).not.toMatch(STACK_LINE);
    expect(existsSync(join(home, "history.jsonl"))).toBe(false);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
