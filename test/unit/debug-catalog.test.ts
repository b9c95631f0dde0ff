// The catalog's debugging drills (drills/dN-*): their drill.json, how they are named, and the
// requirement-id pattern that grew to cover them (RD1.2 beside R03.2).
import { describe, expect, it } from "vitest";
import { codeOf } from "../helpers.js";
import { loadDebugDrills, loadPractices, parseDrillJson, resolveDebugDrill, resolvePractice } from "../../src/core/catalog/practices.js";
import { LEADING_REQUIREMENT_ID, REQUIREMENT_ID, REQUIREMENT_IDS_IN_TEXT } from "../../src/core/catalog/requirement-id.js";
import { requirementOf } from "../../src/core/check/hidden-suite.js";

const debugJson = {
  id: "D7",
  kind: "debug",
  slug: "d7-broken-thing",
  title: "A broken thing",
  name: "broken-thing",
  timeBoxMinutes: 15,
  brokenRequirements: ["RD7.2"],
};

describe("requirement ids", () => {
  it.each(["R03.1", "R10.12", "RD1.1", "RD9.14"])("%s is one", (id) => {
    expect(REQUIREMENT_ID.test(id)).toBe(true);
  });

  it.each(["R3.1", "R003.1", "RD10.1", "RDD.1", "R03", "rd1.1", "RX1.1"])("%s is not one", (id) => {
    expect(REQUIREMENT_ID.test(id)).toBe(false);
  });

  it("a test's requirement is the id its name starts with", () => {
    expect(requirementOf("RD1.3 the preflight allows the front end's headers")).toBe("RD1.3");
    expect(requirementOf("R03.12 CORS")).toBe("R03.12");
    expect(LEADING_REQUIREMENT_ID.test("see RD1.3")).toBe(false);
  });

  it("finds every id in a spec's text", () => {
    expect("**RD1.1** then RD1.12, R03.2 and not RD12.1".match(REQUIREMENT_IDS_IN_TEXT)).toEqual(["RD1.1", "RD1.12", "R03.2"]);
  });
});

describe("a debugging drill's drill.json", () => {
  it("reads id, kind, name, time box and broken requirements", () => {
    const parsed = parseDrillJson(JSON.stringify(debugJson), "d7-broken-thing");
    expect(parsed).toMatchObject({ kind: "debug", name: "broken-thing", timeBoxMinutes: 15, brokenRequirements: ["RD7.2"] });
  });

  it("a practice's drill.json stays a practice without a kind", () => {
    const parsed = parseDrillJson(JSON.stringify({ id: "42", slug: "42-answer", title: "Answer" }), "42-answer");
    expect(parsed.kind).toBe("practice");
  });

  it.each([
    ["no time box", { timeBoxMinutes: undefined }],
    ["no broken requirements", { brokenRequirements: [] }],
    ["a broken requirement that is no id", { brokenRequirements: ["D7.2"] }],
    ["a practice's id", { id: "07" }],
    ["a name with spaces", { name: "broken thing" }],
  ])("refuses %s", (_, change) => {
    expect(() => parseDrillJson(JSON.stringify({ ...debugJson, ...change }), "d7-broken-thing")).toThrow(/drills\/d7-broken-thing/);
  });

  it("refuses a debugging drill in a practice's folder, and an id its folder does not start with", () => {
    expect(() => parseDrillJson(JSON.stringify({ ...debugJson, slug: "07-broken-thing" }), "07-broken-thing")).toThrow(/folder/);
    expect(() => parseDrillJson(JSON.stringify({ ...debugJson, id: "D6" }), "d7-broken-thing")).toThrow(/id "D6"/);
  });

  it("the practices never include a debugging drill, and every debugging drill has its details", () => {
    expect(loadPractices().every((p) => p.debug === undefined && /^\d{2}$/.test(p.id))).toBe(true);
    for (const drill of loadDebugDrills()) {
      expect(drill.id).toMatch(/^D\d$/);
      expect(drill.debug?.timeBoxMinutes).toBeGreaterThan(0);
    }
  });

  it("an unknown debugging drill is a clear error; a practice is not a debugging drill", () => {
    expect(codeOf(() => resolveDebugDrill("no-such-bug"))).toBe("unknown-practice");
    expect(codeOf(() => resolveDebugDrill("03"))).toBe("unknown-practice");
    expect(resolvePractice("03").debug).toBeUndefined();
  });
});
