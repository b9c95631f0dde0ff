// drill explain's ratings: how they are recorded and read back, and the rule that turns them
// into the readiness criterion "architecture decisions explained aloud".
import { appendFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { resolvePractice } from "../../src/core/catalog/practices.js";
import { blockStandings, EXPLAIN_FRESH_DAYS, type Explanations, explainedCount } from "../../src/core/progress/explain.js";
import { assessReadiness } from "../../src/core/progress/readiness.js";
import { appendHistory, historyPath, loadHistory } from "../../src/core/record/history.js";
import { parseSeconds } from "../../src/core/options.js";
import { tempDir } from "../helpers.js";

const NOW = new Date("2026-12-04T12:00:00.000Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 24 * 60 * 60_000).toISOString();
const P01 = resolvePractice("01");
const P03 = resolvePractice("03");
const rated = (block: string, rating: "missed" | "partly" | "fully", at: string, practice = P01.slug) => ({ at, practice, block, rating });

describe("blockStandings: a block is explained when its latest rating is fully and fresh", () => {
  it("a block never rated is not explained and has no latest rating", () => {
    expect(blockStandings([], P01.slug, ["A"], NOW)).toEqual([{ block: "A", explained: false }]);
  });

  it("the latest rating decides, not the best: fully then missed is not explained, missed then fully is", () => {
    const ratings: Explanations = [
      rated("A", "fully", daysAgo(3)),
      rated("A", "missed", daysAgo(1)),
      rated("B", "missed", daysAgo(3)),
      rated("B", "fully", daysAgo(1)),
    ];
    const [a, b] = blockStandings(ratings, P01.slug, ["A", "B"], NOW);
    expect(a).toMatchObject({ explained: false, latest: { rating: "missed" } });
    expect(b).toMatchObject({ explained: true, latest: { rating: "fully" } });
  });

  it("order in the file does not matter, time does; at the same time the later line wins", () => {
    const ratings: Explanations = [rated("A", "fully", daysAgo(1)), rated("A", "partly", daysAgo(2))];
    expect(blockStandings(ratings, P01.slug, ["A"], NOW)[0]?.explained).toBe(true);
    const tie: Explanations = [rated("A", "fully", daysAgo(1)), rated("A", "partly", daysAgo(1))];
    expect(blockStandings(tie, P01.slug, ["A"], NOW)[0]?.explained).toBe(false);
  });

  it(`a "fully" counts for ${EXPLAIN_FRESH_DAYS} days, to the millisecond`, () => {
    expect(blockStandings([rated("A", "fully", daysAgo(EXPLAIN_FRESH_DAYS))], P01.slug, ["A"], NOW)[0]?.explained).toBe(true);
    const stale = new Date(NOW.getTime() - EXPLAIN_FRESH_DAYS * 24 * 60 * 60_000 - 1).toISOString();
    expect(blockStandings([rated("A", "fully", stale)], P01.slug, ["A"], NOW)[0]).toMatchObject({
      explained: false,
      latest: { rating: "fully" },
    });
  });

  it("partly is not fully; a rating of the same title in another practice does not count", () => {
    const ratings: Explanations = [rated("A", "partly", daysAgo(1)), rated("B", "fully", daysAgo(1), P03.slug)];
    const standings = blockStandings(ratings, P01.slug, ["A", "B"], NOW);
    expect(standings.map((s) => s.explained)).toEqual([false, false]);
    expect(explainedCount(standings)).toEqual({ explained: 0, total: 2 });
  });
});

describe("the readiness criterion from explain ratings", () => {
  const titles = (p: { id: string }) => (p.id === "01" ? ["A", "B"] : ["C"]);
  const assess = (explanations: Explanations) =>
    assessReadiness({ sessions: [], studies: [], explanations }, [P01, P03], NOW, titles).find((i) => i.id === "architecture-explained");

  it("met only when every block of every fire-drill practice counts, and names what is behind", () => {
    const most = [rated("A", "fully", daysAgo(1)), rated("B", "fully", daysAgo(2)), rated("C", "partly", daysAgo(1), P03.slug)];
    const behind = assess(most);
    expect(behind).toMatchObject({ met: false, stillNeeds: '`drill explain 03`, until each block is rated "fully"' });
    expect(behind?.evidence).toContain("01 2/2, 03 0/1");
    const all = assess([...most, rated("C", "fully", daysAgo(0), P03.slug)]);
    expect(all).toMatchObject({ met: true, stillNeeds: null });
    expect(all?.evidence).toContain("01 2/2, 03 1/1");
  });

  it("a fire-drill practice without key blocks never counts as explained", () => {
    const none = assessReadiness({ sessions: [], studies: [], explanations: [] }, [P01], NOW, () => []).find(
      (i) => i.id === "architecture-explained",
    );
    expect(none).toMatchObject({ met: false, stillNeeds: '`drill explain 01`, until each block is rated "fully"' });
  });
});

describe("the explain record in the history", () => {
  it("is written and read back in order; a rating drill does not know is a damaged line, not a rating", () => {
    const home = tempDir();
    appendHistory([{ type: "explain", at: daysAgo(1), practice: P01.slug, block: "A", rating: "partly" }], home);
    appendHistory([{ type: "explain", at: daysAgo(0), practice: P01.slug, block: "A", rating: "fully" }], home);
    appendFileSync(
      historyPath(home),
      `${JSON.stringify({ type: "explain", at: daysAgo(0), practice: P01.slug, block: "A", rating: "great" })}\n`,
    );
    const history = loadHistory(home);
    expect(history.explanations?.map((e) => e.rating)).toEqual(["partly", "fully"]);
    expect(history.damaged).toEqual([4]);
  });

  it("a history with no explain record has no explanations", () => {
    const home = tempDir();
    appendHistory([{ type: "study", at: daysAgo(0), practice: P01.slug }], home);
    expect(loadHistory(home).explanations).toBeUndefined();
  });
});

describe("--seconds", () => {
  it("takes whole seconds from 5 to 900 and refuses anything else in one line", () => {
    expect(parseSeconds("90")).toBe(90);
    expect(parseSeconds(" 5 ")).toBe(5);
    for (const bad of ["4", "901", "1.5", "-10", "ninety", ""]) expect(() => parseSeconds(bad)).toThrow(/--seconds takes a whole number/);
  });
});
