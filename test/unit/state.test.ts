import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DrillError } from "../../src/core/errors.js";
import { loadState, newSession, saveState, statePath, updateState } from "../../src/core/state.js";
import { tempDir } from "../helpers.js";

describe("the state file", () => {
  it("starts empty and round-trips what was saved", () => {
    const home = tempDir();
    expect(loadState(home)).toEqual({ version: 1, activeSessionId: null, sessions: [] });
    const session = newSession({ practice: "03-api-security", workspace: "/w", phase: 3, timerMinutes: 60 }, new Date("2026-01-01T10:00:00Z"));
    updateState((state) => {
      state.sessions.push(session);
      state.activeSessionId = session.id;
    }, home);
    const again = loadState(home);
    expect(again.activeSessionId).toBe(session.id);
    expect(again.sessions[0]?.events).toEqual([{ type: "start", at: "2026-01-01T10:00:00.000Z" }]);
  });

  it("writes atomically: no temp file is left beside it", () => {
    const home = tempDir();
    saveState({ version: 1, activeSessionId: null, sessions: [] }, home);
    expect(readdirSync(home)).toEqual(["state.json"]);
  });

  it.each([
    ["not JSON", "{ this is not json"],
    ["an unknown version", JSON.stringify({ version: 99, activeSessionId: null, sessions: [] })],
    ["the wrong shape", JSON.stringify({ hello: "world" })],
  ])("moves a file that is %s aside, keeps its bytes, and says where", (_what, content) => {
    const home = tempDir();
    writeFileSync(statePath(home), content);
    let error: unknown;
    try {
      loadState(home);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DrillError);
    expect((error as DrillError).code).toBe("corrupt-state");
    expect(existsSync(statePath(home))).toBe(false);
    const aside = readdirSync(home).filter((f) => f.endsWith(".bad"));
    expect(aside).toHaveLength(1);
    expect((error as DrillError).message).toContain(aside[0]);
    expect(readFileSync(join(home, aside[0] as string), "utf8")).toBe(content);
    // The next read starts a fresh record.
    expect(loadState(home).sessions).toEqual([]);
  });
});
