// The mock in the countdown and in its report, rendered without a terminal: the current box,
// what it is for and its time left fit 80 columns; a boundary's signal takes the note's place.
import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { MOCK_DAY_MINUTES, mockReport } from "../../src/core/modes/mock.js";
import { type CockpitState, INTRO, renderFrame } from "../../src/ui/countdown-view.js";
import { formatMockReport } from "../../src/ui/mock.js";
import { buildSession, checkEvent, minutesAfter } from "../builders.js";

const START = "2026-03-02T09:00:00.000Z";
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this strips
const plain = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, "");

function mockState(minutes: number, events = [checkEvent(minutesAfter(START, 15), { "R01.1": "failed" })]): CockpitState {
  const session = buildSession("01-async-inference", events, { startedAt: START, mode: "mock", timerMinutes: MOCK_DAY_MINUTES });
  return {
    target: { kind: "session", sessionId: session.id },
    view: { session, progress: undefined },
    now: new Date(minutesAfter(START, minutes)),
    title: "01 Async ML inference",
    board: [{ id: "R01.1", text: "The model is loaded once, at startup.", mark: "failed" }],
    check: { phase: "idle" },
    watching: true,
    polling: false,
    queued: false,
    message: INTRO,
  };
}

describe("the mock in the countdown", () => {
  it("shows the current box, its time left, what it is for and what comes next, in 80 columns", () => {
    const frame = renderFrame(mockState(70), { columns: 80, rows: 24 });
    for (const line of frame) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    const [title, box] = frame.map(plain);
    expect(title).toBe("01 Async ML inference · core logic 2:20:00 left · day 1:10:00 of 5:30:00");
    expect(box).toBe("box 3/6: the endpoints and logic the spec asks for · next: testing, 1:00:00");
    expect(plain(frame.at(-1) ?? "")).toContain("[q]end the day");
  });

  it("fits every box's line in 80 columns, all day long", () => {
    for (const minutes of [0, 20, 100, 250, 280, 310, 331]) {
      // The title and the box's line (the keys' line is cut at 80 columns in every countdown).
      for (const line of renderFrame(mockState(minutes), { columns: 80, rows: 24 }).slice(0, 2).map(plain)) expect(line).not.toContain("…");
    }
  });

  it("says a boundary's signal over the last message for a minute, then the message again", () => {
    const signal = { text: "⏰ 1:00:00: boilerplate is over", at: new Date(minutesAfter(START, 60)).getTime() };
    const during = renderFrame({ ...mockState(60.5), signal }, { columns: 80, rows: 24 }).map(plain);
    expect(during).toContain(signal.text);
    const after = renderFrame({ ...mockState(61.5), signal }, { columns: 80, rows: 24 }).map(plain);
    expect(after).not.toContain(signal.text);
    expect(after).toContain(INTRO);
  });

  it("says the day is over once its clock runs out", () => {
    const text = renderFrame(mockState(331), { columns: 80, rows: 24 }).map(plain).join("\n");
    expect(text).toContain("the day is over · day 5:30:00 of 5:30:00");
    expect(text).toContain("The day is over: the last check, then the report.");
  });
});

describe("the mock's report", () => {
  it("has a line per boundary: the check's count, what went green, what was lost, what was not reached", () => {
    const session = buildSession(
      "01-async-inference",
      [
        checkEvent(minutesAfter(START, 15), { "R01.1": "failed", "R01.2": "failed" }),
        checkEvent(minutesAfter(START, 60), { "R01.1": "passed", "R01.2": "failed" }),
        checkEvent(minutesAfter(START, 210), { "R01.1": "passed", "R01.2": "passed" }),
        checkEvent(minutesAfter(START, 275), { "R01.1": "passed", "R01.2": "failed" }),
      ],
      { startedAt: START, mode: "mock", timerMinutes: MOCK_DAY_MINUTES },
    );
    const lines = formatMockReport(mockReport(session, new Date(minutesAfter(START, 290))))
      .split("\n")
      .map(plain);
    expect(lines[1]).toBe("  all green at 3:30:00, in testing · still running");
    expect(lines.slice(3)).toEqual([
      "    15:00 read            ✘   0/2",
      "  1:00:00 boilerplate     ✘   1/2 +R01.1",
      "  3:30:00 core logic      ✔   2/2 +R01.2",
      "  4:30:00 testing         ✘   1/2 lost R01.2 (checked 05:00 late)",
      "  5:00:00 docs & cleanup  not reached",
      "  5:30:00 buffer          not reached",
    ]);
  });
});
