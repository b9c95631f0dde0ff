// drill next's and drill stats' renderers of the schedule, handed data: what they say and that
// each line fits an 80-column terminal.
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { loadPractices } from "../../src/core/catalog/practices.js";
import { buildSchedule } from "../../src/core/progress/schedule.js";
import { formatNext } from "../../src/ui/next.js";
import { formatScheduleStats } from "../../src/ui/stats-schedule.js";
import { buildSession, countsCheck, minutesAfter } from "../builders.js";

const local = (day: number, hour: number) => new Date(2026, 11, day, hour);
const plain = (text: string) => stripVTControlCharacters(text);
const widest = (text: string) =>
  Math.max(
    ...plain(text)
      .split("\n")
      .map((line) => line.length),
  );

function green(slug: string, start: Date, minutes: number, hints = 0) {
  const events = [
    ...Array.from({ length: hints }, (_, index) => ({ type: "hint" as const, at: minutesAfter(start, 1 + index), index })),
    countsCheck(minutesAfter(start, minutes), 8),
  ];
  return buildSession(slug, events, { startedAt: start.toISOString(), phase: 3, timerMinutes: 60 });
}

const empty = { sessions: [], studies: [], interviews: [], dailyCaps: [] };

describe("drill next and the stats schedule, as text", () => {
  it("names the practice, why, the command, and the interview", () => {
    const history = { ...empty, interviews: [{ at: local(1, 9).toISOString(), date: "2026-12-11" }] };
    const text = plain(formatNext(buildSchedule(history, loadPractices(), local(4, 9))));
    const first = loadPractices()[0];
    expect(text).toContain(`Next: ${first?.id} ${first?.title}`);
    expect(text).toContain("never drilled");
    expect(text).toContain("Today: 0 of 2 rebuilds done. The interview (2026-12-11) is in 7 days.");
    expect(widest(text)).toBeLessThanOrEqual(80);
  });

  it("with the day full, says so and when the next one is due", () => {
    const [a, b] = loadPractices();
    const sessions = [green(a?.slug ?? "", local(4, 8), 40, 2), green(b?.slug ?? "", local(4, 10), 40)];
    const text = plain(formatNext(buildSchedule({ ...empty, sessions }, loadPractices(), local(4, 13))));
    expect(text).toMatch(/^Today's 2 rebuilds are done: the day is full\.\nNext due tomorrow \(2026-12-05\): /);
  });

  it("stats: due date, stability and last rating per practice, and the days ahead", () => {
    const [a] = loadPractices();
    const history = { ...empty, sessions: [green(a?.slug ?? "", local(1, 9), 52, 2)] };
    const text = plain(formatScheduleStats(buildSchedule(history, loadPractices(), local(4, 9))));
    const row = text.split("\n").find((line) => line.startsWith(`  ${a?.id} `));
    expect(row).toMatch(/ d {2}Good$/);
    expect(text).toContain("Fri 2026-12-04  ■■");
    expect(widest(text)).toBeLessThanOrEqual(80);
  });
});
