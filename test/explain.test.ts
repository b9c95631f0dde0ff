// drill explain end to end: it refuses without a terminal, and in one (tmux) it shows a block,
// runs the timer, reveals the why, records each rating at once, and keeps them on Ctrl-C.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { keyBlocks } from "../src/core/catalog/study.js";
import { CLI, expectCleanFailure, runCli, tempDir } from "./helpers.js";
import { hasTmux, press, startInTmux, waitFor } from "./tmux.js";

const explainRecords = (home: string) =>
  readFileSync(join(home, "history.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { type?: string; block?: string; rating?: string; practice?: string })
    .filter((record) => record.type === "explain");

describe("drill explain", () => {
  it("in CI (no terminal) refuses in one line, exit 2, and records nothing", async () => {
    const home = tempDir();
    const result = await runCli(["explain", "01"], { home });
    expectCleanFailure(result, /drill explain needs an interactive terminal/);
    expect(result.all?.trim().split("\n")).toHaveLength(1);
    expect(existsSync(join(home, "history.jsonl"))).toBe(false);
  });

  it("a bad --seconds is one line, exit 2", async () => {
    const result = await runCli(["explain", "01", "--seconds", "2"], { home: tempDir() });
    expectCleanFailure(result, /--seconds takes a whole number of seconds from 5 to 900, not "2"/);
  });

  it.skipIf(!hasTmux)(
    "in a terminal: Enter ends the timer early, the time running out ends it too; Ctrl-C keeps the ratings given",
    async () => {
      const home = tempDir();
      const blocks = keyBlocks(resolvePractice("03"));
      const tmux = startInTmux(`node ${CLI} explain 03 --seconds 5`, { DRILL_HOME: home }, tempDir(), { columns: 80, rows: 24 });
      await waitFor(tmux, /1\/5 {2}.*\n[\s\S]*⏱ 0:0\d/);
      press(tmux, "Enter");
      await waitFor(tmux, /done after 0:0\d[\s\S]*why:[\s\S]*How well did you explain it\?/);
      press(tmux, "Down");
      press(tmux, "Down");
      press(tmux, "Enter");
      await waitFor(tmux, /2\/5 {2}/);
      // Not pressed: the 5 seconds run out on their own.
      await waitFor(tmux, /time is up[\s\S]*How well did you explain it\?/, 20_000);
      press(tmux, "Enter");
      await waitFor(tmux, /3\/5 {2}[\s\S]*⏱/);
      press(tmux, "C-c");
      const end = await waitFor(tmux, /EXIT=\d+/);
      expect(end).toContain("stopped: 2 ratings kept");
      expect(end).toContain("EXIT=130");
      expect(explainRecords(home)).toMatchObject([
        { practice: "03-api-security", block: blocks[0]?.title, rating: "fully" },
        { practice: "03-api-security", block: blocks[1]?.title, rating: "missed" },
      ]);
    },
  );
});
