// The review's record and trend: the `review` history line parses (and a wrong one does not),
// stats' trend reads the notes after green per practice in time order, and renders as 6 → 3 → 0.
import { describe, expect, it } from "vitest";
import { parseRecord } from "../../src/core/record/history-records.js";
import { reviewTrends } from "../../src/core/review/trend.js";
import { formatReviewTrends } from "../../src/ui/review-trend.js";
import { buildSession, countsCheck, minutesAfter } from "../builders.js";

const T0 = "2026-12-01T10:00:00.000Z";

function greenWithReview(practice: string, startedAt: string, notes: number) {
  const green = minutesAfter(startedAt, 40);
  return { ...buildSession(practice, [countsCheck(green, 11)], { startedAt }), reviews: [{ at: minutesAfter(green, 0.1), notes }] };
}

describe("the review record", () => {
  it("parses a review line, and refuses one without a whole, non-negative count", () => {
    const line = { type: "review", at: T0, session: "s1", notes: 3 };
    expect(parseRecord(line)).toEqual(line);
    expect(parseRecord({ ...line, notes: -1 })).toBeUndefined();
    expect(parseRecord({ ...line, notes: 1.5 })).toBeUndefined();
    expect(parseRecord({ type: "review", at: T0, notes: 2 })).toBeUndefined();
  });
});

describe("notes after green, per practice", () => {
  const sessions = [
    greenWithReview("03-api-security", minutesAfter(T0, 60 * 24), 2),
    greenWithReview("01-async-inference", minutesAfter(T0, 60 * 48), 0),
    greenWithReview("01-async-inference", T0, 6),
    greenWithReview("01-async-inference", minutesAfter(T0, 60 * 24), 3),
    buildSession("02-batch-processing", [countsCheck(minutesAfter(T0, 30), 9)], { startedAt: T0 }),
  ];

  it("orders each practice's counts by time, and leaves out practices with no review", () => {
    expect(reviewTrends({ sessions }).map((t) => [t.practice, t.notes])).toEqual([
      ["01-async-inference", [6, 3, 0]],
      ["03-api-security", [2]],
    ]);
    expect(reviewTrends({ sessions }, "03-api-security").map((t) => t.notes)).toEqual([[2]]);
  });

  it("counts an attempt once, by its latest review (a check after green that fixed notes)", () => {
    const attempt = greenWithReview("04-model-versioning", T0, 5);
    attempt.reviews?.push({ at: minutesAfter(T0, 90), notes: 1 });
    expect(reviewTrends({ sessions: [attempt] }).map((t) => t.notes)).toEqual([[1]]);
  });

  it("renders 6 → 3 → 0, and nothing when no review is recorded", () => {
    const text = formatReviewTrends(reviewTrends({ sessions })).join("\n");
    expect(text).toContain("01 Async ML inference");
    expect(text).toMatch(/01 Async ML inference +notes after green: 6 → 3 → 0/);
    expect(text).toContain("notes after green: 2");
    expect(formatReviewTrends([])).toEqual([]);
  });

  it("keeps the last eight figures of a long trend", () => {
    const text = formatReviewTrends([{ practice: "01-async-inference", label: "01 x", notes: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0] }]).join("\n");
    expect(text).toContain("notes after green: … → 7 → 6 → 5 → 4 → 3 → 2 → 1 → 0");
  });
});
