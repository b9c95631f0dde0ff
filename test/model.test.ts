// The suites grade predictions against a table of the provided model's answers; this keeps the
// table true by asking the real model.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { expectedPrediction, MODEL_ANSWERS, MODEL_VERSION, transientFailureMarker } from "../hidden-tests/harness/model.js";
import { SHARED_DIR } from "../src/system/paths.js";
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

it("fails on purpose for the documented markers, after its usual latency", () => {
  const script = [
    "import json, time",
    "from model import ModelError, SentimentModel",
    "model = SentimentModel.load(latency_ms=50)",
    "def attempt(text):",
    "    started = time.monotonic()",
    "    try:",
    "        model.predict(text)",
    "        outcome = 'ok'",
    "    except ModelError:",
    "        outcome = 'error'",
    "    return [outcome, round((time.monotonic() - started) * 1000)]",
    "print(json.dumps({",
    "    'always': [attempt('great [fail]') for _ in range(3)],",
    "    'transient': [attempt('great [fail-first:2]') for _ in range(4)],",
    "    'other_text': attempt('nice [fail-first:2]'),",
    "}))",
  ].join("\n");
  const output = execFileSync(join(TEST_VENV, "bin", "python"), ["-c", script], {
    cwd: SHARED_DIR,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const runs = JSON.parse(output) as Record<string, Array<[string, number]> | [string, number]>;
  const outcomes = (key: string) => (runs[key] as Array<[string, number]>).map(([outcome]) => outcome);
  expect(outcomes("always")).toEqual(["error", "error", "error"]);
  expect(outcomes("transient")).toEqual(["error", "error", "ok", "ok"]);
  // Another text counts its own failures.
  expect((runs.other_text as [string, number])[0]).toBe("error");
  // A failure takes the model's usual time, as a real one would.
  for (const [, ms] of runs.always as Array<[string, number]>) expect(ms).toBeGreaterThanOrEqual(45);
});

it("gives the failure markers' words no weight, so a text answers alike with a transient marker once it answers", () => {
  const weights = JSON.parse(readFileSync(join(SHARED_DIR, "model_weights.json"), "utf8")) as { weights: Record<string, number> };
  for (const word of ["fail", "first"]) expect(weights.weights[word], word).toBeUndefined();
  const text = Object.keys(MODEL_ANSWERS)[0] ?? "";
  expect(expectedPrediction(`${text} ${transientFailureMarker(1)}`)).toEqual(expectedPrediction(text));
});
