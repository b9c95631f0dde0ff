import { describe, expect, it } from "vitest";
import type { Session } from "../../src/core/record/history.js";
import { buildSession, countsCheck, minutesAfter } from "../builders.js";
import { pickRandom, pickWeighted, practiceWeights, preselected } from "../../src/core/progress/pick.js";
import { loadPractices } from "../../src/core/catalog/practices.js";

const T0 = "2026-01-01T10:00:00.000Z";

function greenSession(practice: string, minutes: number | null): Session {
  const events = minutes === null ? [] : [countsCheck(minutesAfter(T0, minutes), 3)];
  return buildSession(practice, events, { id: `${practice}-${minutes}`, startedAt: T0 });
}

describe("drill start --random", () => {
  const practices = loadPractices().filter((p) => ["01", "03", "05", "07"].includes(p.id));

  it("weighs never drilled above never green above green, and the slowest green above the fastest", () => {
    const history = {
      sessions: [greenSession("01-async-inference", 20), greenSession("03-api-security", 50), greenSession("05-webhook-callbacks", null)],
    };
    const weights = new Map(practiceWeights(practices, history).map((w) => [w.practice.id, w]));
    expect(weights.get("07")).toMatchObject({ weight: 4, reason: "never drilled" });
    expect(weights.get("05")).toMatchObject({ weight: 3, reason: "drilled, never green" });
    expect(weights.get("03")?.weight).toBe(2);
    expect(weights.get("01")?.weight).toBeCloseTo(1 + 20 / 50);
  });

  it("picks in proportion to the weights", () => {
    const weighted = practiceWeights(practices, { sessions: [] }).map((w, i) => ({ ...w, weight: i + 1 }));
    const total = weighted.reduce((sum, w) => sum + w.weight, 0);
    // The random point falls in each practice's share of the total, in order.
    expect(pickWeighted(weighted, () => 0).practice.id).toBe(weighted[0]?.practice.id);
    expect(pickWeighted(weighted, () => 1.5 / total).practice.id).toBe(weighted[1]?.practice.id);
    expect(pickWeighted(weighted, () => 0.999999).practice.id).toBe(weighted.at(-1)?.practice.id);
  });
});

describe("drill start --random and the picker, with the schedule", () => {
  const practices = loadPractices().filter((p) => ["01", "03", "05", "07"].includes(p.id));
  const fast = (slug: string) => buildSession(slug, [countsCheck(minutesAfter(T0, 20), 3)], { startedAt: T0, phase: 3 });
  const now = new Date(Date.parse(T0) + 29 * 3_600_000); // the next day: the cap is free
  const empty = { studies: [], interviews: [], dailyCaps: [] };

  it("picks only among the practices due, whatever the draw", () => {
    const history = { ...empty, sessions: ["01-async-inference", "03-api-security", "05-webhook-callbacks"].map(fast) };
    for (const draw of [0, 0.5, 0.999]) expect(pickRandom(practices, history, now, () => draw).practice.id).toBe("07");
    expect(preselected(practices, history, now)?.id).toBe("07");
  });

  it("with nothing due, falls back to the weights; the picker preselects nothing", () => {
    const history = { ...empty, sessions: practices.map((p) => fast(p.slug)) };
    expect(pickRandom(practices, history, now, () => 0).reason).toBe("green before");
    expect(preselected(practices, history, now)).toBeUndefined();
  });
});
