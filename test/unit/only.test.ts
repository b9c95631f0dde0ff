import { describe, expect, it } from "vitest";
import { onlyPattern } from "../../src/core/check/hidden-suite.js";

describe("drill check --only: the name filter handed to Vitest", () => {
  const matches = (ids: string[], name: string) => new RegExp(onlyPattern(ids)).test(name);

  it("finds a requirement at the start of a test's name or after its describe title", () => {
    expect(matches(["R03.8"], "R03.8 a key over its quota gets 429")).toBe(true);
    expect(matches(["R03.8"], "practice 03 R03.8 a key over its quota gets 429")).toBe(true);
    expect(matches(["R03.1", "R03.8"], "api R03.1 health needs no key")).toBe(true);
  });

  it("never takes R03.1 for R03.10, nor a look-alike inside a word", () => {
    expect(matches(["R03.1"], "R03.10 CORS allows only configured origins")).toBe(false);
    expect(matches(["R03.1"], "R03x1 something")).toBe(false);
    expect(matches(["R03.1"], "XR03.1 something")).toBe(false);
  });
});
