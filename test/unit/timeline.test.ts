import { describe, expect, it } from "vitest";
import type { History, Session, SessionEvent } from "../../src/core/record/history.js";
import {
  activeMs,
  bestTimes,
  elapsedMs,
  formatDuration,
  remainingMs,
  sessionStatus,
  timeToGreenMs,
} from "../../src/core/record/timeline.js";

const T0 = "2026-01-01T10:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const when = (minutes: number) => new Date(at(minutes));

function checkAt(minutes: number, failed: number, extra: Partial<Extract<SessionEvent, { type: "check" }>> = {}): SessionEvent {
  return { type: "check", at: at(minutes), mode: "managed", passed: 5 - failed, failed, skipped: 0, requirements: {}, ...extra };
}

function session(practice: string, events: SessionEvent[], timerMinutes: number | null = 60): Session {
  const start = { type: "start" as const, at: T0, practice, workspace: "/w", phase: 3 as const, timerMinutes, mode: "drill" as const };
  return {
    id: `${practice}-${events.length}`,
    practice,
    workspace: "/w",
    phase: 3,
    timerMinutes,
    mode: "drill",
    startedAt: T0,
    events: [start, ...events],
  };
}

describe("times derived from events", () => {
  it("time to green is the clock at the first check where everything passed", () => {
    const s = session("01-async-inference", [checkAt(10, 3), checkAt(42, 0), checkAt(50, 1)]);
    expect(timeToGreenMs(s)).toBe(42 * 60_000);
    expect(sessionStatus(s)).toBe("passed");
    expect(elapsedMs(s, when(90))).toBe(42 * 60_000);
  });

  it("paused time is not counted, also while still paused", () => {
    const s = session("01-async-inference", [
      { type: "pause", at: at(10) },
      { type: "resume", at: at(25) },
      { type: "pause", at: at(40) },
    ]);
    expect(activeMs(s, when(30))).toBe(15 * 60_000);
    expect(activeMs(s, when(100))).toBe(25 * 60_000);
    expect(sessionStatus(s)).toBe("paused");
    const green = session("x", [{ type: "pause", at: at(10) }, { type: "resume", at: at(25) }, checkAt(45, 0)]);
    expect(timeToGreenMs(green)).toBe(30 * 60_000);
  });

  it("the clock runs past the timer into overtime", () => {
    const s = session("01-async-inference", [], 45);
    expect(remainingMs(s, when(40))).toBe(5 * 60_000);
    expect(remainingMs(s, when(50))).toBe(-5 * 60_000);
    expect(remainingMs(session("x", [], null), when(50))).toBeUndefined();
  });

  it("skipped requirements or a server that never started are not green; skip and end close a session", () => {
    const s = session("01-async-inference", [
      checkAt(5, 0, { skipped: 1, passed: 4 }),
      checkAt(6, 0, { passed: 0, error: "server exited" }),
    ]);
    expect(timeToGreenMs(s)).toBeUndefined();
    expect(sessionStatus(s)).toBe("active");
    expect(sessionStatus(session("x", [{ type: "skip", at: at(7) }]))).toBe("skipped");
    const ended = session("x", [{ type: "end", at: at(8), outcome: "abandoned" }]);
    expect(sessionStatus(ended)).toBe("abandoned");
    expect(elapsedMs(ended, when(99))).toBe(8 * 60_000);
  });

  it("best time per practice across sessions", () => {
    const history: Pick<History, "sessions"> = {
      sessions: [
        session("01-async-inference", [checkAt(50, 0)]),
        session("01-async-inference", [checkAt(5, 1), checkAt(38, 0)]),
        session("03-api-security", [checkAt(20, 2)]),
      ],
    };
    const best = bestTimes(history);
    expect(best.get("01-async-inference")).toBe(38 * 60_000);
    expect(best.has("03-api-security")).toBe(false);
  });

  it("formats durations as [h:]mm:ss", () => {
    expect(formatDuration(0)).toBe("00:00");
    expect(formatDuration(61_000)).toBe("01:01");
    expect(formatDuration(3_723_000)).toBe("1:02:03");
    expect(formatDuration(-90_000)).toBe("-01:30");
  });
});

describe("an abandoned attempt stays abandoned", () => {
  it("a green check recorded after the end never turns it green, nor counts in stats", async () => {
    const { collectStats } = await import("../../src/core/progress/stats.js");
    const { loadPractices } = await import("../../src/core/catalog/practices.js");
    const s = session("01-async-inference", [checkAt(10, 3), { type: "end", at: at(20), outcome: "abandoned" }, checkAt(30, 0)]);
    expect(s.events.filter((e) => e.type === "check")).toHaveLength(2); // the check is in the record
    expect(sessionStatus(s)).toBe("abandoned");
    expect(timeToGreenMs(s)).toBeUndefined();
    expect(elapsedMs(s, when(90))).toBe(20 * 60_000);
    expect(bestTimes({ sessions: [s] }).size).toBe(0);
    const practice = loadPractices().filter((p) => p.slug === "01-async-inference");
    const row = collectStats({ sessions: [s] }, practice).practices[0]?.rows[0];
    expect(row).toMatchObject({ attempts: 1, green: 0, bestMs: null, medianChecksToGreen: null, abandoned: 1 });
  });

  it("a green check before the end is still the attempt's green", () => {
    const s = session("01-async-inference", [checkAt(12, 0), { type: "end", at: at(20), outcome: "abandoned" }]);
    expect(sessionStatus(s)).toBe("passed");
    expect(timeToGreenMs(s)).toBe(12 * 60_000);
  });
});
