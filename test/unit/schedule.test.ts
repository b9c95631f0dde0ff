// The schedule from fixture histories with known answers: ratings from the record, FSRS
// intervals, the daily cap, the compression toward the interview date, local dates across a
// daylight-saving change (the suite runs in America/St_Johns).
import { describe, expect, it } from "vitest";
import { loadCatalog, loadPractices, type Practice } from "../../src/core/catalog/practices.js";
import type { History, Session, SessionEvent } from "../../src/core/record/history.js";
import { addDays, localDate } from "../../src/core/progress/dates.js";
import { buildSchedule } from "../../src/core/progress/schedule.js";
import { rateAttempt } from "../../src/core/progress/schedule-rating.js";
import { buildSession, countsCheck, minutesAfter } from "../builders.js";

const BASE = loadPractices()[0] as Practice;
const practice = (id: string): Practice => ({ ...BASE, id, slug: `${id}-p${id}`, title: `Practice ${id}` });
/** Ten practices as the kit numbers them; 01, 03, 05 and 07 are the fire drill's. */
const PRACTICES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"].map(practice);

type Fixture = Pick<History, "sessions" | "studies" | "interviews" | "dailyCaps">;
const history = (parts: Partial<Fixture> = {}): Fixture => ({ sessions: [], studies: [], interviews: [], dailyCaps: [], ...parts });

/** Local time; 2026-03-02 is a Monday. St John's moves its clocks on 2026-03-08 at 02:00. */
const local = (day: number, hour: number, minute = 0) => new Date(2026, 2, day, hour, minute);

/** A phase-3 attempt at `id` that went green after `minutes` (or was abandoned then), with `hints`. */
function attempt(id: string, start: Date, minutes: number, outcome: "green" | "abandoned" = "green", hints = 0, phase: 2 | 3 = 3): Session {
  const events: SessionEvent[] = [];
  for (let i = 0; i < hints; i += 1) events.push({ type: "hint", at: minutesAfter(start, 1 + i), index: i });
  const at = minutesAfter(start, minutes);
  events.push(outcome === "green" ? countsCheck(at, 8) : { type: "end", at, outcome: "abandoned" });
  return buildSession(`${id}-p${id}`, events, { startedAt: start.toISOString(), phase, timerMinutes: null });
}

const of = (schedule: ReturnType<typeof buildSchedule>, id: string) => schedule.practices.find((p) => p.id === id);

describe("ratings from the record", () => {
  it("reads each threshold of the table", () => {
    const start = local(2, 9);
    expect(rateAttempt(attempt("01", start, 40))?.rating).toBe("Easy"); // within phase 3's 45-min target, no hint
    expect(rateAttempt(attempt("01", start, 40, "green", 2))?.rating).toBe("Good"); // hints
    expect(rateAttempt(attempt("01", start, 55))?.rating).toBe("Good"); // over the target, within the timer
    expect(rateAttempt(attempt("01", start, 75))?.rating).toBe("Hard"); // only in overtime
    expect(rateAttempt(attempt("01", start, 40, "abandoned"))?.rating).toBe("Again");
    expect(rateAttempt(attempt("01", start, 25, "green", 0, 2))?.rating).toBe("Easy"); // phase 2: 30-min target
    expect(rateAttempt(attempt("01", start, 35, "green", 0, 2))?.rating).toBe("Good");
    expect(rateAttempt(attempt("01", start, 50, "green", 0, 2))?.rating).toBe("Hard"); // past phase 2's 45
    expect(rateAttempt(attempt("01", start, 40, "green", 2))?.summary).toBe("40 min with 2 hints");
  });

  it("many checks before green make it Hard; an open attempt is no review yet", () => {
    const start = local(2, 9);
    const red = Array.from({ length: 11 }, (_, i) => countsCheck(minutesAfter(start, i + 1), 6, 2));
    const many = buildSession("01-p01", [...red, countsCheck(minutesAfter(start, 20), 8)], { startedAt: start.toISOString(), phase: 3 });
    expect(rateAttempt(many)?.rating).toBe("Hard");
    const open = buildSession("01-p01", [countsCheck(minutesAfter(start, 5), 6, 2)], { startedAt: start.toISOString() });
    expect(rateAttempt(open)).toBeUndefined();
  });
});

describe("the schedule", () => {
  it("with nothing recorded, the catalog's first practice comes first (00 or 01, as the kit starts)", () => {
    const schedule = buildSchedule(history(), loadPractices(), local(2, 9));
    expect(["00", "01"]).toContain(schedule.next?.id);
    expect(schedule.next?.command).toBe(`drill start ${schedule.next?.id}`);
    expect(schedule.next?.reason).toBe("never drilled");
  });

  it("passing 01 fast twice grows its interval", () => {
    const once = history({ sessions: [attempt("01", local(2, 9), 30)] });
    const first = of(buildSchedule(once, PRACTICES, local(2, 12)), "01");
    expect(first?.lastRating).toBe("Easy");
    const firstInterval = first ? Math.round((Date.parse(first.due) - Date.parse("2026-03-02")) / 86_400_000) : 0;
    expect(firstInterval).toBeGreaterThan(1);
    const secondStart = new Date(Date.parse(`${first?.due}T09:00:00`));
    const twice = history({ sessions: [...once.sessions, attempt("01", secondStart, 30)] });
    const second = of(buildSchedule(twice, PRACTICES, new Date(secondStart.getTime() + 3 * 3_600_000)), "01");
    const secondInterval = second ? Math.round((Date.parse(second.due) - Date.parse(localDate(secondStart))) / 86_400_000) : 0;
    expect(secondInterval).toBeGreaterThan(firstInterval);
    expect(second?.stabilityDays ?? 0).toBeGreaterThan(first?.stabilityDays ?? Number.POSITIVE_INFINITY);
  });

  it("a failure makes it due tomorrow, even after earlier passes", () => {
    const passed = attempt("01", local(2, 9), 30);
    const failed = attempt("01", local(20, 9), 60, "abandoned");
    const schedule = buildSchedule(history({ sessions: [passed, failed] }), PRACTICES, local(20, 12));
    expect(of(schedule, "01")).toMatchObject({ due: "2026-03-21", lastRating: "Again" });
    expect(of(schedule, "01")?.reason).toBe("due tomorrow; last time not green (abandoned)");
  });

  it("says since when a practice is due and how it went last time", () => {
    const schedule = buildSchedule(history({ sessions: [attempt("02", local(2, 9), 52, "green", 2)] }), [practice("02")], local(6, 9));
    expect(of(schedule, "02")?.lastRating).toBe("Good");
    expect(schedule.next?.reason).toMatch(/^due since (Tuesday|Wednesday|Thursday|yesterday); last time 52 min with 2 hints$/);
  });

  it("holds the daily cap, counting today's finished rebuilds", () => {
    const cap = buildSchedule(history(), PRACTICES, local(2, 9));
    expect(cap.calendar.map((d) => d.practices.length).slice(0, 5)).toEqual([2, 2, 2, 2, 2]);
    const three = buildSchedule(history({ dailyCaps: [{ at: local(1, 9).toISOString(), rebuilds: 3 }] }), PRACTICES, local(2, 9));
    expect(three.calendar[0]?.practices).toEqual(["01", "02", "03"]);
    const busy = history({ sessions: [attempt("01", local(2, 8), 40), attempt("02", local(2, 10), 40)] });
    const full = buildSchedule(busy, PRACTICES, local(2, 12));
    expect(full).toMatchObject({ doneToday: 2, next: null, nextDay: "2026-03-03" });
    expect(full.calendar[0]?.practices).toEqual([]);
    for (const day of full.calendar) expect(day.practices.length).toBeLessThanOrEqual(2);
  });

  it("an interview three days away puts every fire-drill practice into those three days", () => {
    // Each fire-drill practice passed easily a week earlier: FSRS alone would wait longer.
    const sessions = ["01", "03", "05", "07"].map((id, i) => attempt(id, local(2, 8 + i), 30));
    const now = local(3, 9);
    const interview = addDays(localDate(now), 3);
    const alone = buildSchedule(history({ sessions }), PRACTICES, now);
    expect(alone.practices.filter((p) => p.fireDrill).some((p) => p.due > addDays(interview, -1))).toBe(true);
    const schedule = buildSchedule(history({ sessions, interviews: [{ at: now.toISOString(), date: interview }] }), PRACTICES, now);
    expect(schedule.daysLeft).toBe(3);
    const lastDays = schedule.calendar.slice(0, 3).flatMap((d) => d.practices);
    for (const id of ["01", "03", "05", "07"]) expect(lastDays).toContain(id);
    expect(schedule.calendar[3]).toEqual({ date: interview, practices: [] }); // the interview day is for the interview
    for (const day of schedule.calendar) expect(day.practices.length).toBeLessThanOrEqual(2);
  });

  it("counts local dates across the daylight-saving change", () => {
    // Green at 23:30 on Saturday 7 March; the clocks jump at 02:00 on Sunday. A 24-hour step
    // from the review would land on Monday 00:30: the due date counts calendar days instead.
    const late = attempt("02", local(7, 22, 50), 40, "abandoned");
    const schedule = buildSchedule(history({ sessions: [late] }), [practice("02")], local(7, 23, 45));
    expect(schedule.today).toBe("2026-03-07");
    expect(of(schedule, "02")?.due).toBe("2026-03-08");
    expect(buildSchedule(history({ sessions: [late] }), [practice("02")], local(8, 0, 30)).next?.id).toBe("02");
  });

  it("a study is a lighter review, one a day", () => {
    const studies = [
      { at: local(2, 9).toISOString(), practice: "01-p01" },
      { at: local(2, 10).toISOString(), practice: "01-p01" },
    ];
    const schedule = buildSchedule(history({ studies }), [practice("01")], local(2, 12));
    expect(of(schedule, "01")).toMatchObject({ reviews: 1, lastRating: "Hard", state: "review" });
  });

  it("explanations (drill explain's records, where the record has them) are a lighter review, one a day", () => {
    const at = (hour: number) => local(2, hour).toISOString();
    const explanations = [
      { at: at(9), practice: "01-p01", rating: "fully" as const },
      { at: at(10), practice: "01-p01", rating: "partly" as const },
    ];
    const mixed = of(buildSchedule({ ...history(), explanations }, [practice("01")], local(2, 12)), "01");
    expect(mixed).toMatchObject({ reviews: 1, lastRating: "Hard" });
    expect(mixed?.reason).toBe("due Wednesday; explained 1 of 2 blocks fully today");
    const fully = explanations.map((e) => ({ ...e, rating: "fully" as const }));
    expect(of(buildSchedule({ ...history(), explanations: fully }, [practice("01")], local(2, 12)), "01")?.lastRating).toBe("Good");
    // A rebuild the same day already counted: the explanation adds nothing.
    const rebuilt = history({ sessions: [attempt("01", local(2, 8), 30)] });
    expect(of(buildSchedule({ ...rebuilt, explanations }, [practice("01")], local(2, 12)), "01")).toMatchObject({
      reviews: 1,
      lastRating: "Easy",
    });
  });
});

describe("debugging drills as cards", () => {
  const cors = loadCatalog().find((p) => p.debug?.name === "cors") as Practice;

  it("a debugging drill is taken with drill debug <name>, rated against its time box, and scheduled like a practice", () => {
    expect(cors).toBeDefined();
    const box = cors.debug?.timeBoxMinutes ?? 0;
    const start = local(2, 9);
    // `drill debug` starts a drill session whose timer is the time box.
    const taken = (minutes: number, hints = 0) => {
      const events: SessionEvent[] = [];
      for (let i = 0; i < hints; i += 1) events.push({ type: "hint", at: minutesAfter(start, 1 + i), index: i });
      events.push(countsCheck(minutesAfter(start, minutes), 6));
      return buildSession(cors.slug, events, { startedAt: start.toISOString(), phase: 2, timerMinutes: box });
    };
    expect(rateAttempt(taken(box - 2))?.rating).toBe("Easy");
    expect(rateAttempt(taken(box - 2, 1))?.rating).toBe("Good");
    expect(rateAttempt(taken(box + 5))?.rating).toBe("Hard");

    const fresh = buildSchedule(history(), [PRACTICES[0] as Practice, cors], local(2, 9));
    expect(of(fresh, cors.id)).toMatchObject({ debug: "cors", state: "new" });
    const done = buildSchedule(history({ sessions: [taken(box - 2)] }), [cors], local(2, 12));
    expect(done.next).toBeNull();
    expect((of(done, cors.id)?.due ?? "") > localDate(local(2, 12))).toBe(true);
    const later = buildSchedule(history({ sessions: [taken(box + 5)] }), [cors], local(30, 9));
    expect(later.next).toMatchObject({ id: cors.id, command: "drill debug cors" });
  });
});
