// The Python drill ships reads like what a strong interviewer hopes to see, and tools hold it
// there: ruff (reference-solutions/pyproject.toml) over the references, the scaffolds and the
// provided model, and mypy --strict on each reference with the model beside it.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REFERENCE_DIR, SHARED_DIR, DRILLS_DIR } from "../src/system/paths.js";
import { TEST_VENV } from "./helpers.js";

const CONFIG = join(REFERENCE_DIR, "pyproject.toml");

function run(tool: string, args: string[], cwd: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(join(TEST_VENV, "bin", tool), args, {
      cwd,
      encoding: "utf8",
      env: { ...process.env, MYPYPATH: SHARED_DIR, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return { ok: true, output };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

const references = readdirSync(REFERENCE_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
  .map((entry) => entry.name);

describe("the Python drill ships", () => {
  it("is clean under ruff", () => {
    const scaffolds = readdirSync(DRILLS_DIR)
      .filter((name) => /^(\d{2}|d\d)-/.test(name))
      .map((name) => join(DRILLS_DIR, name, "scaffold"));
    const result = run("ruff", ["check", "--no-cache", "--config", CONFIG, REFERENCE_DIR, SHARED_DIR, ...scaffolds], REFERENCE_DIR);
    expect(result.ok, result.output).toBe(true);
  });

  it("ruff's formatter agrees with the provided model", () => {
    const result = run("ruff", ["format", "--check", "--no-cache", "--config", CONFIG, join(SHARED_DIR, "model.py")], REFERENCE_DIR);
    expect(result.ok, result.output).toBe(true);
  });

  it.each(references)("reference %s is clean under mypy --strict", (name) => {
    const result = run(
      "mypy",
      ["--config-file", CONFIG, "--cache-dir", join(tmpdir(), "drill-mypy-cache", name), "app"],
      join(REFERENCE_DIR, name),
    );
    expect(result.ok, result.output).toBe(true);
  });
});
