// The board's rows come from the spec: every requirement once, in the README's order, named
// where the README defines it (a wrapped sentence that starts with an id is not a definition).
import { describe, expect, it } from "vitest";
import { loadPractices, resolvePractice } from "../../src/core/catalog/practices.js";
import { requirementLines } from "../../src/core/catalog/spec.js";

describe("requirementLines", () => {
  it("lists 03's requirements in order, R03.15 by its heading", () => {
    const lines = requirementLines(resolvePractice("03"));
    expect(lines.map((line) => line.split(" ")[0])).toEqual(Array.from({ length: 17 }, (_, i) => `R03.${i + 1}`));
    expect(lines[14]).toMatch(/^R03\.15 — the window closes|^R03\.15 the window closes/);
  });

  it("gives every practice its requirements once each, numbered in order", () => {
    for (const practice of loadPractices()) {
      const ids = requirementLines(practice).map((line) => line.split(" ")[0] ?? "");
      expect(ids.length).toBeGreaterThan(0);
      expect(new Set(ids).size).toBe(ids.length);
      const numbers = ids.map((id) => Number(id.split(".")[1]));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    }
  });
});
