import { describe, expect, it } from "vitest";
import { codeOf } from "../helpers.js";
import { parsePhase, parsePort, parseTimer, parseUrl } from "../../src/core/options.js";

describe("option values", () => {
  it("accepts timers in minutes, fractions included", () => {
    expect(parseTimer("60")).toBe(60);
    expect(parseTimer(" 1.5 ")).toBe(1.5);
  });

  it.each(["-5", "abc", "0", "", "1e3", "99999", "10m"])("rejects the timer %j with bad-timer", (value) => {
    expect(codeOf(() => parseTimer(value))).toBe("bad-timer");
  });

  it("accepts phases 1-4 only", () => {
    expect(parsePhase("2")).toBe(2);
    for (const bad of ["0", "5", "two", "1.5"]) expect(codeOf(() => parsePhase(bad))).toBe("bad-phase");
  });

  it("validates ports and base URLs", () => {
    expect(parsePort("8000")).toBe(8000);
    expect(codeOf(() => parsePort("70000"))).toBe("usage");
    expect(parseUrl("http://127.0.0.1:8000/")).toBe("http://127.0.0.1:8000");
    expect(codeOf(() => parseUrl("localhost:8000"))).toBe("usage");
    expect(codeOf(() => parseUrl("not a url"))).toBe("usage");
  });
});
