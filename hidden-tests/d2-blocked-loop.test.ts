// Debugging drill D2: a blocked event loop. Every test is named after the README requirement it checks.
import { describe, it } from "vitest";
import {
  answered,
  check,
  expectField,
  expectLoopFree,
  expectStatus,
  http,
  isNonEmptyString,
  knob,
  settle,
  watchEventLoop,
  type Exchange,
} from "./harness/index.js";
import { expectedPrediction, FAILURE_MARKER, MODEL_ANSWERS, MODEL_VERSION, transientFailureMarker } from "./harness/model.js";

const TEXTS = Object.keys(MODEL_ANSWERS);
const MAX_TEXT_LENGTH = 1000;
const MAX_BATCH = 16;
/** How many predictions RD2.8 sends at once, and how many texts RD2.9's batch holds. */
const AT_ONCE = 6;
/** The longest a GET /health may wait while the model runs: half of one blocking model call (500 ms). */
const LOOP_LIMIT_MS = 250;
/** Requests that may wait behind a blocked server get more than the harness's 5 s. */
const PATIENT = { timeoutMs: 20_000 };

const latencyMs = () => knob("MODEL_LATENCY_MS");
const backoffMs = () => knob("RETRY_BACKOFF_MS");
/** RD2.8 and RD2.9: six predictions that overlap take one model call; one after another, six. */
const overlapBudgetMs = () => 3 * latencyMs();

/** Digits and punctuation do not change the model's answer, so a number makes a text unique to this check. */
let serial = 0;
function unique(text: string): string {
  serial += 1;
  return `#${Date.now()}-${serial} ${text}`;
}

const text = (n: number) => TEXTS[n % TEXTS.length] as string;

const BLOCKING_HINT =
  "model.predict() blocks its thread and time.sleep() blocks too; inside `async def` they block the event loop, so every other request waits. Run the model with `await run_in_threadpool(model.predict, text)` (or asyncio.to_thread) and pause with `await asyncio.sleep(...)`";
const OVERLAP_HINT =
  "the predictions must run at the same time: each one in its own worker thread, with nothing that makes them take turns (a lock, a one-thread executor, awaiting them one by one)";

/** Checks a prediction object (the /predict body, or one of the batch's) against the model. */
function expectPrediction(exchange: Exchange, prefix: string, sent: string, hint: string): void {
  const expected = expectedPrediction(sent);
  expectField(exchange, `${prefix}label`, (v) => v === expected.label, JSON.stringify(expected.label), hint);
  expectField(
    exchange,
    `${prefix}score`,
    (v) => typeof v === "number" && Math.abs(v - expected.score) < 1e-6,
    `${expected.score} (the model's own score for this text)`,
    hint,
  );
  expectField(exchange, `${prefix}model_version`, (v) => v === MODEL_VERSION, `"${MODEL_VERSION}" (the loaded model's version)`, hint);
}

function expectBatch(exchange: Exchange, texts: string[], hint: string): void {
  expectStatus(exchange, 200, hint);
  expectField(
    exchange,
    "predictions",
    (v) => Array.isArray(v) && v.length === texts.length,
    `a list of ${texts.length} predictions, one per text`,
    hint,
  );
  for (const [index, sent] of texts.entries()) {
    expectPrediction(exchange, `predictions.${index}.`, sent, `${hint} (in the order the texts were sent)`);
  }
}

function expectUnavailable(exchange: Exchange, what: string): void {
  expectStatus(exchange, 503, `${what}: the model failed on every attempt, so the answer is 503 with the model's message as detail`);
  expectField(exchange, "detail", isNonEmptyString, "a non-empty string saying why", "raise HTTPException(503, detail=str(exc))");
}

describe("D2 blocked event loop", () => {
  it("RD2.1 POST /predict answers with the prediction", async () => {
    const texts = [text(0), text(1), text(2)];
    const results = await settle(texts.map((sent) => http.post("/predict", { text: sent }, PATIENT)));
    texts.forEach((sent, index) => {
      const exchange = answered(results[index] as Exchange, "POST /predict", "is the handler raising or hanging?");
      expectStatus(exchange, 200, 'POST /predict takes {"text": ...} and answers 200 with the prediction');
      expectPrediction(exchange, "", sent, "return the model's label and score unchanged, plus model_version");
    });
  });

  it("RD2.2 POST /predict/batch answers every prediction in input order", async () => {
    const texts = [text(3), text(4), text(5), text(0)];
    const exchange = await http.post("/predict/batch", { texts }, PATIENT);
    expectBatch(exchange, texts, 'POST /predict/batch takes {"texts": [...]} and answers {"predictions": [...]}');
  });

  it("RD2.3 a bad request body is rejected with 422", async () => {
    const cases: Array<{ path: string; what: string; json?: unknown; raw?: string }> = [
      { path: "/predict", what: "no text field", json: {} },
      { path: "/predict", what: "text is null", json: { text: null } },
      { path: "/predict", what: "text is a number", json: { text: 42 } },
      { path: "/predict", what: "text is empty", json: { text: "" } },
      { path: "/predict", what: `text is ${MAX_TEXT_LENGTH + 1} characters long`, json: { text: "a".repeat(MAX_TEXT_LENGTH + 1) } },
      { path: "/predict", what: "the body is not valid JSON", raw: '{"text": ' },
      { path: "/predict/batch", what: "no texts field", json: {} },
      { path: "/predict/batch", what: "texts is an empty list", json: { texts: [] } },
      {
        path: "/predict/batch",
        what: `texts holds ${MAX_BATCH + 1} texts`,
        json: { texts: Array.from({ length: MAX_BATCH + 1 }, (_, n) => text(n)) },
      },
      { path: "/predict/batch", what: "one of the texts is empty", json: { texts: [text(0), ""] } },
      { path: "/predict/batch", what: "texts is a string", json: { texts: text(0) } },
    ];
    for (const bad of cases) {
      const exchange =
        bad.raw === undefined
          ? await http.post(bad.path, bad.json, PATIENT)
          : await http.request("POST", bad.path, { body: bad.raw, headers: { "content-type": "application/json" }, ...PATIENT });
      expectStatus(exchange, 422, `${bad.path}, ${bad.what}: the request models declare these limits; keep them`);
    }
    const longest = await http.post("/predict", { text: "a".repeat(MAX_TEXT_LENGTH) }, PATIENT);
    expectStatus(longest, 200, `a text of exactly ${MAX_TEXT_LENGTH} characters is accepted: the limit is inclusive`);
  });

  it("RD2.4 when the model fails on every attempt, the answer is 503 with a reason", async () => {
    const [failing, twice, batch] = await settle([
      http.post("/predict", { text: unique(`${text(0)} ${FAILURE_MARKER}`) }, PATIENT),
      // One retry (MODEL_RETRIES=1): a model that fails twice has failed every attempt.
      http.post("/predict", { text: unique(`${transientFailureMarker(2)} ${text(1)}`) }, PATIENT),
      http.post("/predict/batch", { texts: [text(2), unique(`${text(3)} ${FAILURE_MARKER}`)] }, PATIENT),
    ]);
    const hint = "is the handler raising or hanging?";
    expectUnavailable(answered(failing as Exchange, "POST /predict", hint), `POST /predict with a text containing ${FAILURE_MARKER}`);
    expectUnavailable(
      answered(twice as Exchange, "POST /predict", hint),
      "POST /predict with a text the model fails on twice, when MODEL_RETRIES is 1 (retry once, no more)",
    );
    expectUnavailable(
      answered(batch as Exchange, "POST /predict/batch", hint),
      `POST /predict/batch with one text containing ${FAILURE_MARKER}`,
    );
  });

  it("RD2.5 a failed prediction is retried once, after RETRY_BACKOFF_MS", async () => {
    const sent = unique(`${transientFailureMarker(1)} ${text(4)}`);
    const shortest = 2 * latencyMs() + backoffMs();
    const exchange = await http.post("/predict", { text: sent }, PATIENT);
    expectStatus(
      exchange,
      200,
      "the model fails on the first attempt only: retry once (MODEL_RETRIES=1) and answer the second attempt's prediction",
    );
    expectPrediction(exchange, "", sent, "answer the prediction of the attempt that succeeded");
    // Two model calls and the pause between them: never faster (the pause was skipped), and
    // not twice as slow (the pause is in seconds where milliseconds were meant, or repeated).
    check(exchange.durationMs >= shortest - 50, {
      expected: `the answer after two model calls (${latencyMs()} ms each) and a pause of RETRY_BACKOFF_MS (${backoffMs()} ms) between them: at least ${shortest} ms`,
      got: `it answered after ${Math.round(exchange.durationMs)} ms`,
      exchange,
      hint: "keep the pause before the retry, as `await asyncio.sleep(backoff_ms / 1000)`; removing it is not the fix",
    });
    check(exchange.durationMs <= 2 * shortest, {
      expected: `the answer within ${2 * shortest} ms (two model calls and one pause take ${shortest} ms)`,
      got: `it answered after ${Math.round(exchange.durationMs)} ms`,
      exchange,
      hint: "one pause of RETRY_BACKOFF_MS milliseconds before the one retry: check the unit (asyncio.sleep takes seconds)",
    });
  });

  it("RD2.6 predictions never block the event loop", async () => {
    const singles = [text(0), text(1), text(2)];
    const batch = [text(3), text(4)];
    const { value, loop } = await watchEventLoop(() =>
      settle([
        ...singles.map((sent) => http.post("/predict", { text: sent }, PATIENT)),
        http.post("/predict/batch", { texts: batch }, PATIENT),
      ]),
    );
    expectLoopFree(loop, {
      limitMs: LOOP_LIMIT_MS,
      during: `3 POST /predict and a POST /predict/batch of 2 texts ran (MODEL_LATENCY_MS=${latencyMs()})`,
      hint: BLOCKING_HINT,
    });
    value.forEach((result, index) => {
      const exchange = answered(
        result,
        index < singles.length ? "POST /predict" : "POST /predict/batch",
        "is the handler raising or hanging?",
      );
      expectStatus(exchange, 200, "the predictions still answer 200 with their results");
    });
  });

  it("RD2.7 the pause before a retry never blocks the event loop", async () => {
    const sent = unique(`${transientFailureMarker(1)} ${text(5)}`);
    const { value, loop } = await watchEventLoop(() => http.post("/predict", { text: sent }, PATIENT));
    expectLoopFree(loop, {
      limitMs: LOOP_LIMIT_MS,
      during: `a POST /predict failed once, paused RETRY_BACKOFF_MS (${backoffMs()} ms) and was retried`,
      hint: BLOCKING_HINT,
    });
    expectStatus(value, 200, "the retried prediction still answers 200");
  });

  it("RD2.8 predictions sent together run at the same time", async () => {
    const budgetMs = overlapBudgetMs();
    const texts = Array.from({ length: AT_ONCE }, (_, n) => text(n));
    const started = performance.now();
    const results = await settle(texts.map((sent) => http.post("/predict", { text: sent }, PATIENT)));
    const elapsedMs = Math.round(performance.now() - started);
    results.forEach((result, index) => {
      const exchange = answered(result, "POST /predict", "is the handler raising or hanging?");
      expectStatus(exchange, 200, "each prediction answers 200");
      expectPrediction(exchange, "", texts[index] as string, "each request gets the prediction for its own text");
    });
    check(elapsedMs <= budgetMs, {
      expected: `${AT_ONCE} POST /predict sent together all answered within ${budgetMs} ms (3 × MODEL_LATENCY_MS; one model call takes ${latencyMs()} ms)`,
      got: `the last answered after ${elapsedMs} ms: the predictions took turns`,
      hint: OVERLAP_HINT,
    });
  });

  it("RD2.9 the texts of one batch are predicted at the same time", async () => {
    const budgetMs = overlapBudgetMs();
    const texts = Array.from({ length: AT_ONCE }, (_, n) => text(n + 1));
    const exchange = await http.post("/predict/batch", { texts }, PATIENT);
    expectBatch(exchange, texts, "the batch answers 200 with every prediction in input order");
    check(exchange.durationMs <= budgetMs, {
      expected: `a POST /predict/batch of ${AT_ONCE} texts answered within ${budgetMs} ms (3 × MODEL_LATENCY_MS; one model call takes ${latencyMs()} ms)`,
      got: `it answered after ${Math.round(exchange.durationMs)} ms: the texts were predicted one after another`,
      exchange,
      hint: `${OVERLAP_HINT}. asyncio.gather overlaps coroutines only while they await; a coroutine that blocks, or a thread that runs the whole batch, runs them in turn`,
    });
  });
});
