import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendHistory, historyPath, loadHistory, prepareHistoryForWriting } from "../../src/core/record/history.js";
import { codeOf, tempDir } from "../helpers.js";

const start = (session: string, at: string) => ({
  type: "start" as const,
  at,
  session,
  practice: "03-api-security",
  workspace: "/w",
  phase: 3 as const,
  timerMinutes: 60,
  mode: "drill" as const,
});

describe("the history file", () => {
  it("starts empty, then derives sessions from appended events", () => {
    const home = tempDir();
    expect(loadHistory(home)).toEqual({ sessions: [], runs: [], studies: [], activeSessionId: null, damaged: [] });
    appendHistory([start("a", "2026-01-01T10:00:00.000Z")], home);
    appendHistory([{ type: "hint", at: "2026-01-01T10:05:00.000Z", index: 0, session: "a" }], home);
    appendHistory(
      [start("b", "2026-01-02T10:00:00.000Z"), { type: "study", at: "2026-01-02T11:00:00.000Z", practice: "01-async-inference" }],
      home,
    );
    const history = loadHistory(home);
    expect(history.sessions.map((s) => s.id)).toEqual(["a", "b"]);
    expect(history.sessions[0]?.events.map((e) => e.type)).toEqual(["start", "hint"]);
    expect(history.activeSessionId).toBe("b");
    expect(history.studies).toEqual([{ at: "2026-01-02T11:00:00.000Z", practice: "01-async-inference" }]);
    const lines = readFileSync(historyPath(home), "utf8").trim().split("\n");
    expect(JSON.parse(lines[0] as string)).toEqual({ drill: "history", version: 1 });
    expect(lines).toHaveLength(5);
  });

  it("leaves out a damaged line, says which, and keeps it in the file", () => {
    const home = tempDir();
    appendHistory([start("a", "2026-01-01T10:00:00.000Z")], home);
    appendFileSync(historyPath(home), '{"type":"check","at":"2026-01-01T10:1'); // torn write
    appendHistory([{ type: "hint", at: "2026-01-01T10:20:00.000Z", index: 0, session: "a" }], home);
    appendFileSync(historyPath(home), '{"type":"teleport","at":"2026-01-01T10:30:00.000Z","session":"a"}\n');
    const history = loadHistory(home);
    expect(history.damaged).toEqual([3, 5]);
    expect(history.sessions[0]?.events.map((e) => e.type)).toEqual(["start", "hint"]);
    expect(readFileSync(historyPath(home), "utf8")).toContain('"at":"2026-01-01T10:1\n');
  });

  it.each([
    ["of a newer version", `${JSON.stringify({ drill: "history", version: 2 })}\n`, "history-newer"],
    ["of an unknown version", `${JSON.stringify({ drill: "history", version: "x" })}\n`, "corrupt-state"],
    ["unreadable throughout", "garbage\nmore garbage\n", "corrupt-state"],
  ])("reports a file that is %s to a command that only reads, and leaves it where it is", (_what, content, code) => {
    const home = tempDir();
    writeFileSync(historyPath(home), content);
    expect(codeOf(() => loadHistory(home))).toBe(code);
    expect(readFileSync(historyPath(home), "utf8")).toBe(content);
    expect(readdirSync(home)).toEqual(["history.jsonl"]);
  });

  it.each([
    ["of a newer version", `${JSON.stringify({ drill: "history", version: 2 })}\n`],
    ["unreadable throughout", "garbage\nmore garbage\n"],
  ])("moves a file that is %s aside for a command that records, keeps its bytes, and says where", (_what, content) => {
    const home = tempDir();
    writeFileSync(historyPath(home), content);
    expect(codeOf(() => prepareHistoryForWriting(home))).toBe("corrupt-state");
    expect(existsSync(historyPath(home))).toBe(false);
    const aside = readdirSync(home).filter((f) => f.endsWith(".bad"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(home, aside[0] as string), "utf8")).toBe(content);
    expect(loadHistory(home).sessions).toEqual([]);
    expect(codeOf(() => prepareHistoryForWriting(home))).toBeUndefined();
  });

  it("never appends to a file another version wrote", () => {
    const home = tempDir();
    const content = `${JSON.stringify({ drill: "history", version: 2 })}\n`;
    writeFileSync(historyPath(home), content);
    expect(codeOf(() => appendHistory([{ type: "study", at: "2026-01-01T10:00:00.000Z", practice: "01-async-inference" }], home))).toBe(
      "corrupt-state",
    );
    expect(readFileSync(historyPath(home), "utf8")).toBe(content);
  });
});

describe("the shape of each record", () => {
  const line = (record: Record<string, unknown>) => JSON.stringify(record);
  const base = start("a", "2026-01-01T10:00:00.000Z");

  it.each([
    ["a start with phase 9", { ...base, phase: 9 }],
    ["a start without its workspace", { ...base, workspace: undefined }],
    ["a start with an empty practice", { ...base, practice: "" }],
    ["a start with a negative timer", { ...base, timerMinutes: -5 }],
    ["a start of an unknown mode", { ...base, mode: "speedrun" }],
    ["a start without a session", { ...base, session: undefined }],
    ["a start at no time", { ...base, at: "yesterday-ish" }],
    [
      "a check with a fractional count",
      { type: "check", at: base.at, session: "a", mode: "managed", passed: 1.5, failed: 0, skipped: 0, requirements: {} },
    ],
    [
      "a check with a status drill does not know",
      { type: "check", at: base.at, session: "a", mode: "managed", passed: 1, failed: 0, skipped: 0, requirements: { "R01.1": "meh" } },
    ],
    [
      "a check whose commit is an option",
      {
        type: "check",
        at: base.at,
        session: "a",
        mode: "managed",
        passed: 1,
        failed: 0,
        skipped: 0,
        requirements: {},
        commit: "--output=/tmp/x",
      },
    ],
    ["a hint without an index", { type: "hint", at: base.at, session: "a" }],
    ["an end that is not abandoned", { type: "end", at: base.at, session: "a", outcome: "won" }],
    ["a run-start without practices", { type: "run-start", at: base.at, run: "r", practices: [], dir: "/w", timerMinutes: 240 }],
    ["a record of the type constructor", { type: "constructor", at: base.at, session: "a" }],
    ["an array", [1, 2]],
  ])("leaves out %s as a damaged line, with the rest read", (_what, record) => {
    const home = tempDir();
    writeFileSync(
      historyPath(home),
      [
        line({ drill: "history", version: 1 }),
        line(start("s", "2026-01-01T09:00:00.000Z")),
        line(record as Record<string, unknown>),
        "",
      ].join("\n"),
    );
    const history = loadHistory(home);
    expect(history.damaged).toEqual([3]);
    expect(history.sessions.map((s) => s.id)).toEqual(["s"]);
    expect(history.sessions[0]?.events).toHaveLength(1);
  });

  it("reads records written before the timer and mode were fields, with their defaults", () => {
    const home = tempDir();
    const { timerMinutes: _t, mode: _m, ...old } = start("a", "2026-01-01T10:00:00.000Z");
    writeFileSync(historyPath(home), `${line(old)}\n`);
    expect(loadHistory(home).sessions[0]).toMatchObject({ timerMinutes: null, mode: "drill", phase: 3, workspace: "/w" });
  });
});
