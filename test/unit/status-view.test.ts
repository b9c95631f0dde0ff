// drill status's first line names what kind of attempt it is: a phase of the plan, an interview
// mock (not phase 3), or a debugging drill (with its id as the learner types it).
import { describe, expect, it } from "vitest";
import type { Status } from "../../src/core/record/status.js";
import { formatStatus } from "../../src/ui/status.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this strips
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

const status = (overrides: Partial<Status>): Status => ({
  id: "03",
  practice: "03-api-security",
  kind: "practice",
  title: "API security",
  workspace: "/w",
  phase: 3,
  mode: "drill",
  status: "active",
  startedAt: "2026-03-02T09:00:00.000Z",
  elapsedMs: 60_000,
  timerMinutes: 60,
  remainingMs: 59 * 60_000,
  checks: 0,
  hints: 0,
  timeToGreenMs: null,
  lastCheck: null,
  fireDrill: null,
  ...overrides,
});

const firstLine = (s: Status) => plain(formatStatus(s)).split("\n")[0];

describe("formatStatus", () => {
  it("names the phase, a mock, or a debugging drill", () => {
    expect(firstLine(status({}))).toBe("03 API security · phase 3 (speed drills) · active");
    expect(firstLine(status({ mode: "mock", id: "01", practice: "01-async-inference", title: "Async ML inference" }))).toBe(
      "01 Async ML inference · interview mock · active",
    );
    expect(firstLine(status({ phase: 2, id: "D1", practice: "d1-cors", kind: "debug", title: "A CORS error" }))).toBe(
      "D1 A CORS error · debugging drill · active",
    );
  });
});
