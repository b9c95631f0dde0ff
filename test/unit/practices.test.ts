import { describe, expect, it } from "vitest";
import { DrillError } from "../../src/system/errors.js";
import { loadPractices, resolvePractice } from "../../src/core/catalog/practices.js";
import { hintFor, hints } from "../../src/core/catalog/spec.js";

describe("practices", () => {
  it("loads every bundled practice in number order, each with all its parts named", () => {
    const practices = loadPractices();
    expect(practices.map((p) => p.id)).toEqual([...practices.map((p) => p.id)].sort());
    expect(practices.map((p) => p.slug)).toEqual(expect.arrayContaining(["01-async-inference", "03-api-security"]));
    for (const p of practices) {
      expect(p.slug.startsWith(`${p.id}-`)).toBe(true);
      expect(p.title.length).toBeGreaterThan(0);
      expect(p.jd.length).toBeGreaterThan(0);
    }
  });

  it.each(["3", "03", "03-api-security", "api-security", " API-Security "])("resolves %j to practice 03", (input) => {
    expect(resolvePractice(input).slug).toBe("03-api-security");
  });

  it("names the known practices when the id is unknown", () => {
    let error: unknown;
    try {
      resolvePractice("42");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DrillError);
    expect((error as DrillError).code).toBe("unknown-practice");
    expect((error as DrillError).hint).toContain("01 async-inference");
  });
});

describe("hintFor", () => {
  it("finds the hint section of a requirement, never R03.10's for R03.1", () => {
    const practice = resolvePractice("03");
    const hint = hintFor(practice, "R03.1");
    expect(hint?.title).toMatch(/^R03\.1 /);
    expect(hints(practice)[hint?.index ?? -1]?.title).toBe(hint?.title);
    expect(hintFor(practice, "R03.10")?.title).toMatch(/^R03\.10 /);
    expect(hintFor(practice, "R03.99")).toBeUndefined();
  });
});
