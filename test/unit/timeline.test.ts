import { describe, expect, it } from "vitest";
import type { Session, SessionEvent, State } from "../../src/core/state.js";
import { bestTimes, deadline, formatDuration, sessionStatus, timeToGreenMs } from "../../src/core/timeline.js";

const T0 = "2026-01-01T10:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function checkAt(minutes: number, failed: number, extra: Partial<Extract<SessionEvent, { type: "check" }>> = {}): SessionEvent {
  return { type: "check", at: at(minutes), mode: "managed", passed: 5 - failed, failed, skipped: 0, requirements: {}, ...extra };
}

function session(practice: string, events: SessionEvent[], timerMinutes: number | null = 60): Session {
  return { id: `${practice}-${events.length}`, practice, workspace: "/w", phase: 3, timerMinutes, startedAt: T0, events: [{ type: "start", at: T0 }, ...events] };
}

describe("times derived from events", () => {
  it("time to green is the first check where everything passed", () => {
    const s = session("01-async-inference", [checkAt(10, 3), checkAt(42, 0), checkAt(50, 1)]);
    expect(timeToGreenMs(s)).toBe(42 * 60_000);
    expect(sessionStatus(s)).toBe("passed");
  });

  it("a check with skipped requirements or a server that never started is not green", () => {
    const s = session("01-async-inference", [checkAt(5, 0, { skipped: 1, passed: 4 }), checkAt(6, 0, { passed: 0, error: "server exited" })]);
    expect(timeToGreenMs(s)).toBeUndefined();
    expect(sessionStatus(s)).toBe("active");
  });

  it("best time per practice across sessions", () => {
    const state: State = {
      version: 1,
      activeSessionId: null,
      sessions: [
        session("01-async-inference", [checkAt(50, 0)]),
        session("01-async-inference", [checkAt(5, 1), checkAt(38, 0)]),
        session("03-api-security", [checkAt(20, 2)]),
      ],
    };
    const best = bestTimes(state);
    expect(best.get("01-async-inference")).toBe(38 * 60_000);
    expect(best.has("03-api-security")).toBe(false);
  });

  it("deadline follows the timer; no timer, no deadline", () => {
    expect(deadline(session("x", [], 60))?.toISOString()).toBe(at(60));
    expect(deadline(session("x", [], null))).toBeUndefined();
  });

  it("formats durations as [h:]mm:ss", () => {
    expect(formatDuration(0)).toBe("00:00");
    expect(formatDuration(61_000)).toBe("01:01");
    expect(formatDuration(3_723_000)).toBe("1:02:03");
    expect(formatDuration(-90_000)).toBe("-01:30");
  });
});
