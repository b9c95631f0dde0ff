// The review's trend per practice, from the record: the notes after green of each attempt (its
// latest review), oldest attempt first ("notes after green: 6 → 3 → 0" in drill stats).
import { practiceLabel, resolvePractice } from "../catalog/practices.js";
import type { History } from "../record/history.js";

export interface ReviewTrend {
  practice: string;
  label: string;
  /** Notes after green per attempt, oldest first. */
  notes: number[];
}

/** Every practice with at least one review recorded (or only `practice`), in practice order. */
export function reviewTrends(history: Pick<History, "sessions">, practice?: string): ReviewTrend[] {
  const bySlug = new Map<string, { at: string; notes: number }[]>();
  for (const session of history.sessions) {
    if (practice !== undefined && session.practice !== practice) continue;
    // One figure per attempt: its latest review (a check after green, once notes are fixed, counts).
    const latest = session.reviews?.reduce((a, b) => (Date.parse(b.at) >= Date.parse(a.at) ? b : a));
    if (!latest) continue;
    bySlug.set(session.practice, [...(bySlug.get(session.practice) ?? []), latest]);
  }
  return [...bySlug.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([slug, reviews]) => {
      let label = slug;
      try {
        label = practiceLabel(resolvePractice(slug));
      } catch {
        // A practice this drill no longer ships: its slug is still a fine label.
      }
      return { practice: slug, label, notes: reviews.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).map((r) => r.notes) };
    });
}
