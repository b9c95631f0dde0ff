// drill plan --interview: phases laid out backwards from the date, the fire drill the day
// before, today's FSRS practices beside the phase's tasks.
import { describe, expect, it } from "vitest";
import { loadPractices } from "../../src/core/catalog/practices.js";
import { parseInterviewDate } from "../../src/core/options.js";
import { interviewPhases } from "../../src/core/progress/interview.js";
import { buildPlan } from "../../src/core/progress/plan.js";
import { appendFileSync } from "node:fs";
import { appendHistory, historyPath, loadHistory } from "../../src/core/record/history.js";
import { DrillError } from "../../src/system/errors.js";
import { tempDir } from "../helpers.js";

const local = (day: number, hour: number) => new Date(2026, 11, day, hour);
const empty = { sessions: [], studies: [], runs: [], dailyCaps: [] };

describe("the plan toward an interview date", () => {
  it("shapes: the kit's week, the 4-day variant, extra speed-drill days, short runways", () => {
    expect(interviewPhases(7)).toEqual([1, 1, 2, 2, 3, 3, 4]);
    expect(interviewPhases(4)).toEqual([1, 2, 3, 4]);
    expect(interviewPhases(5)).toEqual([1, 2, 3, 3, 4]);
    expect(interviewPhases(10)).toEqual([1, 1, 2, 2, 3, 3, 3, 3, 3, 4]);
    expect(interviewPhases(2)).toEqual([3, 4]);
    expect(interviewPhases(1)).toEqual([4]);
    expect(interviewPhases(0)).toEqual([]);
  });

  it("with no history and an interview a week away: the kit's 7-day plan ending the day before", () => {
    const now = local(4, 9);
    const plan = buildPlan({ ...empty, interviews: [{ at: now.toISOString(), date: "2026-12-11" }] }, loadPractices(), 4, now);
    expect(plan.interview).toEqual({ date: "2026-12-11", daysLeft: 7 });
    expect(plan.schedule.map((d) => d.phase)).toEqual([1, 1, 2, 2, 3, 3, 4]);
    expect(plan.schedule.at(0)?.date).toBe("2026-12-04");
    expect(plan.schedule.at(-1)?.date).toBe("2026-12-10");
    expect(plan).toMatchObject({ dayNumber: 1, tasksPhase: 1, days: 7 });
    expect(plan.practices).toEqual(loadPractices().map((p) => p.id));
  });

  it("later days read the phase from the date set, and the day before is the fire drill", () => {
    const interviews = [{ at: local(4, 9).toISOString(), date: "2026-12-11" }];
    const speed = buildPlan({ ...empty, interviews }, loadPractices(), 7, local(9, 9));
    expect(speed).toMatchObject({ dayNumber: 6, tasksPhase: 3, interview: { daysLeft: 2 } });
    expect(speed.dueToday.map((d) => d.id)).toContain(speed.next.practice?.id);
    const eve = buildPlan({ ...empty, interviews }, loadPractices(), 7, local(10, 9));
    expect(eve).toMatchObject({ tasksPhase: 4, next: { command: "drill fire-drill" } });
  });

  it("moving the date keeps day 1; a date set after the last interview passed begins afresh", () => {
    const moved = [
      { at: local(1, 9).toISOString(), date: "2026-12-08" },
      { at: local(5, 9).toISOString(), date: "2026-12-11" },
    ];
    const plan = buildPlan({ ...empty, interviews: moved }, loadPractices(), 7, local(5, 10));
    expect(plan).toMatchObject({ startDate: "2026-12-01", days: 10, dayNumber: 5, tasksPhase: 3 });
    const again = [...moved, { at: local(12, 9).toISOString(), date: "2026-12-19" }];
    expect(buildPlan({ ...empty, interviews: again }, loadPractices(), 7, local(12, 10))).toMatchObject({
      startDate: "2026-12-12",
      days: 7,
      dayNumber: 1,
    });
  });

  it("a date that has passed no longer shapes the plan", () => {
    const plan = buildPlan(
      { ...empty, interviews: [{ at: local(1, 9).toISOString(), date: "2026-12-03" }] },
      loadPractices(),
      4,
      local(4, 9),
    );
    expect(plan).toMatchObject({ interview: null, days: 4 });
  });

  it("refuses a date that is not one", () => {
    expect(parseInterviewDate(" 2026-12-14 ")).toBe("2026-12-14");
    for (const bad of ["2026-02-30", "14/12/2026", "tomorrow", "9999-99-99", ""]) {
      expect(() => parseInterviewDate(bad)).toThrow(DrillError);
    }
  });
});

describe("the interview and daily-cap records", () => {
  it("round-trip through the history; a record of the wrong shape is a damaged line", () => {
    const home = tempDir();
    appendHistory(
      [
        { type: "interview", at: "2026-12-04T12:00:00.000Z", date: "2026-12-14" },
        { type: "daily-cap", at: "2026-12-04T12:00:01.000Z", rebuilds: 3 },
      ],
      home,
    );
    appendFileSync(historyPath(home), `${JSON.stringify({ type: "interview", at: "2026-12-04T12:00:02.000Z", date: "14/12/2026" })}\n`);
    appendFileSync(historyPath(home), `${JSON.stringify({ type: "daily-cap", at: "2026-12-04T12:00:03.000Z", rebuilds: 0 })}\n`);
    const history = loadHistory(home);
    expect(history.interviews).toEqual([{ at: "2026-12-04T12:00:00.000Z", date: "2026-12-14" }]);
    expect(history.dailyCaps).toEqual([{ at: "2026-12-04T12:00:01.000Z", rebuilds: 3 }]);
    expect(history.damaged).toEqual([4, 5]);
  });
});
