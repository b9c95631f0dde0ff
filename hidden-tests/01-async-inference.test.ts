// Practice 01: async ML inference. Every test is named after the README requirement it checks.
import { describe, it } from "vitest";
import {
  TransportError,
  baseUrl,
  check,
  expectField,
  expectHeader,
  expectJsonObject,
  expectLoopFree,
  expectStatus,
  fail,
  http,
  isNonEmptyString,
  knob,
  needsControl,
  server,
  sleep,
  watchEventLoop,
  type Exchange,
  type RequestOptions,
  answered,
  settle,
} from "./harness/index.js";
import { expectedPrediction, FAILURE_MARKER, MODEL_ANSWERS, MODEL_VERSION } from "./harness/model.js";

const TEXTS = Object.keys(MODEL_ANSWERS).slice(0, 6);

const STATUS_ORDER = ["queued", "running", "succeeded"] as const;
const FAST_REPLY_MS = 250;
/** The longest a GET /health may wait while the model runs: half of one blocking model call (500 ms). */
const LOOP_LIMIT_MS = 250;
const JOB_DEADLINE_MS = 5000;
const MAX_TEXT_LENGTH = 1000;
/** Jobs R01.6 submits one after another: more than a usual worker pool, so the last ones wait in the queue. */
const BURST_JOBS = 6;
/** Failing and good jobs R01.11 submits: more failing jobs than a usual worker pool. */
const FAILING_JOBS = 6;
const GOOD_JOBS = 2;

const latencyMs = () => knob("MODEL_LATENCY_MS");
/** R01.11 gives up when this long passes without one of its jobs finishing. */
const stallLimitMs = () => 10 * latencyMs();
const jobPath = (id: string) => `/jobs/${encodeURIComponent(id)}`;

const BLOCKING_HINT =
  "model.predict() blocks its thread; called from async code (an `async def` handler or the job worker) it blocks the event loop. Run it with `await run_in_threadpool(model.predict, text)` (or anyio/asyncio to_thread) wherever it is called; a plain `def` handler only helps /predict, the job worker needs the thread hop either way";

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

const NEEDS_JOBS = 'this needs POST /jobs (R01.6) first: it takes {"text": ...} and answers 202 with the new job\'s id';

/**
 * For requests that may make the model raise. When an exception escapes the app (a handler, or a
 * BackgroundTasks function after the response), uvicorn closes the connection; asking for that up
 * front keeps the client from reusing a connection the server is closing, so a mistake fails the
 * requirement it concerns and never, by chance, the next request.
 */
const CLOSE = { headers: { connection: "close" } };

/**
 * Submits a job and returns its id. Only R01.6 insists on 202; the other job requirements accept
 * any success status so that one mistake fails one requirement.
 */
async function submitJob(text: string, hint = NEEDS_JOBS, options: RequestOptions = {}): Promise<{ id: string; exchange: Exchange }> {
  const exchange = await http.post("/jobs", { text }, options);
  expectStatus(exchange, [202, 201, 200], hint);
  const id = expectField(exchange, "id", isNonEmptyString, "a non-empty string (the job id)", hint) as string;
  return { id, exchange };
}

function isFinal(status: unknown): boolean {
  return status === "succeeded" || status === "failed";
}

/** Polls the jobs until every one has left `queued` ("started") or has finished, or the time is up; never fails. */
async function quietlyWaitForJobs(ids: string[], until: "started" | "finished", timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...ids];
  while (pending.length > 0 && Date.now() < deadline) {
    const statuses = await Promise.all(
      pending.map((id) =>
        http.get(jobPath(id)).then(
          (exchange) => (exchange.json as { status?: unknown } | undefined)?.status,
          () => undefined,
        ),
      ),
    );
    pending = pending.filter((_, n) => (until === "started" ? statuses[n] === "queued" : !isFinal(statuses[n])));
    if (pending.length > 0) await sleep(25);
  }
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

function expectFailedJob(exchange: Exchange, text: string): void {
  const hint = "when the model raises, set the job's status to failed and its error to the exception's message (str(exc)); never succeeded";
  expectField(exchange, "status", (v) => v === "failed", `"failed": the model raised for ${JSON.stringify(text)}`, hint);
  expectField(
    exchange,
    "result",
    (v) => v === null || v === undefined,
    "null: a failed job has no prediction",
    "leave result empty when the model raised",
  );
  expectField(
    exchange,
    "error",
    isNonEmptyString,
    "a non-empty string saying why the job failed",
    "store the exception's message on the job (error=str(exc)) when the model raises",
  );
}

function expectSucceededJob(exchange: Exchange, text: string): void {
  const hint = "a good job submitted after failing ones still runs and succeeds: one failure must not affect the next job";
  expectField(exchange, "status", (v) => v === "succeeded", '"succeeded"', hint);
  expectPrediction(exchange, "result.", text, "each job keeps the prediction for its own text");
  expectField(
    exchange,
    "error",
    (v) => v === null || v === undefined,
    "null (or absent): this job did not fail",
    "set error only when the model raised for this job",
  );
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
    const [job] = await settle([
      http.post("/jobs", { text }),
      http.post("/predict", { text }),
      http.post("/predict", { text }),
      http.get("/model"),
    ]);
    const id = job instanceof TransportError ? undefined : (job?.json as { id?: unknown } | undefined)?.id;
    if (typeof id === "string") await quietlyWaitForJobs([id], "finished", JOB_DEADLINE_MS);
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
      expectStatus(exchange, 200, 'POST /predict takes {"text": ...} and answers 200 with the prediction');
      expectPrediction(exchange, "", text, "return model.predict(text)'s label and score unchanged, plus model_version");
    });
  });

  it("R01.4 predictions and jobs never block the event loop", async () => {
    const latency = latencyMs();
    const budgetMs = 5 * latency;
    const texts = Array.from({ length: 10 }, (_, n) => `request ${n}: ${TEXTS[n % TEXTS.length]}`);
    const { value, loop } = await watchEventLoop(
      async () => {
        const started = performance.now();
        const jobs = settle(TEXTS.slice(4, 6).map((text) => http.post("/jobs", { text })));
        const predictions = settle(texts.map((text) => http.post("/predict", { text }, { timeoutMs: 20_000 })));
        const results = await predictions;
        const elapsedMs = performance.now() - started;
        // Keep watching while the jobs run (their worker is async code too); whether they succeed is R01.7's.
        const ids = (await jobs).flatMap((job) => {
          const id = job instanceof TransportError ? undefined : (job.json as { id?: unknown } | undefined)?.id;
          return typeof id === "string" ? [id] : [];
        });
        await quietlyWaitForJobs(ids, "finished", JOB_DEADLINE_MS);
        return { results, elapsedMs };
      },
      { intervalMs: 20 },
    );

    expectLoopFree(loop, {
      limitMs: LOOP_LIMIT_MS,
      during: `10 POST /predict and 2 jobs ran (each model call blocks its thread for ${latency} ms)`,
      hint: BLOCKING_HINT,
    });
    for (const result of value.results) {
      expectStatus(answered(result, "each of 10 concurrent POST /predict", BLOCKING_HINT), 200, "this needs POST /predict (R01.3) first");
    }
    check(value.elapsedMs <= budgetMs, {
      expected: `10 concurrent POST /predict (each model call blocks ${latency} ms) to finish within ${budgetMs} ms`,
      got: `they took ${Math.round(value.elapsedMs)} ms in all: the predictions ran one after another`,
      hint: BLOCKING_HINT,
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
    const submitHint = 'add POST /jobs: it takes {"text": ...}, stores a queued job and answers 202 with it';
    const ids: string[] = [];
    try {
      for (let n = 0; n < BURST_JOBS; n++) {
        const { id, exchange } = await submitJob(`job ${n + 1} of ${BURST_JOBS}: ${TEXTS[n % TEXTS.length]!}`, submitHint);
        expectStatus(exchange, 202, "POST /jobs answers 202 Accepted: the work is accepted, not done yet");
        check(exchange.durationMs <= FAST_REPLY_MS, {
          expected: `POST /jobs to answer within ${FAST_REPLY_MS} ms (the model takes ${latencyMs()} ms, so it must not run before the reply)`,
          got: `the answer took ${Math.round(exchange.durationMs)} ms`,
          exchange,
          hint: "store the job as queued, hand it to a background worker (asyncio.Queue, BackgroundTasks) and return; never await the prediction in this handler. If you already do that, a worker calling model.predict() directly is blocking the event loop",
        });
        expectField(exchange, "status", (v) => v === "queued", '"queued"', "a new job has not started yet: its first status is queued");
        const location = expectHeader(
          exchange,
          "location",
          (value) => decodeURIComponent(new URL(value, `${baseUrl()}/`).pathname) === `/jobs/${id}`,
          `set Location: /jobs/${id} (the job's own URL) on the 202 response, for example through a Response parameter`,
        );
        check(!ids.includes(id), {
          expected: "a different id for every job",
          got: `submission ${n + 1} got the id ${JSON.stringify(id)} again`,
          exchange,
          hint: "generate the id per job, e.g. uuid.uuid4().hex",
        });
        ids.push(id);

        // Order of effects: a client told "202, look here" must find the job there at once, also
        // when every worker is busy and the job still waits in the queue.
        const followed = await http.get(new URL(location, `${baseUrl()}/`).pathname);
        expectStatus(
          followed,
          200,
          `GET on the Location of a job just accepted (job ${n + 1} of ${BURST_JOBS} sent one after another, so the last ones wait for a free worker) must find it: put the job in the store before the 202 is sent, not when a worker picks it up`,
        );
        expectField(followed, "id", (v) => v === id, JSON.stringify(id), "GET /jobs/{job_id} answers with the job of that id");
        expectField(
          followed,
          "status",
          (v) => v === "queued" || v === "running",
          '"queued" or "running" (the model takes longer than this)',
          "a job just accepted has not finished yet",
        );
      }
    } finally {
      // Leave no queue behind for the next requirement: wait (without judging) until the jobs started.
      await quietlyWaitForJobs(ids, "started", BURST_JOBS * latencyMs());
    }
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
        expectField(
          exchange,
          "result",
          (v) => v !== null && typeof v === "object",
          "the prediction, in the first answer that says succeeded",
          "store the result on the job before you set its status to succeeded",
        );
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
      expectField(
        exchange,
        "status",
        (v) => v === "succeeded",
        '"succeeded"',
        "look at the server's output for the exception the worker caught",
      );
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

  // --- when the model fails ---------------------------------------------------------------------

  it("R01.10 when the model fails, POST /predict answers 500 with a reason", async () => {
    const failing = [`${FAILURE_MARKER} ${TEXTS[0]!}`, `${TEXTS[1]!} ${FAILURE_MARKER}`];
    const good = TEXTS[2]!;
    const results = await settle([...failing.map((text) => http.post("/predict", { text }, CLOSE)), http.post("/predict", { text: good })]);
    const handle =
      'Catch the model\'s ModelError around the call and raise HTTPException(status_code=500, detail=str(exc)); FastAPI answers that as JSON {"detail": ...}';

    failing.forEach((text, index) => {
      const exchange = answered(
        results[index]!,
        `POST /predict with ${JSON.stringify(text)}`,
        `is the handler waiting forever when the model raises? ${handle}`,
      );
      const hint =
        exchange.status === 200
          ? "the model raised for this text, so there is no prediction to answer with: do not answer a default one"
          : exchange.status >= 400 && exchange.status < 500
            ? `the request was valid (a string of 1 to ${MAX_TEXT_LENGTH} characters); the model failed, which is the server's failure: a 500. ${handle}`
            : handle;
      expectStatus(exchange, 500, hint);
      expectField(
        exchange,
        "detail",
        isNonEmptyString,
        "a non-empty string saying why the model failed",
        `an exception left unhandled becomes a plain-text "Internal Server Error" that tells the client nothing. ${handle}`,
      );
    });

    const exchange = answered(results[2]!, "POST /predict with a good text sent alongside", "does one failing request stop the others?");
    expectStatus(exchange, 200, "a good text sent together with failing ones is answered as usual");
    expectPrediction(exchange, "", good, "return model.predict(text)'s label and score unchanged, plus model_version");
  });

  it("R01.11 a job whose model call fails ends failed, and the workers go on", async () => {
    const jobs: Array<{ text: string; fails: boolean; id: string }> = [];
    const failing = Array.from({ length: FAILING_JOBS }, (_, n) => `${FAILURE_MARKER} failing job ${n + 1}: ${TEXTS[n % TEXTS.length]!}`);
    const good = TEXTS.slice(3, 3 + GOOD_JOBS);
    for (const text of [...failing, ...good]) {
      const fails = text.includes(FAILURE_MARKER);
      jobs.push({ text, fails, id: (await submitJob(text, NEEDS_JOBS, fails ? CLOSE : {})).id });
    }

    const stallMs = stallLimitMs();
    const last = new Map<string, Exchange>();
    const done = new Set<string>();
    let progressAt = Date.now();
    for (;;) {
      for (const job of jobs.filter((j) => !done.has(j.id))) {
        const exchange = await http.get(jobPath(job.id));
        expectStatus(exchange, 200, "GET /jobs/{job_id} answers 200 with the job for every id POST /jobs returned, failed jobs included");
        last.set(job.id, exchange);
        const status = expectJsonObject(exchange).status;
        if (!isFinal(status)) continue;
        done.add(job.id);
        progressAt = Date.now();
        if (job.fails) expectFailedJob(exchange, job.text);
        else expectSucceededJob(exchange, job.text);
      }
      if (done.size === jobs.length) break;
      if (Date.now() - progressAt > stallMs) {
        const pending = jobs.filter((j) => !done.has(j.id)).map((j) => ({ ...j, exchange: last.get(j.id)! }));
        const statusOf = (exchange: Exchange) => (exchange.json as { status?: unknown }).status;
        const running = pending.filter((j) => statusOf(j.exchange) === "running");
        const queued = pending.filter((j) => statusOf(j.exchange) === "queued");
        const lines = pending.map((j) => `${j.fails ? "failing" : "good"} job ${j.id}: ${JSON.stringify(statusOf(j.exchange))}`);
        fail({
          expected: `each of ${FAILING_JOBS} failing and ${GOOD_JOBS} good jobs to finish, one of them at least every ${stallMs / 1000} s`,
          got: `${done.size} of ${jobs.length} finished, then none for ${stallMs / 1000} s:\n  ${lines.join("\n  ")}`,
          exchange: (running[0] ?? pending[0])!.exchange,
          hint:
            running.length > 0 && queued.length > 0
              ? "jobs stay running after their model call raised, and the rest stay queued: the exception ended the worker tasks too. Catch it per job, inside the worker's loop, and set status failed with error=str(exc)"
              : running.length > 0
                ? "a job stays running after its model call raised: catch the exception around the model call in the worker and set status failed with error=str(exc); a BackgroundTasks function that raises leaves its job running too"
                : "jobs stay queued and nothing picks them up: the worker tasks died with the model's exception. Catch it per job, inside the worker's loop (try/except around one job), so the loop goes on to the next job",
        });
      }
      await sleep(25);
    }
  });
});
