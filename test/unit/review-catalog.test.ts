// The review's pieces agree: every rule id the AST script can emit has drill's words and a row in
// docs/review.md, and the ruff the environments get is the ruff the references are linted with.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ruleFor } from "../../src/core/review/rules.js";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("the review's catalog", () => {
  const script = read("review/drill_review.py");
  const emitted = [...new Set([...script.matchAll(/"(DR\d{3})"/g)].map((m) => m[1] ?? ""))].sort();

  it("every rule the script emits has drill's words and a row in docs/review.md", () => {
    expect(emitted).toEqual(["DR001", "DR002", "DR003", "DR004", "DR005", "DR006", "DR007", "DR008", "DR009"]);
    const docs = read("docs/review.md");
    for (const id of emitted) {
      const rule = ruleFor(id);
      expect(rule?.thought, id).toBeTruthy();
      expect(rule?.idiom, id).toBeTruthy();
      expect(docs, id).toContain(`| ${id} |`);
    }
  });

  it("ruff's codes fall back to their selection's words; an unknown prefix has none", () => {
    expect(ruleFor("FAST002")?.title).toBe("a dependency without Annotated");
    expect(ruleFor("ASYNC251")?.id).toBe("ASYNC");
    expect(ruleFor("B008")?.id).toBe("B");
    expect(ruleFor("E501")).toBeUndefined();
  });

  it("the ruff pin installed for the review is the one the references are linted with", () => {
    const pin = (text: string) => /^ruff==\S+$/m.exec(text)?.[0];
    expect(pin(read("review/requirements.txt"))).toBeDefined();
    expect(pin(read("review/requirements.txt"))).toBe(pin(read("scripts/python-dev-requirements.txt")));
  });

  it("ruff's selection in review/ruff.toml is the documented one", () => {
    const selected = [...read("review/ruff.toml").matchAll(/^ {2}"([A-Z]+)",/gm)].map((m) => m[1]);
    expect(selected).toEqual(["FAST", "ASYNC", "B", "UP", "I", "N"]);
    for (const code of selected) expect(read("docs/review.md")).toContain(`| \`${code}\` |`);
  });
});
