// The review's trend per practice, from the record: the notes counted after each green check,
// in the order they were recorded ("notes after green: 6 → 3 → 0" in drill stats).
import { practiceLabel, resolvePractice } from "../catalog/practices.js";
import type { History } from "../record/history.js";

export interface ReviewTrend {
  practice: string;
  label: string;
  /** Notes after each green check, oldest first. */
  notes: number[];
}

/** Every practice with at least one review recorded (or only `practice`), in practice order. */
export function reviewTrends(history: Pick<History, "sessions">, practice?: string): ReviewTrend[] {
  const bySlug = new Map<string, { at: string; notes: number }[]>();
  for (const session of history.sessions) {
    if (practice !== undefined && session.practice !== practice) continue;
    if (!session.reviews?.length) continue;
    bySlug.set(session.practice, [...(bySlug.get(session.practice) ?? []), ...session.reviews]);
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
