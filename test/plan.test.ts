// drill plan: day numbering from the first recorded event in local dates, today's tasks from
// the record, what to drill next. The date logic is tested through buildPlan with a fixed
// `now`; the built binary only for what does not depend on today's date.
import { describe, expect, it } from "vitest";
import { DrillError } from "../src/system/errors.js";
import type { FireDrillRun, History, Session, SessionEvent } from "../src/core/record/history.js";
import { parsePlanDays, type Phase } from "../src/core/options.js";
import { buildPlan, localDate, type Plan } from "../src/core/progress/plan.js";
import { resolvePractice, type Practice } from "../src/core/catalog/practices.js";
import { buildSession, countsCheck, minutesAfter } from "./builders.js";
import { runCli, tempDir } from "./helpers.js";

const P01 = resolvePractice("01");
const P03 = resolvePractice("03");
/** A practice outside the fire drill, so the 4-day plan has something to leave out. */
const P02: Practice = { ...P01, id: "02", slug: "02-batch-processing", title: "Batch processing" };
const PRACTICES = [P01, P02, P03];

/** Local time (the plan's days are local dates): 2026-03-02 is a Monday. */
const local = (day: number, hour: number, minute = 0) => new Date(2026, 2, day, hour, minute);

function session(
  practice: Practice,
  startedAt: Date,
  phase: Phase,
  events: Array<{ after: number; check?: "green" | "red"; end?: true }>,
  mode: Session["mode"] = "drill",
): Session {
  const later: SessionEvent[] = events.map(({ after, check, end }) => {
    const at = minutesAfter(startedAt, after);
    return end ? { type: "end", at, outcome: "abandoned" } : countsCheck(at, 8, check === "green" ? 0 : 2);
  });
  return buildSession(practice.slug, later, { startedAt: startedAt.toISOString(), phase, mode });
}

function history(parts: Partial<Pick<History, "sessions" | "studies" | "runs">>): Pick<History, "sessions" | "studies" | "runs"> {
  return { sessions: [], studies: [], runs: [], ...parts };
}

const study = (practice: Practice, at: Date) => ({ at: at.toISOString(), practice: practice.slug });
const openTasks = (plan: Plan) => plan.tasks.filter((t) => !t.done).map((t) => t.command);

describe("plan days", () => {
  it("with nothing recorded, today is day 1 and every practice still needs studying", () => {
    const plan = buildPlan(history({}), PRACTICES, 7, local(10, 9));
    expect(plan).toMatchObject({ startDate: "2026-03-10", today: "2026-03-10", dayNumber: 1, complete: false, tasksPhase: 1 });
    expect(openTasks(plan)).toEqual(["drill study 01", "drill study 02", "drill study 03"]);
    expect(plan.next).toMatchObject({ command: "drill study 01", practice: { id: "01" } });
  });

  it("counts local calendar days from the first recorded event, not 24-hour spans", () => {
    const h = history({ studies: [study(P03, local(2, 23, 30)), study(P01, local(3, 8))] });
    expect(buildPlan(h, PRACTICES, 7, local(3, 0, 10))).toMatchObject({ startDate: "2026-03-02", dayNumber: 2, tasksPhase: 1 });
    expect(buildPlan(h, PRACTICES, 7, local(4, 12)).dayNumber).toBe(3);
    expect(buildPlan(h, PRACTICES, 7, local(8, 23, 59))).toMatchObject({ dayNumber: 7, tasksPhase: 4 });
    expect(buildPlan(h, PRACTICES, 7, local(31, 12)).schedule.map((d) => d.date)).toEqual([
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
      "2026-03-07",
      "2026-03-08",
    ]);
    expect(buildPlan(h, PRACTICES, 7, local(8, 12)).schedule.map((d) => d.phase)).toEqual([1, 1, 2, 2, 3, 3, 4]);
  });

  it("names today's date in the local time zone", () => {
    expect(localDate(local(5, 0, 1))).toBe("2026-03-05");
    expect(localDate(local(5, 23, 59))).toBe("2026-03-05");
  });
});

describe("today's tasks", () => {
  it("study days: the practices not studied yet, and the next one to study among them", () => {
    const plan = buildPlan(history({ studies: [study(P01, local(2, 9))] }), PRACTICES, 7, local(3, 9));
    expect(plan.tasks.map((t) => t.done)).toEqual([true, false, false]);
    expect(plan.next).toMatchObject({ command: "drill study 02", reason: "never drilled, not studied yet" });
  });

  it("muscle-memory days: green in a phase-2 drill within 45 minutes counts, 50 minutes does not; and a fixed break", () => {
    const h = history({
      studies: [study(P01, local(2, 9)), study(P02, local(2, 9)), study(P03, local(2, 9))],
      sessions: [
        session(P01, local(4, 9), 2, [{ after: 44, check: "green" }]),
        session(P03, local(4, 11), 2, [{ after: 50, check: "green" }]),
        session(P02, local(4, 14), 3, [{ after: 30, check: "green" }]),
      ],
    });
    const plan = buildPlan(h, PRACTICES, 7, local(4, 18));
    expect(plan).toMatchObject({ dayNumber: 3, tasksPhase: 2 });
    // 02 went green in a phase-3 drill: not the muscle-memory task.
    expect(openTasks(plan)).toEqual(["drill start 02 --phase 2", "drill start 03 --phase 2", "drill break"]);
    const fixed = history({ ...h, sessions: [...h.sessions, session(P01, local(4, 19), 2, [{ after: 5, check: "green" }], "break")] });
    expect(buildPlan(fixed, PRACTICES, 7, local(4, 20)).tasks.at(-1)?.done).toBe(true);
  });

  it("speed-drill days: finished drills started today count toward two; yesterday's and open ones do not", () => {
    const h = history({
      studies: [study(P01, local(2, 9))],
      sessions: [
        session(P01, local(5, 9), 3, [{ after: 50, check: "green" }]),
        session(P01, local(6, 9), 3, [{ after: 20, end: true }]),
        session(P03, local(6, 11), 3, [{ after: 10, check: "red" }]),
      ],
    });
    const plan = buildPlan(h, PRACTICES, 7, local(6, 15));
    expect(plan).toMatchObject({ dayNumber: 5, tasksPhase: 3 });
    expect(plan.tasks).toEqual([{ label: expect.stringContaining("(1/2 done)"), done: false, command: "drill start --random --timer 60" }]);
  });

  it("fire-drill day: the fire drill is next until a run started today has finished", () => {
    const start = history({ studies: [study(P01, local(2, 9))] });
    const due = buildPlan(start, PRACTICES, 7, local(8, 9));
    expect(due.next).toEqual({ command: "drill fire-drill", reason: expect.stringContaining("fire-drill day"), practice: null });
    const run: FireDrillRun = {
      id: "r",
      practices: [],
      dir: "/w",
      timerMinutes: 240,
      startedAt: local(8, 9).toISOString(),
      end: { at: local(8, 12).toISOString(), outcome: "finished" },
    };
    const done = buildPlan({ ...start, runs: [run] }, PRACTICES, 7, local(8, 13));
    expect(done.tasks.every((t) => t.done)).toBe(true);
    expect(done.next.practice?.id).toBe("01");
  });
});

describe("what to drill next", () => {
  it("the highest weight (never drilled, then never green, then slowest), ties by id, as the phase's command", () => {
    const studiedAll = [P01, P02, P03].map((p) => study(p, local(2, 9)));
    const h = history({
      studies: studiedAll,
      sessions: [
        session(P01, local(2, 10), 3, [{ after: 40, check: "green" }]),
        session(P02, local(2, 12), 3, [{ after: 55, check: "green" }]),
        session(P03, local(2, 14), 3, [{ after: 30, check: "red" }]),
      ],
    });
    expect(buildPlan(h, PRACTICES, 7, local(6, 9)).next).toEqual({
      command: "drill start 03 --phase 3",
      reason: "drilled, never green",
      practice: { id: "03", slug: P03.slug, title: P03.title, weight: 3 },
    });
    // Once 03 is green too, the slowest best (02, 55 min) weighs most; on day 3 it is a phase-2 drill.
    const allGreen = history({ ...h, sessions: [...h.sessions, session(P03, local(3, 9), 3, [{ after: 20, check: "green" }])] });
    expect(buildPlan(allGreen, PRACTICES, 7, local(4, 9)).next).toMatchObject({
      command: "drill start 02 --phase 2",
      reason: "green before",
    });
  });
});

describe("past the last day", () => {
  it("the plan is complete; the fire drill again is today's task and the weakest practice is next", () => {
    const h = history({
      studies: [P01, P02, P03].map((p) => study(p, local(2, 9))),
      sessions: [session(P01, local(3, 9), 3, [{ after: 30, check: "green" }])],
    });
    const plan = buildPlan(h, PRACTICES, 7, local(12, 9));
    expect(plan).toMatchObject({ dayNumber: 11, complete: true, tasksPhase: 4 });
    expect(openTasks(plan)).toEqual(["drill fire-drill"]);
    expect(plan.next).toMatchObject({ command: "drill start 02 --phase 3", practice: { id: "02" } });
  });
});

describe("the 4-day variant", () => {
  it("one day per phase, phases 1 and 2 on the fire-drill practices only", () => {
    const plan = buildPlan(history({ studies: [study(P01, local(2, 9))] }), PRACTICES, 4, local(3, 9));
    expect(plan.schedule.map((d) => d.phase)).toEqual([1, 2, 3, 4]);
    expect(plan.practices).toEqual(["01", "03"]);
    expect(plan).toMatchObject({ dayNumber: 2, tasksPhase: 2 });
    expect(openTasks(plan)).toEqual(["drill start 01 --phase 2", "drill start 03 --phase 2", "drill break"]);
    expect(buildPlan(history({ studies: [study(P01, local(2, 9))] }), PRACTICES, 4, local(6, 9)).complete).toBe(true);
  });

  it("--days takes 7 or 4 only", () => {
    expect(parsePlanDays("4")).toBe(4);
    expect(parsePlanDays(" 7 ")).toBe(7);
    expect(() => parsePlanDays("5")).toThrow(DrillError);
  });
});

describe("drill plan (built binary)", () => {
  it("with nothing recorded: day 1 is today, the schedule and the study tasks", async () => {
    const result = await runCli(["plan"], { home: tempDir() });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/^7-day plan, started \d{4}-\d{2}-\d{2}$/m);
    expect(result.stdout).toMatch(/^▶ day 1 /m);
    expect(result.stdout).toContain("Today, day 1 of 7 (understand):");
    // Practice 00 (the absolute minimums) comes first, as the kit asks before any practice.
    expect(result.stdout).toMatch(/^Next: drill study 00 /m);
  });

  it("--days 4 --json prints the plan as data", async () => {
    const result = await runCli(["plan", "--days", "4", "--json"], { home: tempDir() });
    expect(result.exitCode, result.all).toBe(0);
    const plan = JSON.parse(result.stdout) as Plan;
    expect(plan).toMatchObject({ days: 4, dayNumber: 1, complete: false, tasksPhase: 1, next: { command: "drill study 01" } });
    expect(plan.schedule).toHaveLength(4);
  });

  it("--days 5 is refused with what it takes", async () => {
    const result = await runCli(["plan", "--days", "5"], { home: tempDir() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--days takes 7 (the kit\'s week) or 4 (the short variant), not "5"');
  });
});
