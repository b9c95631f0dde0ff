// Data read from disk is parsed by a schema where it enters: a file of the wrong shape is one
// clear message naming the file and the field, never a cast that breaks later.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadPractices } from "../../src/core/catalog/practices.js";
import { keyBlocks } from "../../src/core/catalog/study.js";
import { loadMutants } from "../../src/core/modes/break.js";
import { parseJsonText } from "../../src/core/schema.js";
import { findWorkspace, readWorkspaceConfig } from "../../src/core/workspace/workspace.js";
import { DrillError } from "../../src/system/errors.js";
import * as v from "valibot";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function workspaceWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "drill-boundary-"));
  dirs.push(dir);
  mkdirSync(join(dir, ".drill"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, ".drill", name), content);
  return dir;
}

function errorOf(fn: () => unknown): DrillError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DrillError) return error;
    throw error;
  }
  throw new Error("expected a DrillError");
}

describe(".drill/config.json", () => {
  it("reads a valid config", () => {
    const dir = workspaceWith({ "config.json": JSON.stringify({ command: ["{python}", "app.py"], services: { redis: "redis://x" } }) });
    expect(readWorkspaceConfig(dir)).toEqual({ command: ["{python}", "app.py"], services: { redis: "redis://x" } });
  });

  it.each([
    ["a command given as one string", { command: "python app.py" }, "command: expected Array"],
    ["a service drill does not know", { services: { postgres: "postgresql://x" } }, "services.postgres is not a field drill knows"],
    ["a service URL that is not text", { services: { database: 5 } }, "services.database: expected string, got 5"],
    ["an unknown top-level field", { comand: ["python"] }, "comand is not a field drill knows"],
  ])("refuses %s with one line naming the field (exit 2)", (_, config, words) => {
    const dir = workspaceWith({ "config.json": JSON.stringify(config) });
    const error = errorOf(() => readWorkspaceConfig(dir));
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(join(dir, ".drill", "config.json"));
    expect(error.message).toContain(words);
  });

  it("refuses a file that is not JSON", () => {
    const dir = workspaceWith({ "config.json": "{command:" });
    expect(errorOf(() => readWorkspaceConfig(dir)).message).toMatch(/config\.json is not valid: .*JSON/);
  });
});

describe(".drill/session.json", () => {
  it("names what is wrong with a damaged marker", () => {
    const dir = workspaceWith({ "session.json": JSON.stringify({ version: 1, sessionId: "s", practice: "" }) });
    const error = errorOf(() => findWorkspace(dir, true));
    expect(error.message).toContain("practice is empty");
    expect(error.message).toContain("createdAt is missing");
  });

  it("reads a whole marker", () => {
    const marker = { version: 1, sessionId: "s", practice: "01-async-inference", createdAt: "2026-01-01T00:00:00Z" };
    const dir = workspaceWith({ "session.json": JSON.stringify(marker) });
    expect(findWorkspace(dir, true).marker).toEqual(marker);
  });
});

describe("the shipped catalog", () => {
  it("every drill.json, mutant list and key-block list fits its schema", () => {
    for (const practice of loadPractices()) {
      expect(practice.services.every((s) => ["DATABASE_URL", "REDIS_URL", "AMQP_URL"].includes(s))).toBe(true);
      expect(loadMutants(practice).length, practice.slug).toBeGreaterThan(0);
      expect(keyBlocks(practice).length, practice.slug).toBeGreaterThan(0);
    }
  });

  it("a shipped file of the wrong shape is an error naming the file and the field", () => {
    const schema = v.object({ id: v.string(), caughtBy: v.array(v.string()) });
    expect(() => parseJsonText(schema, '{"id": "x", "caughtBy": "R01.1"}', "hidden-tests/mutants/x.json")).toThrow(
      'hidden-tests/mutants/x.json does not have the expected shape: caughtBy: expected Array, got "R01.1"',
    );
  });
});
