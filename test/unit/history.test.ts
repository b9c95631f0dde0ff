import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { appendHistory, historyPath, loadHistory } from "../../src/core/history.js";
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
    appendHistory([start("b", "2026-01-02T10:00:00.000Z"), { type: "study", at: "2026-01-02T11:00:00.000Z", practice: "01-async-inference" }], home);
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
    ["of an unknown version", `${JSON.stringify({ drill: "history", version: 99 })}\n`],
    ["unreadable throughout", "garbage\nmore garbage\n"],
  ])("moves a file that is %s aside, keeps its bytes, and says where", (_what, content) => {
    const home = tempDir();
    writeFileSync(historyPath(home), content);
    expect(codeOf(() => loadHistory(home))).toBe("corrupt-state");
    expect(existsSync(historyPath(home))).toBe(false);
    const aside = readdirSync(home).filter((f) => f.endsWith(".bad"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(home, aside[0] as string), "utf8")).toBe(content);
    expect(loadHistory(home).sessions).toEqual([]);
  });
});
