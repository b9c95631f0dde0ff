import { describe, expect, it } from "vitest";
import { EVENT_PREFIX, parseEventLine } from "../../src/core/check/suite-events.js";

const line = (event: unknown) => `${EVENT_PREFIX}${typeof event === "string" ? event : JSON.stringify(event)}`;

describe("the suite-event protocol", () => {
  it("reads each kind of event the reporter sends", () => {
    expect(parseEventLine(line({ type: "planned", tests: ["R01.1 a"] }))).toEqual({
      kind: "event",
      event: { type: "planned", tests: ["R01.1 a"] },
    });
    const result = {
      type: "result",
      name: "R01.1 a",
      state: "failed",
      durationMs: 3,
      errors: ["no"],
      exchanges: ["GET /"],
      stalledAt: "R01.1",
    };
    expect(parseEventLine(line(result))).toEqual({ kind: "event", event: result });
    expect(parseEventLine(line({ type: "error", message: "boom" }))).toMatchObject({ kind: "event" });
    expect(parseEventLine(line({ type: "end", reason: "passed" }))).toMatchObject({ kind: "event" });
  });

  it("leaves any other line as output", () => {
    expect(parseEventLine("hello @@drill {}")).toEqual({ kind: "output" });
    expect(parseEventLine("")).toEqual({ kind: "output" });
  });

  it.each([
    ["not JSON", line("{nope")],
    ["not an object", line("[1]")],
    ["an unknown type", line({ type: "party" })],
    ["planned without names", line({ type: "planned", tests: "R01.1" })],
    ["a result without a name", line({ type: "result", state: "passed", durationMs: 1 })],
    ["a result without a duration", line({ type: "result", name: "R01.1", state: "passed" })],
    ["errors that are not text", line({ type: "result", name: "R01.1", state: "failed", durationMs: 1, errors: [{}] })],
    ["an error without a message", line({ type: "error" })],
  ])("calls %s malformed, without throwing", (_, text) => {
    expect(parseEventLine(text)).toMatchObject({ kind: "malformed", problem: expect.any(String) });
  });
});
