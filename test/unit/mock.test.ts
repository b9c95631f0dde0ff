import { describe, expect, it } from "vitest";
import {
  boundaryCheck,
  MOCK_DAY_MINUTES,
  mockBoxes,
  mockDayMinutes,
  mockProgress,
  mockReport,
  openMock,
} from "../../src/core/modes/mock.js";
import { loadPractices } from "../../src/core/catalog/practices.js";
import { collectStats } from "../../src/core/progress/stats.js";
import { buildSession, checkEvent, minutesAfter } from "../builders.js";

const START = "2026-03-02T09:00:00.000Z";
const at = (minutes: number) => new Date(minutesAfter(START, minutes));
const mock = (events: Parameters<typeof buildSession>[1], timerMinutes = MOCK_DAY_MINUTES) =>
  buildSession("01-async-inference", events, { mode: "mock", timerMinutes, startedAt: START });

describe("the mock's boxes", () => {
  it("are the kit's day: 15, 45, 150, 60, 30 and 30 minutes, 5.5 hours in all", () => {
    expect(MOCK_DAY_MINUTES).toBe(330);
    const boxes = mockBoxes({ timerMinutes: 330 });
    expect(boxes.map((b) => [b.name, b.endMs / 60_000])).toEqual([
      ["read", 15],
      ["boilerplate", 60],
      ["core logic", 210],
      ["testing", 270],
      ["docs & cleanup", 300],
      ["buffer", 330],
    ]);
  });

  it("keep their proportions in a shorter recorded day (the tests' knob)", () => {
    const boxes = mockBoxes({ timerMinutes: 33 });
    expect(boxes.map((b) => Math.round(b.endMs / 6_000))).toEqual([15, 60, 210, 270, 300, 330]);
    expect(boxes.at(-1)?.endMs).toBe(33 * 60_000);
  });

  it("take the day's length from DRILL_MOCK_DAY_SECONDS, refusing a value that is not a positive number", () => {
    expect(mockDayMinutes({})).toBe(330);
    expect(mockDayMinutes({ DRILL_MOCK_DAY_SECONDS: "66" })).toBeCloseTo(1.1);
    expect(() => mockDayMinutes({ DRILL_MOCK_DAY_SECONDS: "soon" })).toThrow(/positive number of seconds/);
    expect(() => mockDayMinutes({ DRILL_MOCK_DAY_SECONDS: "-5" })).toThrow(/positive number of seconds/);
  });
});

describe("the mock's clock", () => {
  it("names the current box and the time left in it, paused time left out", () => {
    const session = mock([
      { type: "pause", at: minutesAfter(START, 10) },
      { type: "resume", at: minutesAfter(START, 40) },
    ]);
    const progress = mockProgress(session, at(50)); // 20 minutes on the clock
    expect(progress.current?.name).toBe("boilerplate");
    expect(progress.boxLeftMs).toBe(40 * 60_000);
    expect(progress.passed).toBe(1);
    expect(progress.over).toBe(false);
  });

  it("keeps running after the first green check, and ends with the day or an end event", () => {
    const green = mock([checkEvent(minutesAfter(START, 100), { "R01.1": "passed" })]);
    expect(mockProgress(green, at(200)).current?.name).toBe("core logic");
    expect(mockProgress(green, at(331)).over).toBe(true);
    expect(openMock([green], at(200))?.id).toBe(green.id);
    expect(openMock([green], at(331))).toBeUndefined();
    const ended = mock([{ type: "end", at: minutesAfter(START, 70), outcome: "abandoned" }]);
    const progress = mockProgress(ended, at(200));
    expect(progress).toMatchObject({ over: true, endedEarly: true, clockMs: 70 * 60_000, passed: 2, current: undefined });
  });
});

describe("the mock's report", () => {
  it("says what was green at each boundary, from the first check at or after it", () => {
    const session = mock([
      checkEvent(minutesAfter(START, 15), { "R01.1": "failed", "R01.2": "failed" }),
      checkEvent(minutesAfter(START, 30), { "R01.1": "passed", "R01.2": "failed" }), // manual, inside the box
      checkEvent(minutesAfter(START, 60.02), { "R01.1": "passed", "R01.2": "failed" }),
      checkEvent(minutesAfter(START, 211), { "R01.1": "passed", "R01.2": "passed" }), // a minute late
      checkEvent(minutesAfter(START, 301), { "R01.1": "passed", "R01.2": "failed" }), // broken in cleanup
    ]);
    const report = mockReport(session, at(320));
    expect(report.boundaries.map((b) => b.reached)).toEqual([true, true, true, true, true, false]);
    expect(report.boundaries.map((b) => b.check?.passed ?? null)).toEqual([0, 1, 2, null, 1, null]);
    expect(report.boundaries[1]?.newlyGreen).toEqual(["R01.1"]);
    expect(report.boundaries[2]).toMatchObject({ newlyGreen: ["R01.2"], lateMs: 60_000 });
    expect(report.boundaries[4]?.lost).toEqual(["R01.2"]);
    expect(report.greenAtMs).toBe(211 * 60_000);
    expect(report.greenBox).toBe("testing");
    expect(report.over).toBe(false);
  });

  it("leaves a check later than the next boundary to that one", () => {
    const session = mock([checkEvent(minutesAfter(START, 65), { "R01.1": "passed" })]);
    const boxes = mockBoxes(session);
    expect(boundaryCheck(session, boxes, 0)).toBeUndefined();
    expect(boundaryCheck(session, boxes, 1)?.passed).toBe(1);
  });

  it("marks a day ended early and leaves the boundaries after the end unreached", () => {
    const session = mock([
      checkEvent(minutesAfter(START, 15), { "R01.1": "failed" }),
      { type: "end", at: minutesAfter(START, 40), outcome: "abandoned" },
    ]);
    const report = mockReport(session, at(400));
    expect(report.over).toBe(true);
    expect(report.endedEarlyAtMs).toBe(40 * 60_000);
    expect(report.boundaries.filter((b) => b.reached)).toHaveLength(1);
  });
});

describe("a mock in drill stats", () => {
  it("has a row of its own, apart from the speed drills of phase 3 (its clock is a 5.5-hour day)", () => {
    const drill = buildSession("01-async-inference", [checkEvent(minutesAfter(START, 50), { "R01.1": "passed" })], { startedAt: START });
    const day = mock([checkEvent(minutesAfter(START, 200), { "R01.1": "passed" })]);
    const practice = loadPractices().filter((p) => p.slug === "01-async-inference");
    const rows = collectStats({ sessions: [drill, day] }, practice, at(400)).practices[0]?.rows;
    expect(rows?.map((r) => [r.row, r.attempts, r.bestMs])).toEqual([
      [3, 1, 50 * 60_000],
      ["mock", 1, 200 * 60_000],
    ]);
  });
});
