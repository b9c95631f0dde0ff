// Practice 01: async ML inference. Every test is named after the README requirement it checks.
import { describe, it } from "vitest";
import {
  TransportError,
  baseUrl,
  check,
  expectField,
  expectHeader,
  expectJsonObject,
  expectStatus,
  fail,
  http,
  isNonEmptyString,
  knob,
  needsControl,
  server,
  sleep,
  type Exchange,
} from "./harness/index.js";
import { expectedPrediction, MODEL_ANSWERS, MODEL_VERSION } from "./harness/model.js";

const TEXTS = Object.keys(MODEL_ANSWERS).slice(0, 6);

const STATUS_ORDER = ["queued", "running", "succeeded"] as const;
const FAST_REPLY_MS = 250;
const HEALTH_REPLY_MS = 300;
const JOB_DEADLINE_MS = 5000;
const MAX_TEXT_LENGTH = 1000;

const latencyMs = () => knob("MODEL_LATENCY_MS");
const jobPath = (id: string) => `/jobs/${encodeURIComponent(id)}`;


/** Checks a prediction object (the /predict body, or a job's `result`) against the model. */
function expectPrediction(exchange: Exchange, prefix: string, text: string, hint: string): void {
  const expected = expectedPrediction(text);
  expectField(exchange, `${prefix}label`, (v) => v === expected.label, JSON.stringify(expected.label), hint);
  expectField(
    exchange,
    `${prefix}score`,
    (v) => typeof v === "number" && Math.abs(v - expected.score) < 1e-6,
    `${expected.score} (the model's own score for this text)`,
    hint,
  );
  expectField(
    exchange,
    `${prefix}model_version`,
    (v) => v === MODEL_VERSION,
    `"${MODEL_VERSION}" (the loaded model's version)`,
    "copy model.version into every prediction so a client knows which model answered",
  );
}

/**
 * Submits a job and returns its id. Only R01.6 insists on 202; the other job requirements accept
 * any success status so that one mistake fails one requirement.
 */
async function submitJob(text: string): Promise<{ id: string; exchange: Exchange }> {
  const exchange = await http.post("/jobs", { text });
  expectStatus(
    exchange,
    [202, 201, 200],
    "this needs POST /jobs (R01.6) first: it takes {\"text\": ...} and answers 202 with the new job's id",
  );
  const id = expectField(exchange, "id", isNonEmptyString, "a non-empty string (the job id)") as string;
  return { id, exchange };
}

/** Polls GET /jobs/{id} until the job has succeeded or failed; returns the last answer. */
async function waitForJob(id: string, timeoutMs: number): Promise<Exchange> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exchange = await http.get(jobPath(id));
    expectStatus(exchange, 200, "GET /jobs/{job_id} answers 200 with the job for every id POST /jobs returned");
    const status = expectJsonObject(exchange).status;
    if (status === "succeeded" || status === "failed") return exchange;
    if (Date.now() > deadline) {
      fail({
        expected: `job ${id} to reach "succeeded" within ${timeoutMs / 1000} s`,
        got: `its status is still ${JSON.stringify(status)}`,
        exchange,
        hint: "something must pick queued jobs up and run them: a worker task reading an asyncio.Queue started in the lifespan, or BackgroundTasks; and it must set the status when done",
      });
    }
    await sleep(25);
  }
}

/** Runs requests at once; a request that got no answer is returned as its TransportError. */
function settle(requests: Array<Promise<Exchange>>): Promise<Array<Exchange | TransportError>> {
  return Promise.all(
    requests.map((request) =>
      request.catch((error: unknown) => {
        if (error instanceof TransportError) return error;
        throw error;
      }),
    ),
  );
}

function answered(result: Exchange | TransportError, what: string, hint: string): Exchange {
  if (result instanceof TransportError) {
    fail({ expected: `${what} to get an answer`, got: result.message, hint });
  }
  return result;
}

// --- the model's lifecycle -------------------------------------------------------------------

const LOAD_LINE = /model: loaded \S+ from \S+ \(load #(\d+) in this process\)/g;

/** The output of the current server process: what follows uvicorn's last start line. */
function currentProcessOutput(output: string): string {
  const start = output.lastIndexOf("Started server process");
  return start < 0 ? output : output.slice(start);
}

function loadLines(output: string): Array<{ line: string; count: number }> {
  return [...output.matchAll(LOAD_LINE)].map((match) => ({ line: match[0], count: Number(match[1]) }));
}

describe("01 async ML inference", () => {
  it("R01.1 the model is loaded once, at startup", async (ctx) => {
    needsControl(ctx);
    await server.restart();

    // Startup: the load line is printed before the server answers /health. Allow a moment for
    // the output to travel through the pipe.
    let loads: Array<{ line: string; count: number }> = [];
    for (let tries = 0; tries < 30 && loads.length === 0; tries++) {
      if (tries > 0) await sleep(50);
      loads = loadLines(currentProcessOutput(await server.output()));
    }
    check(loads.length > 0, {
      expected: "the line `model: loaded …` in the server's output as soon as it is ready, before any request uses the model",
      got: "a freshly started server that answers /health but has not loaded the model",
      hint: "call SentimentModel.load() in the lifespan handler (before its `yield`) and keep the model on app.state; do not load it lazily on the first request",
    });

    // Traffic: predictions, a model query and a job must all reuse that one model.
    const text = TEXTS[0]!;
    await settle([http.post("/predict", { text }), http.post("/predict", { text }), http.get("/model")]);
    const job = await http.post("/jobs", { text });
    const id = (job.json as { id?: unknown } | undefined)?.id;
    if (job.status === 202 && typeof id === "string") await waitForJob(id, JOB_DEADLINE_MS).catch(() => undefined);
    await sleep(100);

    loads = loadLines(currentProcessOutput(await server.output()));
    const reloaded = loads.filter((load) => load.count > 1);
    check(loads.length === 1 && reloaded.length === 0, {
      expected: "exactly one `model: loaded …` line for the running server after 2 predictions, GET /model and a job",
      got: `${Math.max(loads.length, ...loads.map((load) => load.count))} loads:\n  ${loads.map((load) => load.line).join("\n  ")}`,
      hint: "SentimentModel.load() belongs in the lifespan only; a dependency or handler should hand out app.state.model, not load a new one",
    });
  });

  it("R01.2 GET /model reports the model's version", async () => {
    const exchange = await http.get("/model");
    expectStatus(exchange, 200, "add GET /model, answering from the model the lifespan loaded");
    expectField(
      exchange,
      "version",
      (v) => v === MODEL_VERSION,
      `"${MODEL_VERSION}" (model.version)`,
      "report model.version of the loaded model rather than a hard-coded string",
    );
  });

  it("R01.3 POST /predict answers with the prediction", async () => {
    const texts = TEXTS.slice(0, 3);
    const results = await settle(texts.map((text) => http.post("/predict", { text })));
    texts.forEach((text, index) => {
      const exchange = answered(results[index]!, "POST /predict", "is the handler raising or hanging?");
      expectStatus(exchange, 200, "POST /predict takes {\"text\": ...} and answers 200 with the prediction");
      expectPrediction(
        exchange,
        "",
        text,
        "return model.predict(text)'s label and score unchanged, plus model_version",
      );
    });
  });

  it("R01.4 POST /predict never blocks the event loop", async () => {
    const latency = latencyMs();
    const budgetMs = 5 * latency;
    const texts = Array.from({ length: 10 }, (_, n) => `request ${n}: ${TEXTS[n % TEXTS.length]}`);
    const started = performance.now();
    const pending = settle(texts.map((text) => http.post("/predict", { text }, { timeoutMs: 20_000 })));
    await sleep(Math.min(100, latency / 5));
    const [health] = await settle([http.get("/health", { timeoutMs: 20_000 })]);
    const results = await pending;
    const elapsedMs = performance.now() - started;

    const blocking =
      "model.predict() blocks its thread; called from an `async def` handler it blocks the event loop. Run it with `await run_in_threadpool(model.predict, text)` (or anyio/asyncio to_thread), or make the handler a plain `def`";
    for (const result of results) {
      expectStatus(answered(result, "each of 10 concurrent POST /predict", blocking), 200, "this needs POST /predict (R01.3) first");
    }
    check(elapsedMs <= budgetMs, {
      expected: `10 concurrent POST /predict (each model call blocks ${latency} ms) to finish within ${budgetMs} ms`,
      got: `they took ${Math.round(elapsedMs)} ms in all: the predictions ran one after another`,
      hint: blocking,
    });
    const healthExchange = answered(health!, "GET /health during the predictions", blocking);
    expectStatus(healthExchange, 200);
    check(healthExchange.durationMs <= HEALTH_REPLY_MS, {
      expected: `GET /health to answer within ${HEALTH_REPLY_MS} ms while 10 predictions run`,
      got: `it took ${Math.round(healthExchange.durationMs)} ms: the event loop was busy`,
      exchange: healthExchange,
      hint: blocking,
    });
  });

  it("R01.5 a bad request body is rejected with 422", async () => {
    const cases: Array<{ what: string; json?: unknown; raw?: string }> = [
      { what: "no text field", json: {} },
      { what: "text is null", json: { text: null } },
      { what: "text is a number", json: { text: 42 } },
      { what: "text is empty", json: { text: "" } },
      { what: `text is ${MAX_TEXT_LENGTH + 1} characters long`, json: { text: "a".repeat(MAX_TEXT_LENGTH + 1) } },
      { what: "the body is not valid JSON", raw: '{"text": ' },
    ];
    for (const path of ["/predict", "/jobs"]) {
      for (const bad of cases) {
        const exchange =
          bad.raw === undefined
            ? await http.post(path, bad.json)
            : await http.request("POST", path, { body: bad.raw, headers: { "content-type": "application/json" } });
        expectStatus(
          exchange,
          422,
          `${bad.what}: declare the body as a Pydantic model whose text is Annotated[str, Field(min_length=1, max_length=${MAX_TEXT_LENGTH})] and let FastAPI reject it`,
        );
      }
    }
    const longest = await http.post("/jobs", { text: "a".repeat(MAX_TEXT_LENGTH) });
    check(longest.status >= 200 && longest.status < 300, {
      expected: `a text of exactly ${MAX_TEXT_LENGTH} characters to be accepted by POST /jobs (a 2xx status)`,
      got: `status ${longest.status}`,
      exchange: longest,
      hint: `the limit is inclusive: max_length=${MAX_TEXT_LENGTH}`,
    });
  });

  // --- background jobs -------------------------------------------------------------------------

  it("R01.6 POST /jobs accepts a job at once", async () => {
    const { id, exchange } = await submitJob(TEXTS[1]!);
    expectStatus(exchange, 202, "POST /jobs answers 202 Accepted: the work is accepted, not done yet");
    check(exchange.durationMs <= FAST_REPLY_MS, {
      expected: `POST /jobs to answer within ${FAST_REPLY_MS} ms (the model takes ${latencyMs()} ms, so it must not run before the reply)`,
      got: `the answer took ${Math.round(exchange.durationMs)} ms`,
      exchange,
      hint: "store the job as queued, hand it to a background worker (asyncio.Queue, BackgroundTasks) and return; never await the prediction in this handler. If you already do that, a worker calling model.predict() directly is blocking the event loop",
    });
    expectField(
      exchange,
      "status",
      (v) => v === "queued",
      '"queued"',
      "a new job has not started yet: its first status is queued",
    );
    expectHeader(
      exchange,
      "location",
      (value) => decodeURIComponent(new URL(value, `${baseUrl()}/`).pathname) === `/jobs/${id}`,
      `set Location: /jobs/${id} (the job's own URL) on the 202 response, for example through a Response parameter`,
    );

    const again = await submitJob(TEXTS[2]!);
    check(again.id !== id, {
      expected: "a different id for every job",
      got: `two submissions both got id ${JSON.stringify(id)}`,
      exchange: again.exchange,
      hint: "generate the id per job, e.g. uuid.uuid4().hex",
    });

    const location = exchange.headers.get("location")!;
    const followed = await http.get(new URL(location, `${baseUrl()}/`).pathname);
    expectStatus(followed, 200, "the Location header must point at GET /jobs/{job_id} for this job");
    expectField(followed, "id", (v) => v === id, JSON.stringify(id));
  });

  it("R01.7 a job moves queued -> running -> succeeded, and the API stays responsive", async () => {
    const { id } = await submitJob(TEXTS[3]!);
    const submittedAt = Date.now();
    const seen: string[] = ["queued"];
    for (;;) {
      const exchange = await http.get(jobPath(id));
      expectStatus(exchange, 200, "GET /jobs/{job_id} answers 200 with the job for every id POST /jobs returned");
      check(exchange.durationMs <= FAST_REPLY_MS, {
        expected: `GET /jobs/{job_id} to answer within ${FAST_REPLY_MS} ms while the job runs`,
        got: `it took ${Math.round(exchange.durationMs)} ms: the event loop was blocked`,
        exchange,
        hint: "the background worker must not call model.predict() directly in async code; run it in a thread (run_in_threadpool, anyio/asyncio to_thread)",
      });
      const status = expectField(
        exchange,
        "status",
        (v) => v === "queued" || v === "running" || v === "succeeded" || v === "failed",
        'one of "queued", "running", "succeeded", "failed"',
      ) as string;
      if (status === "failed") {
        fail({
          expected: "the job to succeed",
          got: "it failed",
          exchange,
          hint: "look at the server's output for the exception the worker caught",
        });
      }
      const previous = seen[seen.length - 1]!;
      const order = (s: string) => STATUS_ORDER.indexOf(s as (typeof STATUS_ORDER)[number]);
      check(order(status) >= order(previous), {
        expected: "the status to move forward only: queued, then running, then succeeded",
        got: `${JSON.stringify(previous)} followed by ${JSON.stringify(status)}`,
        exchange,
      });
      if (status !== previous) seen.push(status);
      if (status !== "succeeded") {
        expectField(
          exchange,
          "result",
          (v) => v === null || v === undefined,
          `null while the job is ${status}`,
          "there is no result until the model has answered",
        );
      } else {
        break;
      }
      if (Date.now() - submittedAt > JOB_DEADLINE_MS) {
        fail({
          expected: `the job to succeed within ${JOB_DEADLINE_MS / 1000} s`,
          got: `still ${JSON.stringify(status)} after ${JOB_DEADLINE_MS / 1000} s (statuses seen: ${seen.join(" -> ")})`,
          exchange,
          hint:
            status === "queued"
              ? "nothing picks the job up: start a worker task in the lifespan (or use BackgroundTasks)"
              : "the worker must set the status to succeeded after storing the result",
        });
      }
      await sleep(20);
    }
    check(seen.includes("running"), {
      expected: `the status "running" while the model works on the job (about ${latencyMs()} ms; polled every 20 ms)`,
      got: `statuses seen: ${seen.join(" -> ")}`,
      hint: "set the job's status to running before you start the model, and to succeeded after it answers",
    });
  });

  it("R01.8 a succeeded job holds the prediction for its own text", async () => {
    const texts = TEXTS.slice(3, 6);
    const submitted = await Promise.all(texts.map((text) => submitJob(text)));
    const finished = await Promise.all(submitted.map(({ id }) => waitForJob(id, 2 * JOB_DEADLINE_MS)));
    finished.forEach((exchange, index) => {
      expectField(exchange, "status", (v) => v === "succeeded", '"succeeded"', "look at the server's output for the exception the worker caught");
      expectJsonObject(exchange);
      expectField(
        exchange,
        "result",
        (v) => v !== null && typeof v === "object",
        "an object with label, score and model_version",
        "store the prediction on the job before marking it succeeded",
      );
      expectPrediction(
        exchange,
        "result.",
        texts[index]!,
        "each job keeps the prediction for its own text; are results shared between jobs?",
      );
    });

    const first = submitted[0]!;
    const reread = await http.get(jobPath(first.id));
    expectStatus(reread, 200);
    check(JSON.stringify(expectJsonObject(reread).result) === JSON.stringify(expectJsonObject(finished[0]!).result), {
      expected: "the same result every time a finished job is read",
      got: "a different result on the second read",
      exchange: reread,
      hint: "store the result once in the job store; do not recompute it on read",
    });
  });

  it("R01.9 an unknown job id is a 404", async () => {
    const { id } = await submitJob(TEXTS[0]!);
    const known = await http.get(jobPath(id));
    expectStatus(known, 200, "GET /jobs/{job_id} answers 200 for an id POST /jobs returned");

    for (const unknown of ["00000000-0000-4000-8000-000000000000", "no-such-job", `${id}x`]) {
      const exchange = await http.get(jobPath(unknown));
      expectStatus(
        exchange,
        404,
        "look the id up in the job store and raise HTTPException(status_code=404) when it is missing; a KeyError becomes a 500",
      );
      expectField(exchange, "detail", isNonEmptyString, "a message saying the job does not exist");
    }
  });
});
