// The countdown's controller in a mock, with a host that only listens (no terminal, no check
// run: the day is in its first box, and watching is off): q asks, y ends the day, the end is
// recorded and the report is the countdown's last word; a mock that went green stays open.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Cockpit } from "../../src/actions/cockpit.js";
import { appendHistory, loadHistory } from "../../src/core/record/history.js";

let home = "";
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "drill-mock-cockpit-"));
  process.env.DRILL_HOME = home;
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  delete process.env.DRILL_HOME;
});

function recordMock(green: boolean): string {
  const at = new Date(Date.now() - 5 * 60_000).toISOString(); // 5 minutes into the read box
  const start = {
    type: "start" as const,
    at,
    practice: "01-async-inference",
    workspace: home,
    phase: 3 as const,
    timerMinutes: 330,
    mode: "mock" as const,
  };
  const check = {
    type: "check" as const,
    at,
    mode: "managed" as const,
    passed: 1,
    failed: 0,
    skipped: 0,
    requirements: { "R01.1": "passed" as const },
  };
  appendHistory([{ ...start, session: "m1" }, ...(green ? [{ ...check, session: "m1" }] : [])]);
  return "m1";
}

function listen() {
  const heard = { bells: 0, ended: undefined as { words?: string; error?: unknown } | undefined };
  const host = {
    changed: () => undefined,
    bell: () => {
      heard.bells += 1;
    },
    page: () => undefined,
    end: (outcome: { words?: string; error?: unknown }) => {
      heard.ended = outcome;
    },
  };
  return { heard, host };
}

describe("the cockpit in a mock", () => {
  it("goes on after green, in its box; q then y ends the day, records the end and gives the report", async () => {
    const sessionId = recordMock(true);
    const { heard, host } = listen();
    const cockpit = new Cockpit({ kind: "session", sessionId }, host, { watch: false });
    await cockpit.start();
    expect(heard.ended).toBeUndefined();
    expect(cockpit.state.title).toBe("01 Async ML inference");
    cockpit.onInput({ kind: "key", name: "q" });
    expect(cockpit.state.prompt).toBe("End the day now? What is green stays recorded; the report follows.");
    cockpit.onInput({ kind: "key", name: "y" });
    expect(heard.bells).toBe(1);
    expect(heard.ended?.words).toMatch(/Interview mock: 01 Async ML inference[\s\S]*all green at 00:00, in read · ended early at 05:0\d/);
    const [session] = loadHistory(home).sessions;
    expect(session?.events.at(-1)).toMatchObject({ type: "end" });
    await cockpit.stop();
  });

  it("n keeps the day going", async () => {
    const { heard, host } = listen();
    const cockpit = new Cockpit({ kind: "session", sessionId: recordMock(false) }, host, { watch: false });
    await cockpit.start();
    cockpit.onInput({ kind: "key", name: "q" });
    cockpit.onInput({ kind: "key", name: "n" });
    expect(heard.ended).toBeUndefined();
    expect(loadHistory(home).sessions[0]?.events.map((e) => e.type)).toEqual(["start"]);
    await cockpit.stop();
  });
});
