// What `drill explain` ratings add up to. The rule behind the readiness criterion "architecture
// decisions explained aloud": a key block counts as explained when its LATEST rating is "fully"
// and that rating is at most EXPLAIN_FRESH_DAYS old. The latest, not the best: a block explained
// fully last week and missed today is not explained. Fresh, because talking through a design is
// a skill that fades, and the interview is soon. The criterion is met when every key block of
// every fire-drill practice (01, 03, 05, 07: the practices the kit rebuilds on interview eve)
// counts. drill cannot hear the learner: the ratings are theirs, and the evidence says so.
import type { ExplainRating, History } from "../record/history.js";

/** How long a "fully" keeps a block explained. */
export const EXPLAIN_FRESH_DAYS = 14;
const DAY_MS = 24 * 60 * 60_000;

export type Explanations = NonNullable<History["explanations"]>;

export interface BlockStanding {
  block: string;
  /** The latest rating of this block, if any (at any age). */
  latest?: { at: string; rating: ExplainRating };
  /** Latest rating "fully" and no older than EXPLAIN_FRESH_DAYS. */
  explained: boolean;
}

/** Each key block of one practice (by title, in the order given) and where its ratings leave it. */
export function blockStandings(explanations: Explanations, practiceSlug: string, titles: string[], now: Date): BlockStanding[] {
  const oldest = now.getTime() - EXPLAIN_FRESH_DAYS * DAY_MS;
  return titles.map((block) => {
    let latest: { at: string; rating: ExplainRating } | undefined;
    for (const e of explanations) {
      if (e.practice !== practiceSlug || e.block !== block) continue;
      // Later in the file wins a tie: ratings are appended in the order they were given.
      if (!latest || Date.parse(e.at) >= Date.parse(latest.at)) latest = { at: e.at, rating: e.rating };
    }
    const explained = latest !== undefined && latest.rating === "fully" && Date.parse(latest.at) >= oldest;
    return latest ? { block, latest, explained } : { block, explained };
  });
}

/** One practice's blocks in a few words, for the readiness evidence: "01 3/5". */
export function explainedCount(standings: BlockStanding[]): { explained: number; total: number } {
  return { explained: standings.filter((s) => s.explained).length, total: standings.length };
}
