// Practice 06: error handling and observability. Every test is named after the README requirement it checks.
//
// Nothing here depends on what happened before a test: counters are compared as differences
// between two reads of /metrics, request ids, unknown names and paths carry this run's own number,
// and the server's output is searched by request id.
import { randomInt, randomUUID } from "node:crypto";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { describe, it } from "vitest";
import {
  check,
  expectField,
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
  answered,
  settle,
} from "./harness/index.js";
import { expectedPrediction, FAILURE_MARKER, MODEL_VERSION, transientFailureMarker } from "./harness/model.js";

const TEXTS = [
  "great service, would recommend",
  "Terrible support and a slow refund.",
  "I love how fast and reliable this is!",
  "worst update ever: broken, buggy, awful",
  "never again, I hate the bugs",
  "Fast delivery and a helpful team",
] as const;

const MAX_TEXT_LENGTH = 1000;
const latencyMs = () => knob("MODEL_LATENCY_MS");
/** A prediction's server-side duration is at least this: the model ran in between. */
const minPredictMs = () => 0.9 * latencyMs();
/** How long a log line may take to travel from the server's output to the suite. */
const LOG_ARRIVAL_MS = 1000;
/**
 * While 4 predictions of 300 ms run, a free event loop answers GET /health in milliseconds (under
 * 200 ms on a loaded machine); a blocked one runs the predictions one after another on the loop, and
 * a probe waits behind at least three of them (900 ms or more).
 */
const LOOP_LIMIT_MS = 400;
/** Server-side durations are rounded by some solutions; this much above the client's own wait is allowed. */
const ROUNDING_MS = 5;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const UNMATCHED = "unmatched";

// --- names that are new to this run ----------------------------------------------------------

const RUN = String(randomInt(100_000_000, 1_000_000_000));
let sequence = 0;
const next = () => {
  sequence += 1;
  return String(sequence);
};

/** A valid request id no other request of this run uses. */
const requestId = (tag: string) => `${tag}-${RUN}-${next()}`;
/** A model name that is not `sentiment`. */
const unknownName = () => `nope-${RUN}-${next()}`;
/** A path no route matches. */
const unmatchedPath = () => `/no-such-route-${RUN}-${next()}/page`;
/** A text the model answers (the suffix is ignored by it: it reads words only). */
const text = (index: number) => `${TEXTS[index % TEXTS.length]} #${RUN}${next()}`;
const failingText = () => `great service ${FAILURE_MARKER} #${RUN}${next()}`;

// --- review helpers --------------------------------------------------------------------------

const NEEDS_PREDICT = 'this needs POST /predict (R06.1): it takes {"text": ...} and answers 200 with the prediction';
const NEEDS_MODELS = "this needs GET /models/{model_name} (R06.1): GET /models/sentiment answers 200";
const NEEDS_DEBUG_ERROR =
  'GET /debug/error raises RuntimeError("debug: deliberate failure") on purpose and nothing handles it, so the answer is a 500 (R06.9)';
const NEEDS_METRICS =
  "this needs GET /metrics (R06.12): Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST) from prometheus-client";

function withId(id: string): { headers: Record<string, string> } {
  return { headers: { "X-Request-ID": id } };
}

/**
 * GET /debug/error. After an exception escapes the app, uvicorn closes the connection even though
 * the 500 was sent (ServerErrorMiddleware re-raises so that the server logs it); asking for that
 * up front keeps the client from reusing a connection the server is closing.
 */
function crash(id?: string): Promise<Exchange> {
  return http.get("/debug/error", { headers: { connection: "close", ...(id === undefined ? {} : { "X-Request-ID": id }) } });
}

function expectPrediction(exchange: Exchange, sent: string): void {
  const expected = expectedPrediction(sent.replace(/ #\d+$/, ""));
  const hint = "return model.predict(text)'s label and score unchanged, plus model_version";
  expectField(exchange, "label", (v) => v === expected.label, JSON.stringify(expected.label), hint);
  expectField(
    exchange,
    "score",
    (v) => typeof v === "number" && Math.abs(v - expected.score) < 1e-6,
    `${expected.score} (the model's own score for this text)`,
    hint,
  );
  expectField(exchange, "model_version", (v) => v === MODEL_VERSION, `"${MODEL_VERSION}" (model.version)`);
}

/** The response's X-Request-ID; fails when it is missing or not a valid request id. */
function responseId(exchange: Exchange, hint: string): string {
  const value = exchange.headers.get("x-request-id");
  if (value === null) {
    fail({ expected: "an X-Request-ID header on the response", got: "no X-Request-ID header", exchange, hint });
  }
  if (!REQUEST_ID.test(value)) {
    fail({
      expected: "X-Request-ID to be one valid request id (1 to 64 of A-Z a-z 0-9 . _ -)",
      got: `X-Request-ID: ${value}`,
      exchange,
      hint: value.includes(",")
        ? "the response carries the header twice (fetch joins them with a comma): set it in one place, replacing any earlier value"
        : "generate ids from a safe alphabet, e.g. uuid.uuid4().hex",
    });
  }
  return value;
}

const TRACEBACK = /Traceback \(most recent call last\)|File "[^"]*", line \d+/;

function expectNoTraceback(exchange: Exchange, extra: string[] = []): void {
  const leaked = TRACEBACK.exec(exchange.text)?.[0] ?? extra.find((word) => exchange.text.includes(word));
  check(leaked === undefined, {
    expected: "an error body that says nothing about the exception: no traceback, no exception type, no exception message",
    got: `the body contains ${JSON.stringify(leaked)}`,
    exchange,
    hint: "the exception belongs in the server's log (logger.exception, with the request id); the client gets a fixed message and the id. Is FastAPI(debug=True) on? Debug mode answers with the traceback whatever handler you register",
  });
}

/** A 404 where another status is wanted: the route the requirement exercises is missing. */
function expectRoute(exchange: Exchange, wanted: number, hint: string): void {
  if (exchange.status === 404 && wanted !== 404) expectStatus(exchange, wanted, hint);
}

/**
 * Fails unless `exchange` is the README's error envelope with this status and code; returns the
 * `error` object. The request id must match the response's header when the header is there
 * (whether it is there at all is R06.3's subject).
 */
function expectEnvelope(exchange: Exchange, status: number, code: string, hint: string): Record<string, unknown> {
  expectStatus(exchange, status, hint);
  const contentType = exchange.headers.get("content-type") ?? "";
  const body = exchange.json;
  const error = body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>).error : undefined;
  if (!contentType.startsWith("application/json") || error === null || typeof error !== "object" || Array.isArray(error)) {
    const isDefault = body && typeof body === "object" && "detail" in body;
    fail({
      expected: `the error envelope, Content-Type: application/json and {"error": {"code": "${code}", "message": "…", "request_id": "…"}}`,
      got: contentType.startsWith("application/json")
        ? isDefault
          ? 'FastAPI\'s default error shape, {"detail": …}'
          : 'a JSON body without an "error" object'
        : `Content-Type: ${contentType || "(none)"}`,
      exchange,
      hint: isDefault ? `${hint} ({"detail": …} is FastAPI's default handler answering: yours is not registered for this exception)` : hint,
    });
  }
  const envelope = error as Record<string, unknown>;
  const where = (field: string) => `"error.${field}"`;
  const bad = (field: string, wanted: string, why: string): never =>
    fail({
      expected: `${where(field)} to be ${wanted}`,
      got: field in envelope ? `${where(field)}: ${JSON.stringify(envelope[field])}` : `no ${where(field)}`,
      exchange,
      hint: why,
    });
  if (envelope.code !== code) bad("code", JSON.stringify(code), `${hint}; the codes are fixed per kind of error (see the README's table)`);
  if (!isNonEmptyString(envelope.message)) bad("message", "a non-empty string", "say in a few words what went wrong");
  const id = envelope.request_id;
  if (typeof id !== "string" || !REQUEST_ID.test(id)) {
    bad(
      "request_id",
      "the request id (1 to 64 of A-Z a-z 0-9 . _ -)",
      "put the request's id (request.state.request_id, set by your middleware) in every envelope",
    );
  }
  const header = exchange.headers.get("x-request-id");
  if (header !== null && header !== id) {
    bad(
      "request_id",
      `the response's X-Request-ID, ${JSON.stringify(header)}`,
      "the envelope and the header carry the same id: read it from one place (request.state) in both",
    );
  }
  expectNoTraceback(exchange);
  return envelope;
}

// --- the server's output ---------------------------------------------------------------------

interface LogLine {
  raw: string;
  fields: Record<string, unknown>;
}

/** Lines of output that are a JSON object and nothing else. */
function jsonLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const raw of output.split("\n")) {
    const line = raw.trim();
    if (!line.startsWith("{") || !line.endsWith("}")) continue;
    try {
      const fields: unknown = JSON.parse(line);
      if (fields && typeof fields === "object" && !Array.isArray(fields))
        lines.push({ raw: line, fields: fields as Record<string, unknown> });
    } catch {
      // Not JSON after all: ignored, as the README says.
    }
  }
  return lines;
}

/** The request lines for `id`: JSON lines with that request_id and a status field. */
function requestLinesFor(output: string, id: string): LogLine[] {
  return jsonLines(output).filter((line) => line.fields.request_id === id && "status" in line.fields);
}

/** The valid request id the suite chose for this request, if it sent one. */
function chosenId(exchange: Exchange): string | undefined {
  const sent = Object.entries(exchange.request.headers).find(([name]) => name.toLowerCase() === "x-request-id")?.[1];
  return sent !== undefined && REQUEST_ID.test(sent) ? sent : undefined;
}

/**
 * The id a request's line is looked up by: the response's X-Request-ID, as it is (whether it is
 * valid, echoed and unique is R06.3's and R06.4's subject); when the response has none, the
 * valid id the request carried.
 */
function loggedId(exchange: Exchange): string {
  const header = exchange.headers.get("x-request-id");
  if (header !== null) return header;
  const chosen = chosenId(exchange);
  if (chosen !== undefined) return chosen;
  fail({
    expected: "an X-Request-ID header on the response",
    got: "no X-Request-ID header",
    exchange,
    hint: "a request sent without a valid id is found in the log by the id its response carries: this needs X-Request-ID on every response (R06.3)",
  });
}

/**
 * Waits (up to 1 s after the response was read) until the server's output holds a request line
 * for this exchange; fails with what the output does hold for the id.
 */
async function waitForRequestLine(exchange: Exchange): Promise<void> {
  const id = loggedId(exchange);
  const deadline = Date.now() + LOG_ARRIVAL_MS;
  let output = "";
  for (;;) {
    output = await server.output();
    if (requestLinesFor(output, id).length > 0) return;
    if (Date.now() > deadline) break;
    await sleep(25);
  }
  const mentioning = output.split("\n").filter((line) => line.includes(id));
  const asJson = jsonLines(output).filter((line) => line.fields.request_id === id);
  let got: string;
  let hint: string;
  const anonymous = jsonLines(output).filter(
    (line) => "status" in line.fields && (typeof line.fields.request_id !== "string" || !REQUEST_ID.test(line.fields.request_id)),
  );
  if (asJson.length > 0) {
    got = `JSON lines with this request_id but no "status" field:\n  ${asJson.map((line) => line.raw).join("\n  ")}`;
    hint =
      exchange.status >= 500
        ? "an exception passed through your middleware on its way to ServerErrorMiddleware: write the request's line in a finally (status 500), not only after a response came back"
        : "the request's line carries request_id, method, route, status and duration_ms together, written once the status is known";
  } else if (anonymous.length > 0) {
    got = `no request line with that id, but request lines whose request_id is not a request id:\n  ${anonymous
      .slice(-3)
      .map((line) => line.raw)
      .join("\n  ")}`;
    hint =
      "log the id the response carries (the one your middleware decided on, generated when the request had none or an invalid one), not the request's X-Request-ID header";
  } else if (mentioning.length > 0) {
    got = `lines that mention the id but are not a JSON object alone on their line:\n  ${mentioning.slice(0, 5).join("\n  ")}`;
    hint =
      "render each record as json.dumps({...}) with nothing before or after it (a logging.Formatter subclass whose format() returns the JSON)";
  } else {
    const tail = output.trimEnd().split("\n").slice(-8);
    got = `no line mentions ${id}; the last lines of your server's output were:\n  ${tail.join("\n  ")}`;
    hint =
      "log one line per request from a middleware, with logging to stdout: a logger with a StreamHandler(sys.stdout) and a JSON formatter, propagate=False. Write it when the response is sent, not later (no MemoryHandler, no batching)";
  }
  fail({
    expected: `within ${LOG_ARRIVAL_MS} ms of the response, a JSON line in your server's output with "request_id": "${id}" and a "status" field`,
    got,
    exchange,
    hint,
  });
}

interface Logged {
  exchange: Exchange;
  route: string;
  /** The least duration_ms the line may report (the model ran in between). */
  minMs?: number;
}

/**
 * Checks, in the output read now, that each request has exactly one line, with the README's
 * fields. Exactly one is checked for the ids the suite chose (unique to this run); an id the
 * server generated is unique only if the server makes it so (R06.3), so for those the line that
 * fits this request is taken.
 */
async function expectRequestLines(requests: Logged[]): Promise<void> {
  const output = await server.output();
  for (const { exchange, route, minMs } of requests) {
    const id = loggedId(exchange);
    const lines = requestLinesFor(output, id);
    if (chosenId(exchange) === id) {
      check(lines.length === 1, {
        expected: `exactly one request line (a JSON line with "request_id": "${id}" and a "status")`,
        got: `${lines.length} lines:\n  ${lines.map((line) => line.raw).join("\n  ")}`,
        exchange,
        hint: "log the request once, in one place (the middleware), not also in a handler or an exception handler; other lines about the request may carry the id but not a status",
      });
    }
    check(lines.length > 0, {
      expected: `a request line with "request_id": "${id}" in your server's output`,
      got: "none any more (it was there a moment ago): has the output been flooded by hundreds of lines since?",
      exchange,
      hint: "drill keeps the last 200 lines of your server's output; keep it to one line per request plus what goes wrong",
    });
    const fits = lines.filter(
      (line) => line.fields.method === exchange.request.method && line.fields.route === route && line.fields.status === exchange.status,
    );
    const line = fits[fits.length - 1] ?? lines[lines.length - 1]!;
    const show = `the line: ${line.raw}`;
    const method = exchange.request.method;
    // Typed explicitly so that TypeScript knows a call never returns (and narrows after it).
    const wrong: (field: string, wanted: string, hint: string) => never = (field, wanted, hint) =>
      fail({ expected: `"${field}" to be ${wanted}`, got: `"${field}": ${JSON.stringify(line.fields[field])}; ${show}`, exchange, hint });
    if (line.fields.method !== method) wrong("method", JSON.stringify(method), "log request.method, upper case");
    if (line.fields.route !== route) {
      wrong(
        "route",
        JSON.stringify(route),
        route === UNMATCHED
          ? 'a path that matches no route has the route "unmatched": there is no template to name'
          : 'log the route template (request.scope["route"].path after the app ran), not the raw path: /models/gpt and /models/sentiment are both /models/{model_name}',
      );
    }
    if (line.fields.status !== exchange.status) {
      wrong(
        "status",
        `${exchange.status} (the status of the response, an integer)`,
        "take the status from the response your middleware saw go out (the http.response.start message), or 500 when an exception escaped",
      );
    }
    const duration = line.fields.duration_ms;
    const most = exchange.durationMs + ROUNDING_MS;
    if (typeof duration !== "number" || !Number.isFinite(duration) || duration < 0) {
      wrong("duration_ms", "a number of milliseconds", "time the request with time.perf_counter() and log (end - start) * 1000");
    }
    if (duration > most) {
      wrong(
        "duration_ms",
        `at most ${Math.round(most)} (the suite itself waited ${Math.round(exchange.durationMs)} ms for this response)`,
        "duration_ms is in milliseconds: (time.perf_counter() - start) * 1000, measured around this request only",
      );
    }
    if (minMs !== undefined && duration < minMs) {
      wrong(
        "duration_ms",
        `at least ${minMs} (the model alone blocks ${latencyMs()} ms for this request)`,
        "duration_ms is in milliseconds: (time.perf_counter() - start) * 1000, from when the request arrived until the response is sent",
      );
    }
  }
}

/** Sends a request, then waits for its line (order of effects: the line exists once the response was read). */
async function loggedRequest(send: () => Promise<Exchange>, route: string, minMs?: number): Promise<Logged> {
  const exchange = await send();
  await waitForRequestLine(exchange);
  return { exchange, route, ...(minMs === undefined ? {} : { minMs }) };
}

// --- /metrics --------------------------------------------------------------------------------

const REQUESTS = "http_requests_total";
const DURATION = "http_request_duration_seconds";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Scrape {
  exchange: Exchange;
  /** The `# TYPE` of each family, upper case ("COUNTER", "HISTOGRAM", "UNTYPED"). */
  types: Map<string, string>;
  samples: Sample[];
}

function sampleValue(raw: string | undefined): number {
  if (raw === "+Inf") return Number.POSITIVE_INFINITY;
  if (raw === "-Inf") return Number.NEGATIVE_INFINITY;
  return raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
}

/**
 * Reads /metrics through parse-prometheus-text-format. That parser folds every label set of a
 * histogram into one bucket map (and drops their _count and _sum), so after reading the families'
 * types, the body is parsed a second time with histograms and summaries declared untyped: each
 * _bucket, _count and _sum line then stays one sample with its own labels. Families are merged by
 * name, so the order of lines and series never matters.
 */
async function scrape(hint = NEEDS_METRICS): Promise<Scrape> {
  const exchange = await http.get("/metrics");
  expectStatus(exchange, 200, hint);
  const body = exchange.text.endsWith("\n") ? exchange.text : `${exchange.text}\n`;
  try {
    const types = new Map<string, string>();
    for (const family of parsePrometheusTextFormat(body)) {
      if (!types.has(family.name) || types.get(family.name) === "UNTYPED") types.set(family.name, family.type);
    }
    const flat = parsePrometheusTextFormat(body.replace(/^(#\s+TYPE\s+\S+\s+)(histogram|summary)[ \t]*$/gm, "$1untyped"));
    const samples = flat.flatMap((family) =>
      family.metrics.map((metric) => ({ name: family.name, labels: metric.labels ?? {}, value: sampleValue(metric.value) })),
    );
    const broken = samples.find((sample) => Number.isNaN(sample.value));
    if (broken) throw new Error(`the sample ${broken.name}${renderLabels(broken.labels)} has no numeric value`);
    return { exchange, types, samples };
  } catch (error) {
    fail({
      expected: "a body in the Prometheus text exposition format",
      got: `the parser stopped: ${(error as Error).message}`,
      exchange,
      hint: "serve prometheus_client.generate_latest(registry) as it is, with media_type=CONTENT_TYPE_LATEST",
    });
  }
}

function renderLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(",")}}`;
}

function samplesOf(scrape: Scrape, name: string): Sample[] {
  return scrape.samples.filter((sample) => sample.name === name);
}

/** A series' identity: its labels, sorted, so the order they are written in does not matter. */
function seriesKey(labels: Record<string, string>): string {
  return renderLabels(labels);
}

function valuesByKey(samples: Sample[]): Map<string, Sample> {
  return new Map(samples.map((sample) => [seriesKey(sample.labels), sample]));
}

interface Change {
  labels: Record<string, string>;
  delta: number;
}

/** Series of `name` whose value differs between two reads (a new series counts from 0). */
function changes(before: Scrape, after: Scrape, name: string): Map<string, Change> {
  const old = valuesByKey(samplesOf(before, name));
  const now = valuesByKey(samplesOf(after, name));
  const changed = new Map<string, Change>();
  for (const [key, sample] of now) {
    const delta = sample.value - (old.get(key)?.value ?? 0);
    if (delta !== 0) changed.set(key, { labels: sample.labels, delta });
  }
  for (const [key, sample] of old) {
    if (!now.has(key)) changed.set(key, { labels: sample.labels, delta: -sample.value });
  }
  return changed;
}

function showChanges(name: string, list: Iterable<Change>): string {
  const lines = [...list].map((change) => `${name}${renderLabels(change.labels)} ${change.delta > 0 ? "+" : ""}${change.delta}`);
  return lines.length ? lines.sort().join("\n  ") : "(none)";
}

/** The README's counter labels for one request. */
function counted(method: string, route: string, status: number): Record<string, string> {
  return { method, route, status: String(status) };
}

interface Histogram {
  count: number | undefined;
  sum: number | undefined;
  /** Count per `le` bound, by bound. */
  buckets: Map<number, number>;
}

function histogramOf(scrape: Scrape, labels: Record<string, string>): Histogram {
  const key = seriesKey(labels);
  const find = (suffix: string) => samplesOf(scrape, `${DURATION}${suffix}`).find((sample) => seriesKey(sample.labels) === key)?.value;
  const buckets = new Map<number, number>();
  for (const sample of samplesOf(scrape, `${DURATION}_bucket`)) {
    const { le, ...rest } = sample.labels;
    if (le !== undefined && seriesKey(rest) === key) buckets.set(sampleValue(le), sample.value);
  }
  return { count: find("_count"), sum: find("_sum"), buckets };
}

/** Every histogram series: buckets cumulative, +Inf equal to _count. */
function expectCumulative(scrape: Scrape): void {
  for (const count of samplesOf(scrape, `${DURATION}_count`)) {
    const histogram = histogramOf(scrape, count.labels);
    const bounds = [...histogram.buckets.keys()].sort((a, b) => a - b);
    const series = `${DURATION}${renderLabels(count.labels)}`;
    for (let i = 1; i < bounds.length; i++) {
      const lower = histogram.buckets.get(bounds[i - 1]!)!;
      const upper = histogram.buckets.get(bounds[i]!)!;
      check(upper >= lower, {
        expected: `the buckets of ${series} to be cumulative (each le counts every observation up to it)`,
        got: `le="${bounds[i - 1]}" has ${lower} but le="${bounds[i]}" has ${upper}`,
        exchange: scrape.exchange,
        hint: "let prometheus_client's Histogram.observe() fill the buckets",
      });
    }
    check(histogram.buckets.get(Number.POSITIVE_INFINITY) === count.value, {
      expected: `the +Inf bucket of ${series} to equal its _count (${count.value})`,
      got: `le="+Inf" is ${histogram.buckets.get(Number.POSITIVE_INFINITY) ?? "missing"}`,
      exchange: scrape.exchange,
      hint: "let prometheus_client's Histogram.observe() fill the buckets",
    });
  }
}

const BLOCKING =
  "model.predict() blocks its thread; called from an async def handler it blocks the event loop. Run it with `await run_in_threadpool(model.predict, text)` (or anyio/asyncio to_thread)";

describe("06 error handling and observability", () => {
  // --- the API -------------------------------------------------------------------------------

  it("R06.1 the API answers", async () => {
    for (const sent of [text(0), text(1)]) {
      const exchange = await http.post("/predict", { text: sent });
      expectStatus(exchange, 200, 'add POST /predict: it takes {"text": ...} and answers 200 with the prediction');
      expectPrediction(exchange, sent);
    }
    const model = await http.get("/models/sentiment");
    expectStatus(model, 200, "add GET /models/{model_name}; the one model is named sentiment");
    expectField(model, "name", (v) => v === "sentiment", '"sentiment"');
    expectField(
      model,
      "version",
      (v) => v === MODEL_VERSION,
      `"${MODEL_VERSION}" (model.version)`,
      "report the loaded model's version, not a typed string",
    );
  });

  it("R06.2 predictions never block the event loop", async () => {
    const latency = latencyMs();
    const texts = [0, 1, 2, 3].map(text);
    const { value: results, loop } = await watchEventLoop(
      () => settle(texts.map((sent) => http.post("/predict", { text: sent }, { timeoutMs: 20_000 }))),
      { intervalMs: 20 },
    );
    for (const result of results) {
      expectStatus(answered(result, "each of 4 concurrent POST /predict", BLOCKING), 200, NEEDS_PREDICT);
    }
    expectLoopFree(loop, { limitMs: LOOP_LIMIT_MS, during: `4 POST /predict ran (each model call blocks ${latency} ms)`, hint: BLOCKING });
  });

  // --- request ids -----------------------------------------------------------------------------

  it("R06.3 every response carries a request id", async () => {
    const hint =
      "set X-Request-ID on every response in one middleware. A 500 is sent by ServerErrorMiddleware, outside every middleware you add: your handler for Exception must set the header itself, from request.state";
    const sent: Array<{ what: string; exchange: Exchange }> = [];
    const send = async (what: string, request: Promise<Exchange>) => sent.push({ what, exchange: await request });
    await send("GET /health", http.get("/health"));
    await send("POST /predict", http.post("/predict", { text: text(2) }));
    await send("POST /predict with a bad body", http.post("/predict", {}));
    await send("POST /predict with a [fail] text", http.post("/predict", { text: failingText() }));
    await send("GET /models/sentiment", http.get("/models/sentiment"));
    await send("GET /models/{an unknown name}", http.get(`/models/${unknownName()}`));
    await send("DELETE /models/sentiment", http.delete("/models/sentiment"));
    await send("GET /metrics", http.get("/metrics"));
    await send("a path no route matches", http.get(unmatchedPath()));
    const crashed = await crash();
    expectStatus(crashed, 500, NEEDS_DEBUG_ERROR);
    sent.push({ what: "GET /debug/error", exchange: crashed });

    const seen = new Map<string, string>();
    for (const { what, exchange } of sent) {
      const id = responseId(exchange, `${hint} (this was ${what}, status ${exchange.status})`);
      const earlier = seen.get(id);
      check(earlier === undefined, {
        expected: "a different request id for every request",
        got: `${what} and ${earlier} both got X-Request-ID: ${id}`,
        exchange,
        hint: "generate the id per request (uuid.uuid4().hex inside the middleware's call), not once at import or as a default value",
      });
      seen.set(id, what);
    }
  });

  it("R06.4 a valid X-Request-ID is echoed, anything else is replaced", async () => {
    const valid = [requestId("r4"), randomUUID(), `A1._-${RUN}`.padEnd(64, "z"), "7", `trace.${RUN}_span-${next()}`];
    for (const id of valid) {
      const exchange = await http.get("/health", withId(id));
      const got = exchange.headers.get("x-request-id");
      check(got === id, {
        expected: `X-Request-ID: ${id} (a valid id is echoed unchanged)`,
        got: got === null ? "no X-Request-ID header" : `X-Request-ID: ${got}`,
        exchange,
        hint: "accept the caller's id when it matches ^[A-Za-z0-9._-]{1,64}$ and send it back; generate one only when it does not",
      });
    }
    const onError = requestId("r4-404");
    const missing = await http.get(unmatchedPath(), withId(onError));
    check(missing.headers.get("x-request-id") === onError, {
      expected: `X-Request-ID: ${onError} on an error response too`,
      got: `X-Request-ID: ${missing.headers.get("x-request-id") ?? "(none)"}`,
      exchange: missing,
      hint: "the middleware sets the header on every response, error responses included",
    });

    const invalid = ["x".repeat(65), "", "has space", "<script>alert(1)</script>", "id;drop", `caf\u00e9-${RUN}`];
    for (const id of invalid) {
      const first = await http.get("/health", withId(id));
      const second = await http.get("/health", withId(id));
      const hint =
        "validate the caller's id against ^[A-Za-z0-9._-]{1,64}$ and generate a new one (uuid.uuid4().hex) when it does not match: an id that is echoed into logs and headers must be short and harmless";
      const ids = [first, second].map((exchange) => {
        const got = responseId(exchange, hint);
        check(got !== id, {
          expected: `a new X-Request-ID for an invalid one (${JSON.stringify(id)})`,
          got: `X-Request-ID: ${got}, the value sent`,
          exchange,
          hint,
        });
        return got;
      });
      check(ids[0] !== ids[1], {
        expected: `two requests with the same invalid X-Request-ID (${JSON.stringify(id.length > 30 ? `${id.slice(0, 30)}…` : id)}) to get two different new ids`,
        got: `both got X-Request-ID: ${ids[0]}`,
        exchange: second,
        hint: "generate a fresh id instead of cleaning up or shortening the one sent",
      });
    }
  });

  // --- the error envelope ----------------------------------------------------------------------

  it("R06.5 a 404 is an error envelope", async () => {
    const router =
      "the router raises Starlette's HTTPException (starlette.exceptions.HTTPException) for a path no route matches; a handler registered for FastAPI's HTTPException alone never sees it";
    const unmatchedGet = await http.get(unmatchedPath());
    expectEnvelope(unmatchedGet, 404, "not_found", router);
    const unmatchedPost = await http.post(unmatchedPath(), { text: "great" });
    expectEnvelope(unmatchedPost, 404, "not_found", router);
    const model = await http.get(`/models/${unknownName()}`);
    expectEnvelope(
      model,
      404,
      "not_found",
      "GET /models/{model_name} raises HTTPException(404) for a name other than sentiment, and your handler for HTTPException turns it into the envelope",
    );
  });

  it("R06.6 a 405 is an error envelope, with Allow", async () => {
    const cases: Array<{ method: string; path: string; allowed: string[]; needs: string }> = [
      { method: "DELETE", path: "/models/sentiment", allowed: ["GET"], needs: NEEDS_MODELS },
      { method: "GET", path: "/predict", allowed: ["POST"], needs: NEEDS_PREDICT },
      { method: "POST", path: "/health", allowed: ["GET"], needs: "keep GET /health from the scaffold" },
    ];
    for (const { method, path, allowed, needs } of cases) {
      const exchange = await http.request(method, path, method === "POST" ? { json: {} } : {});
      expectRoute(exchange, 405, `${needs}; the router answers 405 only for a path that has a route`);
      expectEnvelope(
        exchange,
        405,
        "method_not_allowed",
        "the router raises Starlette's HTTPException(405) for a wrong method; handle starlette.exceptions.HTTPException, not only FastAPI's subclass",
      );
      const header = exchange.headers.get("allow");
      const listed = new Set(
        (header ?? "")
          .split(",")
          .map((m) => m.trim().toUpperCase())
          .filter(Boolean),
      );
      const acceptable = new Set(allowed.includes("GET") ? [...allowed, "HEAD"] : allowed);
      const ok = allowed.every((m) => listed.has(m)) && [...listed].every((m) => acceptable.has(m)) && !listed.has(method);
      check(ok, {
        expected: `an Allow header listing ${allowed.join(", ")}${allowed.includes("GET") ? " (HEAD may be listed too)" : ""}, in any order`,
        got: header === null ? "no Allow header" : `Allow: ${header}`,
        exchange,
        hint: "the exception carries the Allow header in exc.headers: pass it on to your JSONResponse(headers=...)",
      });
    }
  });

  it("R06.7 a 422 is an error envelope, with details", async () => {
    const cases: Array<{ what: string; json?: unknown; raw?: string; field: boolean }> = [
      { what: "no body", field: false },
      { what: "a body that is not valid JSON", raw: '{"text": ', field: false },
      { what: "no text field", json: {}, field: true },
      { what: "text is a number", json: { text: 42 }, field: true },
      { what: "text is empty", json: { text: "" }, field: true },
      { what: `text is ${MAX_TEXT_LENGTH + 1} characters long`, json: { text: "a".repeat(MAX_TEXT_LENGTH + 1) }, field: true },
    ];
    for (const bad of cases) {
      const exchange =
        bad.raw !== undefined
          ? await http.request("POST", "/predict", { body: bad.raw, headers: { "content-type": "application/json" } })
          : bad.json !== undefined
            ? await http.post("/predict", bad.json)
            : await http.request("POST", "/predict");
      expectRoute(exchange, 422, NEEDS_PREDICT);
      const envelope = expectEnvelope(
        exchange,
        422,
        "validation_error",
        `${bad.what}: let Pydantic reject it (text: Annotated[str, Field(min_length=1, max_length=${MAX_TEXT_LENGTH})]); a handler for RequestValidationError answers the envelope`,
      );
      const details = envelope.details;
      const entries = Array.isArray(details) ? (details as unknown[]) : [];
      const wellFormed = entries.every((entry) => {
        const e = entry as { loc?: unknown; msg?: unknown } | null;
        return (
          e !== null &&
          typeof e === "object" &&
          Array.isArray(e.loc) &&
          e.loc.every((part) => typeof part === "string" || typeof part === "number") &&
          isNonEmptyString(e.msg)
        );
      });
      check(entries.length > 0 && wellFormed, {
        expected: '"error.details" to be a non-empty array of {"loc": [...], "msg": "..."}',
        got: details === undefined ? 'no "error.details"' : `"error.details": ${JSON.stringify(details)}`,
        exchange,
        hint: "build it from exc.errors(): keep each error's loc, msg and type (not input or ctx, which can echo the body or hold objects that are not JSON)",
      });
      if (bad.field) {
        const named = entries.some((entry) => {
          const loc = (entry as { loc: unknown[] }).loc;
          return loc[loc.length - 1] === "text";
        });
        check(named, {
          expected: `${bad.what}: an entry of "error.details" whose loc ends with "text"`,
          got: `"error.details": ${JSON.stringify(details)}`,
          exchange,
          hint: 'keep Pydantic\'s loc as it is, e.g. ["body", "text"]',
        });
      }
    }
  });

  it("R06.8 a model failure is a 503 error envelope", async () => {
    const hint =
      "predict() raises ModelError (from model import ModelError): register a handler for it that answers 503 with code model_error. Unhandled, it becomes a 500";
    const failing = await http.post("/predict", { text: failingText() });
    expectRoute(failing, 503, NEEDS_PREDICT);
    expectEnvelope(failing, 503, "model_error", hint);

    const transient = `${TEXTS[5]} ${transientFailureMarker(1)} #${RUN}${next()}`;
    const first = await http.post("/predict", { text: transient });
    expectEnvelope(first, 503, "model_error", `the first call with a ${transientFailureMarker(1)} text fails: ${hint}`);
    const second = await http.post("/predict", { text: transient });
    expectStatus(second, 200, `the second call with the same ${transientFailureMarker(1)} text succeeds: nothing may remember the failure`);
    expectPrediction(second, transient.replace(transientFailureMarker(1), ""));

    const health = await http.get("/health");
    expectStatus(health, 200, "a model failure must not break the server");
  });

  it("R06.9 an unhandled exception is a 500 error envelope, with nothing about the exception", async () => {
    const hint =
      "register a handler for Exception (FastAPI gives it to ServerErrorMiddleware) that answers the envelope with code internal_error and a fixed message, and keep debug mode off";
    for (let attempt = 0; attempt < 2; attempt++) {
      const exchange = await crash();
      expectStatus(
        exchange,
        500,
        'add GET /debug/error: its handler raises RuntimeError("debug: deliberate failure"), and nothing in your code catches it',
      );
      expectNoTraceback(exchange, ["RuntimeError", "deliberate failure"]);
      expectEnvelope(exchange, 500, "internal_error", hint);
    }
    const health = await http.get("/health");
    expectStatus(health, 200, "an unhandled exception in one request must not break the server");
  });

  // --- logs ------------------------------------------------------------------------------------

  it("R06.10 every request is logged in one JSON line", async (ctx) => {
    needsControl(ctx);
    const requests: Logged[] = [];
    requests.push(await loggedRequest(() => http.get("/health", withId(requestId("r10"))), "/health"));
    requests.push(
      await loggedRequest(() => http.post("/predict", { text: text(3) }, withId(requestId("r10"))), "/predict", minPredictMs()),
    );
    requests.push(await loggedRequest(() => http.get("/models/sentiment", withId(requestId("r10"))), "/models/{model_name}"));
    requests.push(await loggedRequest(() => http.get("/models/sentiment"), "/models/{model_name}"));
    requests.push(await loggedRequest(() => http.get("/health", withId("not a valid id!")), "/health"));
    for (const { exchange } of requests) {
      expectStatus(exchange, 200, exchange.request.method === "POST" ? NEEDS_PREDICT : NEEDS_MODELS);
    }
    await expectRequestLines(requests);
  });

  it("R06.11 error responses are logged too", async (ctx) => {
    needsControl(ctx);
    // The 500 first: its traceback is the longest output, and the other lines come after it.
    const requests: Logged[] = [];
    const crashed = await loggedRequest(() => crash(requestId("r11")), "/debug/error");
    expectStatus(crashed.exchange, 500, NEEDS_DEBUG_ERROR);
    requests.push(crashed);
    requests.push(await loggedRequest(() => http.get(unmatchedPath(), withId(requestId("r11"))), UNMATCHED));
    requests.push(await loggedRequest(() => http.get(`/models/${unknownName()}`, withId(requestId("r11"))), "/models/{model_name}"));
    requests.push(await loggedRequest(() => http.delete("/models/sentiment", withId(requestId("r11"))), "/models/{model_name}"));
    requests.push(await loggedRequest(() => http.post("/predict", { text: "" }, withId(requestId("r11"))), "/predict"));
    requests.push(
      await loggedRequest(() => http.post("/predict", { text: failingText() }, withId(requestId("r11"))), "/predict", minPredictMs()),
    );
    await expectRequestLines(requests);
  });

  // --- metrics ---------------------------------------------------------------------------------

  it("R06.12 GET /metrics serves both families in the Prometheus text format", async () => {
    await http.get("/health");
    await http.get("/models/sentiment");
    const metrics = await scrape("add GET /metrics: Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)");
    const contentType = metrics.exchange.headers.get("content-type") ?? "";
    check(contentType.startsWith("text/plain"), {
      expected: "Content-Type: text/plain… (the Prometheus text format)",
      got: `Content-Type: ${contentType || "(none)"}`,
      exchange: metrics.exchange,
      hint: "return a Response with media_type=prometheus_client.CONTENT_TYPE_LATEST; a JSON or HTML response is not a scrape target",
    });
    for (const [family, type] of [
      [REQUESTS, "COUNTER"],
      [DURATION, "HISTOGRAM"],
    ] as const) {
      const declared = metrics.types.get(family);
      check(declared === type, {
        expected: `# TYPE ${family} ${type.toLowerCase()}`,
        got: declared === undefined ? `no ${family} family` : `${family} declared as ${declared.toLowerCase()}`,
        exchange: metrics.exchange,
        hint:
          type === "COUNTER"
            ? 'Counter("http_requests_total", "…", ["method", "route", "status"], registry=registry) in a CollectorRegistry of your own'
            : 'Histogram("http_request_duration_seconds", "…", ["method", "route"], registry=registry)',
      });
    }
    const expectLabels = (name: string, wanted: string[], hint: string) => {
      const samples = samplesOf(metrics, name);
      check(samples.length > 0, {
        expected: `at least one ${name} series after a few requests`,
        got: `no ${name} samples`,
        exchange: metrics.exchange,
        hint: "count every request in your middleware, once its status is known",
      });
      for (const sample of samples) {
        const names = Object.keys(sample.labels).sort();
        check(JSON.stringify(names) === JSON.stringify([...wanted].sort()), {
          expected: `${name} with exactly the labels ${wanted.join(", ")}`,
          got: `${name}${renderLabels(sample.labels)}`,
          exchange: metrics.exchange,
          hint,
        });
      }
    };
    expectLabels(REQUESTS, ["method", "route", "status"], 'declare the counter with ["method", "route", "status"] and nothing else');
    expectLabels(`${DURATION}_count`, ["method", "route"], 'declare the histogram with ["method", "route"] and nothing else');
    expectLabels(`${DURATION}_sum`, ["method", "route"], 'declare the histogram with ["method", "route"] and nothing else');
    expectLabels(
      `${DURATION}_bucket`,
      ["le", "method", "route"],
      'declare the histogram with ["method", "route"]; prometheus_client adds le',
    );
  });

  it("R06.13 http_requests_total rises by exactly the traffic, labelled by route template", async () => {
    const before = await scrape();
    const traffic: Array<{ exchange: Exchange; route: string }> = [];
    const send = async (route: string, request: Promise<Exchange>) => {
      const exchange = await request;
      traffic.push({ exchange, route });
      return exchange;
    };
    await send("/health", http.get("/health"));
    await send("/health", http.get("/health"));
    expectStatus(await send("/predict", http.post("/predict", { text: text(4) })), 200, NEEDS_PREDICT);
    await send("/predict", http.post("/predict", { text: text(5) }));
    await send("/predict", http.post("/predict", { text: "" }));
    await send("/predict", http.post("/predict", { text: failingText() }));
    expectStatus(await send("/models/{model_name}", http.get("/models/sentiment")), 200, NEEDS_MODELS);
    const names = [unknownName(), unknownName(), unknownName()];
    for (const name of names) await send("/models/{model_name}", http.get(`/models/${name}`));
    await send("/models/{model_name}", http.delete("/models/sentiment"));
    const paths = [unmatchedPath(), unmatchedPath(), unmatchedPath()];
    await send(UNMATCHED, http.get(paths[0]!));
    await send(UNMATCHED, http.get(paths[1]!));
    await send(UNMATCHED, http.post(paths[2]!, { text: "great" }));
    expectStatus(await send("/debug/error", crash()), 500, NEEDS_DEBUG_ERROR);
    const after = await scrape();

    const expected = new Map<string, Change>();
    for (const { exchange, route } of traffic) {
      const labels = counted(exchange.request.method, route, exchange.status);
      const key = seriesKey(labels);
      expected.set(key, { labels, delta: (expected.get(key)?.delta ?? 0) + 1 });
    }
    const actual = changes(before, after, REQUESTS);
    for (const [key, change] of actual) if (change.labels.route === "/metrics") actual.delete(key);

    const missing = [...expected].filter(([key, change]) => actual.get(key)?.delta !== change.delta).map(([, change]) => change);
    const unexpected = [...actual].filter(([key]) => !expected.has(key)).map(([, change]) => change);
    if (missing.length === 0 && unexpected.length === 0) return;

    const labelValues = [...actual.values()].flatMap((change) => Object.values(change.labels));
    let hint = "count each request once, in the middleware, with the labels method, route (the template) and status (the response's code)";
    if (labelValues.some((value) => value.includes(RUN))) {
      hint =
        'label the route template (request.scope["route"].path, or "unmatched" when no route matched), never the raw path: every distinct URL would become a series of its own (a cardinality explosion that takes Prometheus down)';
    } else if (labelValues.some((value) => /^\dxx$/.test(value))) {
      hint = 'status is the code itself ("404"), not its class ("4xx")';
    } else if (missing.some((change) => change.labels.status === "500") && !unexpected.some((change) => change.labels.status === "500")) {
      hint =
        "the request that raised was not counted: the exception passes through your middleware (out of call_next with BaseHTTPMiddleware) before ServerErrorMiddleware answers 500. Count in a finally, as status 500";
    }
    fail({
      expected: `between two reads of /metrics, exactly these changes (the ${traffic.length} requests sent):\n  ${showChanges(REQUESTS, expected.values())}`,
      got: `these changes:\n  ${showChanges(REQUESTS, actual.values())}`,
      exchange: after.exchange,
      hint,
    });
  });

  it("R06.14 scrapes of /metrics are not counted", async () => {
    const first = await scrape();
    await scrape();
    const third = await scrape();
    const counters = changes(first, third, REQUESTS);
    const counts = changes(first, third, `${DURATION}_count`);
    check(counters.size === 0 && counts.size === 0, {
      expected:
        "no change in http_requests_total or in http_request_duration_seconds_count across three reads of /metrics with nothing else sent",
      got: `these changes:\n  ${showChanges(REQUESTS, counters.values())}\n  ${showChanges(`${DURATION}_count`, counts.values())}`,
      exchange: third.exchange,
      hint: "skip the metrics when the request's route is /metrics: a scrape is the monitoring system's traffic, not the service's",
    });
  });

  it("R06.15 http_request_duration_seconds measures each request in seconds", async () => {
    const before = await scrape();
    expectCumulative(before);
    const waits: number[] = [];
    for (let n = 0; n < 3; n++) {
      const exchange = await http.post("/predict", { text: text(n) });
      expectStatus(exchange, 200, NEEDS_PREDICT);
      waits.push(exchange.durationMs / 1000);
    }
    const names = [unknownName(), unknownName()];
    for (const name of names) await http.get(`/models/${name}`);
    const after = await scrape();
    expectCumulative(after);

    const predict = { method: "POST", route: "/predict" };
    const was = histogramOf(before, predict);
    const now = histogramOf(after, predict);
    const labels = renderLabels(predict);
    const series = `${DURATION}${labels}`;
    const unitHint =
      "observe seconds: histogram.observe(time.perf_counter() - start), measured from when the request arrives to when its response is sent; milliseconds make every request look 1000 times slower";
    check(now.count !== undefined && now.count - (was.count ?? 0) === 3, {
      expected: `${DURATION}_count${labels} to rise by exactly 3 (3 POST /predict sent)`,
      got: now.count === undefined ? `no ${DURATION}_count${labels}` : `it rose by ${now.count - (was.count ?? 0)}`,
      exchange: after.exchange,
      hint: "observe every request once, in the middleware, labelled by method and route template",
    });
    const least = (3 * minPredictMs()) / 1000;
    const most = waits.reduce((a, b) => a + b, 0) + 0.01;
    const grew = (now.sum ?? 0) - (was.sum ?? 0);
    check(grew >= least && grew <= most, {
      expected: `${DURATION}_sum${labels} to rise by between ${least.toFixed(2)} s (the model alone takes ${latencyMs()} ms per request) and ${most.toFixed(3)} s (what the suite waited for the 3 responses)`,
      got: `it rose by ${grew}`,
      exchange: after.exchange,
      hint: unitHint,
    });
    const longest = Math.max(...waits);
    for (const [le, count] of now.buckets) {
      const rose = count - (was.buckets.get(le) ?? 0);
      if (le < minPredictMs() / 1000) {
        check(rose === 0, {
          expected: `the bucket le="${le}" of ${series} not to rise: no prediction took under ${minPredictMs()} ms`,
          got: `it rose by ${rose}`,
          exchange: after.exchange,
          hint: unitHint,
        });
      } else if (le >= longest) {
        check(rose === 3, {
          expected: `the bucket le="${le}" of ${series} to rise by 3: every prediction took at most ${Math.round(longest * 1000)} ms`,
          got: `it rose by ${rose}`,
          exchange: after.exchange,
          hint: unitHint,
        });
      }
    }

    const models = { method: "GET", route: "/models/{model_name}" };
    const modelsBefore = histogramOf(before, models).count ?? 0;
    const modelsAfter = histogramOf(after, models).count;
    check(modelsAfter !== undefined && modelsAfter - modelsBefore === 2, {
      expected: `${DURATION}_count${renderLabels(models)} to rise by exactly 2 (two GET /models/{name} for unknown names, answered 404)`,
      got: modelsAfter === undefined ? "no such series" : `it rose by ${modelsAfter - modelsBefore}`,
      exchange: after.exchange,
      hint: "observe every request, errors included, under its route template",
    });
    const leaked = samplesOf(after, `${DURATION}_count`).find((sample) =>
      Object.values(sample.labels).some((value) => names.some((name) => value.includes(name))),
    );
    check(leaked === undefined, {
      expected: "no series that names the unknown model names",
      got: leaked ? `${DURATION}_count${renderLabels(leaked.labels)}` : "",
      exchange: after.exchange,
      hint: 'label the route template (request.scope["route"].path), never the raw path',
    });
  });
});
