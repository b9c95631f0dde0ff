// drill list's columns: each as wide as its longest entry, so a long drill name or title never
// pushes its row's verdict out of line.
import { describe, expect, it } from "vitest";
import type { PracticeRow } from "../../src/core/catalog/practices.js";
import { formatPractices } from "../../src/ui/list.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this strips
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

const row = (id: string, title: string, extra: Partial<PracticeRow> = {}): PracticeRow => ({
  id,
  slug: `${id.toLowerCase()}-x`,
  title,
  skill: "skill",
  jd: "jd",
  bestMs: null,
  kind: "practice",
  ...extra,
});

describe("formatPractices", () => {
  it("lines up the verdicts of practices and of debugging drills, however long a name or title", () => {
    const text = plain(
      formatPractices([
        row("01", "Short"),
        row("02", "A practice title well over thirty characters long"),
        row("D1", "A CORS error", { kind: "debug", name: "cors", timeBoxMinutes: 15 }),
        row("D3", "Async SQLAlchemy errors", { kind: "debug", name: "async-sqlalchemy", timeBoxMinutes: 20 }),
      ]),
    );
    const column = (prefix: string) =>
      text
        .split("\n")
        .filter((line) => line.startsWith(prefix) && line.includes("not yet green"))
        .map((line) => line.indexOf("not yet green"));
    const practices = column("0");
    expect(practices).toHaveLength(2);
    expect(new Set(practices).size).toBe(1);
    const drills = column("D");
    expect(drills).toHaveLength(2);
    expect(new Set(drills).size).toBe(1);
    expect(text).toMatch(/^D3 {2}async-sqlalchemy Async SQLAlchemy errors not yet green {2}box 20:00$/m);
  });
});
