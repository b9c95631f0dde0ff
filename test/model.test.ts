// The suites grade predictions against a table of the provided model's answers; this keeps the
// table true by asking the real model.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { expect, it } from "vitest";
import { MODEL_ANSWERS, MODEL_VERSION } from "../hidden-tests/harness/model.js";
import { SHARED_DIR } from "../src/core/paths.js";
import { TEST_VENV } from "./helpers.js";

it("the hidden suites' table of model answers is what the provided model answers", () => {
  const script = [
    "import json, sys",
    "from model import SentimentModel",
    "model = SentimentModel.load(latency_ms=0)",
    "texts = json.load(sys.stdin)",
    "print(json.dumps({'version': model.version, 'answers': {t: model.predict(t) for t in texts}}))",
  ].join("\n");
  const output = execFileSync(join(TEST_VENV, "bin", "python"), ["-c", script], {
    cwd: SHARED_DIR,
    input: JSON.stringify(Object.keys(MODEL_ANSWERS)),
    encoding: "utf8",
    stdio: ["pipe", "pipe", "ignore"],
  });
  const real = JSON.parse(output) as { version: string; answers: Record<string, unknown> };
  expect(real.version).toBe(MODEL_VERSION);
  expect(real.answers).toEqual(MODEL_ANSWERS);
});
