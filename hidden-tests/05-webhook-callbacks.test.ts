// Practice 05: webhook callbacks. Every test is named after the README requirement it checks.
//
// Each test runs its own loopback receivers, so that one test's callbacks, and the retries still
// running from an earlier test, never land in another test's receiver. Timing checks measure
// arrival times at the receiver: a gap between two attempts can only be longer than the server's
// wait (the receiver records an arrival before it answers, and the server starts waiting after
// the answer), so the lower bounds hold on a loaded machine; the upper bounds sit between the
// schedule and a schedule twice as slow, which no load can make faster.
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "vitest";
import {
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
  knobText,
  sleep,
  watchEventLoop,
  type Exchange,
  type LoopWatch,
  type ReceivedRequest,
} from "./harness/index.js";
import { expectedPrediction, FAILURE_MARKER, MODEL_VERSION } from "./harness/model.js";

const TEXTS = [
  "great service, would recommend",
  "Terrible support and a slow refund.",
  "I love how fast and reliable this is!",
  "worst update ever: broken, buggy, awful",
  "never again, I hate the bugs",
];

const SECRET = knobText("WEBHOOK_SECRET");
const MAX_ATTEMPTS = knob("WEBHOOK_MAX_ATTEMPTS");
const BACKOFF_BASE_MS = knob("WEBHOOK_BACKOFF_BASE_MS");
const TIMEOUT_MS = knob("WEBHOOK_TIMEOUT_MS");

const CALLBACK_PATH = "/hooks/sentiment?tenant=7";
const FAST_REPLY_MS = 250;
const JOB_DEADLINE_MS = 5000;
const SETTLE_DEADLINE_MS = 5000;
const HOLD_MS = 1500;
/** How long the check listens for a request that must not come: three times the first backoff. */
const QUIET_MS = 300;
/** R05.8: long enough for a fourth attempt after the 400 ms wait a server that ignored the 200 would take. */
const QUIET_AFTER_TIMEOUTS_MS = 500;
/** R05.10: longer than the wait before a fifth attempt (WEBHOOK_BACKOFF_BASE_MS × 2^3). */
const QUIET_AFTER_LAST_MS = 1000;
const SLOW_RECEIVER_MS = 2000;
const MAX_TEXT_LENGTH = 1000;
/** R05.12: the longest a GET /health probe may wait while callbacks and predictions are in flight. */
const LOOP_LIMIT_MS = 150;
const LOOP_PROBE_INTERVAL_MS = 20;
/** R05.12: the loop is watched in this many rounds, and fails only when it was blocked in every one. */
const LOOP_ROUNDS = 2;
/** R05.12: while the loop is watched, a new job every this many ms keeps predictions running. */
const FEED_INTERVAL_MS = 150;

/** The planned wait after failed attempt n (1-based). */
const backoffMs = (attempt: number) => BACKOFF_BASE_MS * 2 ** (attempt - 1);
/** R05.7: each gap between arrivals is at least this share of its wait (a schedule twice as fast falls below). */
const MIN_GAP_SHARE = 0.9;
/** R05.7 and R05.8: the gaps together stay under this multiple of the schedule (a schedule twice as slow goes over). */
const MAX_TOTAL_SHARE = 1.7;
/** R05.8: each gap after a timeout is at least this share of WEBHOOK_TIMEOUT_MS plus its wait. */
const MIN_TIMEOUT_GAP_SHARE = 0.75;
const minGapMs = (attempt: number) => MIN_GAP_SHARE * backoffMs(attempt);
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

const jobPath = (id: string) => `/jobs/${encodeURIComponent(id)}`;
const logPath = (id: string) => `/jobs/${encodeURIComponent(id)}/deliveries`;

const BACKGROUND_HINT =
  "deliver in the background: when the job finishes, start a task (asyncio.create_task, kept in a set) or put the delivery on a queue that a worker started in the lifespan drains";
const RETRY_HINT = `retry 5xx answers, timeouts and connection errors: WEBHOOK_MAX_ATTEMPTS attempts in all, waiting WEBHOOK_BACKOFF_BASE_MS × 2^(n−1) ms (${[1, 2, 3].map(backoffMs).join(", ")} ms …) after failed attempt n`;

// --- receivers -------------------------------------------------------------------------------

interface Reply {
  status?: number;
  /** Hold the answer at least this long. */
  delayMs?: number;
  /**
   * Runs the moment the request arrives; the answer waits until it has settled. This is how a
   * receiver reads the server's state back before it acknowledges the callback.
   */
  before?: (request: ReceivedRequest) => Promise<unknown>;
}

/**
 * A loopback receiver whose arrivals can be awaited, with the plan of answers it follows. (The
 * harness's startReceiver answers synchronously; a receiver here can hold its answer until a
 * read-back of the server's state has answered.)
 */
interface Hook {
  /** The callback URL to put in a job: the receiver plus CALLBACK_PATH. */
  url: string;
  /** The receiver's own URL, with no path: http://127.0.0.1:PORT */
  origin: string;
  requests: ReceivedRequest[];
  replies: Reply[];
  /** Resolves with the request number `index` (0-based) when it arrives, or undefined after `timeoutMs`. */
  arrival(index: number, timeoutMs: number): Promise<ReceivedRequest | undefined>;
  close(): Promise<void>;
}

const open: Hook[] = [];

async function startHook(plan: (index: number) => Reply = () => ({ status: 200 })): Promise<Hook> {
  const waiters = new Map<number, Array<(request: ReceivedRequest) => void>>();
  const requests: ReceivedRequest[] = [];
  const replies: Reply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request: ReceivedRequest = {
        method: req.method ?? "GET",
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        receivedAt: Date.now(),
      };
      const index = requests.push(request) - 1;
      const reply = plan(index);
      replies[index] = reply;
      const holds: Array<Promise<unknown>> = [];
      // Started before the waiters wake, so a read-back goes out the moment the request arrives.
      if (reply.before) holds.push(reply.before(request).catch(() => undefined));
      if (reply.delayMs) holds.push(sleep(reply.delayMs));
      for (const wake of waiters.get(index) ?? []) wake(request);
      waiters.delete(index);
      void Promise.all(holds).then(() => {
        if (res.destroyed) return; // the server gave up on this attempt (its timeout)
        res.writeHead(reply.status ?? 200, { "content-type": "application/json" });
        res.end("{}");
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hook: Hook = {
    url: `${origin}${CALLBACK_PATH}`,
    origin,
    requests,
    replies,
    arrival(index, timeoutMs) {
      const already = requests[index];
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        const list = waiters.get(index) ?? [];
        list.push((request) => {
          clearTimeout(timer);
          resolve(request);
        });
        waiters.set(index, list);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  open.push(hook);
  return hook;
}

/** Closes every receiver the current test started, even when it failed. */
async function closeHooks(): Promise<void> {
  await Promise.all(open.splice(0).map((hook) => hook.close()));
}

/** A loopback URL where nothing listens: a receiver's port, after closing it. */
async function deadUrl(): Promise<string> {
  const hook = await startHook();
  open.splice(open.indexOf(hook), 1);
  await hook.close();
  return hook.url;
}

/** Waits until `hook` has received `count` requests or `deadline` (a Date.now() value) passes. */
async function waitForCount(hook: Hook, count: number, deadline: number): Promise<boolean> {
  while (hook.requests.length < count) {
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
  return true;
}

function header(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** What the receiver saw, as a reviewer would list it: one line per attempt. */
function describeArrivals(hook: Hook, since: number): string {
  if (hook.requests.length === 0) return "the receiver got no request at all";
  const lines = hook.requests.map((request, index) => {
    const reply = hook.replies[index] ?? {};
    const answer = reply.delayMs ? `held ${reply.delayMs} ms, then ${reply.status ?? 200}` : `answered ${reply.status ?? 200}`;
    const gap = index > 0 ? `, ${request.receivedAt - hook.requests[index - 1]!.receivedAt} ms after the previous` : "";
    return `  attempt ${index + 1}: ${request.method} ${request.path} at +${request.receivedAt - since} ms${gap} (${answer}); X-Webhook-Delivery: ${header(request, "x-webhook-delivery") ?? "(none)"}`;
  });
  return `${hook.requests.length} request(s) arrived:\n${lines.join("\n")}`;
}

function describeRequest(request: ReceivedRequest): string {
  const headers = Object.entries(request.headers)
    .filter(([name]) => name.startsWith("x-webhook") || name === "content-type")
    .map(([name, value]) => `  ${name}: ${String(value)}`);
  const body = request.body.length > 600 ? `${request.body.slice(0, 600)}…` : request.body;
  return `${request.method} ${request.path}\n${headers.join("\n")}\n  body: ${body || "(empty)"}`;
}

// --- jobs ------------------------------------------------------------------------------------

const NEEDS_SUBMIT_HINT =
  'this needs POST /jobs (R05.1) first: it takes {"text": ..., "callback_url": ...} and answers 202 with the new job\'s id';

/**
 * Submits a job and returns its id. Only R05.1 insists on 202; the other requirements accept any
 * success status so that one mistake fails one requirement.
 */
async function submitJob(
  text: string,
  callbackUrl: string,
  hint = NEEDS_SUBMIT_HINT,
): Promise<{ id: string; exchange: Exchange; submittedAt: number }> {
  const submittedAt = Date.now();
  const exchange = await http.post("/jobs", { text, callback_url: callbackUrl });
  expectStatus(exchange, [202, 201, 200], hint);
  const id = expectField(exchange, "id", isNonEmptyString, "a non-empty string (the job id)") as string;
  return { id, exchange, submittedAt };
}

/**
 * A receiver's plan that reads GET /jobs/{id} back the moment the callback arrives and answers
 * only once that read has answered: what the job reads then is what it read when the callback
 * was sent. `id` resolves with the job's id once POST /jobs has answered.
 */
function readBackOnArrival(id: () => Promise<string>): { reply: Reply; readBack: () => Promise<Exchange> | undefined } {
  let readBack: Promise<Exchange> | undefined;
  const reply: Reply = {
    status: 200,
    before: () => {
      readBack = id().then((jobId) => http.get(jobPath(jobId)));
      return readBack;
    },
  };
  return { reply, readBack: () => readBack };
}

function isPrediction(value: unknown, text: string): boolean {
  const expected = expectedPrediction(text);
  if (!value || typeof value !== "object") return false;
  const prediction = value as Record<string, unknown>;
  return (
    prediction.label === expected.label &&
    typeof prediction.score === "number" &&
    Math.abs(prediction.score - expected.score) < 1e-6 &&
    prediction.model_version === MODEL_VERSION
  );
}

/**
 * The hint for a second callback where the receiver answered 200 once its read-back of the job had
 * answered: a read-back as slow as the attempt's timeout means the server could not serve it while
 * it waited for the receiver.
 */
function onceHint(readBack: Exchange, otherwise: string): string {
  const readMs = Math.round(readBack.durationMs);
  if (readMs < 0.8 * TIMEOUT_MS) return otherwise;
  return `the receiver answered 200 as soon as its GET /jobs/{id} had answered, and that took ${readMs} ms: your server could not answer it while it waited for the receiver, so attempt 1 timed out and was retried. Something blocks the event loop during the callback (a blocking HTTP client such as requests or httpx.Client): see R05.12`;
}

/** Two predictions with the same label, score and model version (the order of keys does not matter). */
function samePrediction(a: unknown, b: unknown): boolean {
  if (!a || !b || typeof a !== "object" || typeof b !== "object") return false;
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  return x.label === y.label && x.score === y.score && x.model_version === y.model_version;
}

function predictionText(text: string): string {
  const expected = expectedPrediction(text);
  return JSON.stringify({ label: expected.label, score: expected.score, model_version: MODEL_VERSION });
}

/** Polls the delivery log until its status is no longer "pending"; returns the last answer. */
async function settledLog(id: string, deadline: number, what: string): Promise<Exchange> {
  for (;;) {
    const exchange = await http.get(logPath(id));
    expectStatus(exchange, 200, "GET /jobs/{job_id}/deliveries answers 200 with the job's delivery log (see Shapes)");
    const status = expectJsonObject(exchange).status;
    if (status !== "pending") return exchange;
    if (Date.now() > deadline) {
      fail({
        expected: `the delivery log of the job (${what}) to settle ("delivered" or "failed") within ${SETTLE_DEADLINE_MS / 1000} s of the submission`,
        got: 'its status is still "pending"',
        exchange,
        hint: `set the status when the delivery ends: "delivered" after a 2xx, "failed" after a 4xx or when the last of WEBHOOK_MAX_ATTEMPTS attempts fails; ${RETRY_HINT}`,
      });
    }
    await sleep(25);
  }
}

// --- signatures ------------------------------------------------------------------------------

function hmacHex(message: string | Buffer): string {
  return createHmac("sha256", SECRET).update(message).digest("hex");
}

/** What Python's json.dumps(value) gives with its defaults: ", " and ": " separators, ASCII only. */
function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(", ")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(item)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Names the usual mistake behind a signature that does not verify, when it can tell. */
function diagnoseSignature(timestamp: string, body: string, sent: string): string {
  const raw = Buffer.from(body, "utf8");
  const candidates: Array<[string, string]> = [
    [hmacHex(raw), "it is the HMAC of the body alone: sign `{timestamp}.{body}`, the timestamp and a full stop first"],
    [hmacHex(Buffer.concat([Buffer.from(timestamp), raw])), 'the full stop is missing: the message is timestamp + "." + body'],
    [
      hmacHex(`${timestamp}.b'${body}'`),
      'you signed the repr of a bytes object (f"{timestamp}.{body}" with body as bytes gives "b\'...\'"): concatenate bytes instead, f"{timestamp}.".encode() + body',
    ],
  ];
  let reserialised: string | undefined;
  try {
    reserialised = pythonJsonDumps(JSON.parse(body));
  } catch {
    reserialised = undefined;
  }
  if (reserialised !== undefined && reserialised !== body) {
    candidates.push([
      hmacHex(`${timestamp}.${reserialised}`),
      'you signed json.dumps(payload) (with spaces after "," and ":") but sent other bytes: serialise once, sign those exact bytes and send them with content=',
    ]);
  }
  const hex = sent.replace(/^sha256=/i, "");
  for (const [digest, why] of candidates) if (hex.toLowerCase() === digest) return why;
  const base64 = createHmac("sha256", SECRET).update(`${timestamp}.`).update(raw).digest("base64");
  if (hex === base64) return "the digest is base64: send it as lowercase hex (hexdigest())";
  return "either the key is not WEBHOOK_SECRET (read from the environment, as UTF-8 bytes), or the bytes you signed are not the bytes you sent: serialise the body once, sign those bytes and send them with content=, not json= (which serialises again)";
}

/** Checks one arrival's signature headers and signature; returns its delivery id. */
function expectSigned(request: ReceivedRequest, what: string): string {
  const shown = `${what}:\n${describeRequest(request)}`;
  const deliveryId = header(request, "x-webhook-delivery");
  check(isNonEmptyString(deliveryId), {
    expected: `an X-Webhook-Delivery header (the delivery id) on ${what}`,
    got: shown,
    hint: "generate one id per job's callback (e.g. uuid4) when the delivery is created, and send it on every attempt",
  });
  const timestamp = header(request, "x-webhook-timestamp");
  check(timestamp !== undefined && /^\d+$/.test(timestamp), {
    expected: `an X-Webhook-Timestamp header of plain digits (Unix time in whole seconds) on ${what}`,
    got: shown,
    hint: "str(int(time.time())): whole seconds, no fraction, no ISO date",
  });
  const skewS = Math.abs(Number(timestamp) - request.receivedAt / 1000);
  check(skewS <= 30, {
    expected: `X-Webhook-Timestamp within 30 s of the time the callback arrived (${Math.floor(request.receivedAt / 1000)})`,
    got: `X-Webhook-Timestamp: ${timestamp}, ${Math.round(skewS)} s off`,
    hint: "the timestamp is Unix time in seconds when the attempt is sent: int(time.time()), not milliseconds and not the job's creation time",
  });
  const signature = header(request, "x-webhook-signature");
  check(signature !== undefined && /^sha256=[0-9a-f]{64}$/.test(signature), {
    expected: `an X-Webhook-Signature header "sha256=" + 64 lowercase hex digits on ${what}`,
    got: shown,
    hint: 'f"sha256={hmac.new(secret, message, hashlib.sha256).hexdigest()}"',
  });
  const expected = `sha256=${hmacHex(Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(request.body, "utf8")]))}`;
  check(signature === expected, {
    expected: `X-Webhook-Signature: ${expected} (HMAC-SHA256 with WEBHOOK_SECRET over "${timestamp}." + the raw body received)`,
    got: `X-Webhook-Signature: ${signature} on ${shown}`,
    hint: diagnoseSignature(timestamp, request.body, signature),
  });
  return deliveryId;
}

function parseBody(request: ReceivedRequest, what: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    fail({
      expected: `${what} to carry a JSON object as its body`,
      got: describeRequest(request),
      hint: "send the serialised event with Content-Type: application/json",
    });
  }
  return body as Record<string, unknown>;
}

/** Every attempt the receiver got carries the same delivery id and the same body, each validly signed. */
function expectSameDelivery(hook: Hook, since: number): void {
  const first = hook.requests[0]!;
  const id = expectSigned(first, "attempt 1");
  hook.requests.forEach((request, index) => {
    if (index === 0) return;
    const again = expectSigned(request, `attempt ${index + 1}`);
    check(again === id, {
      expected: `the same X-Webhook-Delivery on every attempt of one callback (attempt 1 had ${id})`,
      got: `attempt ${index + 1} had ${again}\n${describeArrivals(hook, since)}`,
      hint: "create the delivery id once per job's callback, outside the retry loop, so that a receiver can recognise a retry and drop the duplicate",
    });
    check(request.body === first.body, {
      expected: "the same body bytes on every attempt of one callback",
      got: `attempt 1 sent ${first.body}\nattempt ${index + 1} sent ${request.body}`,
      hint: "serialise the event once, before the first attempt, and send those bytes every time",
    });
  });
}

// ---------------------------------------------------------------------------------------------

describe("05 webhook callbacks", () => {
  it("R05.1 POST /jobs accepts a job at once", async () => {
    try {
      const hook = await startHook();
      // The suite's first requests open the connection and pay for the server's first request
      // with a body (imports and caches warming up); keep that cost out of the timing below.
      await http.get("/health");
      await http.post("/jobs", {});
      const { id, exchange } = await submitJob(
        TEXTS[0]!,
        hook.url,
        'POST /jobs takes {"text": ..., "callback_url": ...} and answers 202 with the new job',
      );
      expectStatus(exchange, 202, "POST /jobs answers 202 Accepted: the work is accepted, not done yet");
      check(exchange.durationMs <= FAST_REPLY_MS, {
        expected: `POST /jobs to answer within ${FAST_REPLY_MS} ms, before the model has run`,
        got: `the answer took ${Math.round(exchange.durationMs)} ms`,
        exchange,
        hint: "store the job as queued, hand it to a background worker and return; never await the prediction or the callback in this handler, and never call model.predict() on the event loop",
      });
      expectField(exchange, "status", (v) => v === "queued", '"queued"', "a new job has not started yet: its first status is queued");
      expectHeader(
        exchange,
        "location",
        (value) => decodeURIComponent(new URL(value, `${baseUrl()}/`).pathname) === `/jobs/${id}`,
        `set Location: /jobs/${id} (the job's own URL) on the 202 response, for example through a Response parameter`,
      );
      const again = await submitJob(TEXTS[1]!, hook.url, "every valid job request is accepted, not only the first");
      check(again.id !== id, {
        expected: "a different id for every job",
        got: `two submissions both got id ${JSON.stringify(id)}`,
        exchange: again.exchange,
        hint: "generate the id per job, e.g. uuid.uuid4().hex",
      });
      const followed = await http.get(new URL(exchange.headers.get("location")!, `${baseUrl()}/`).pathname);
      expectStatus(followed, 200, "the Location header must point at GET /jobs/{job_id} for this job");
      expectField(followed, "id", (v) => v === id, JSON.stringify(id));
    } finally {
      await closeHooks();
    }
  });

  it("R05.2 a bad job request is rejected with 422, and no callback is sent", async () => {
    try {
      const hook = await startHook();
      const text = TEXTS[0]!;
      const url = hook.url;
      const cases: Array<{ what: string; json?: unknown; raw?: string }> = [
        { what: "the body is not valid JSON", raw: `{"text": "great", "callback_url": "${url}"` },
        { what: "no text field", json: { callback_url: url } },
        { what: "text is null", json: { text: null, callback_url: url } },
        { what: "text is a number", json: { text: 42, callback_url: url } },
        { what: "text is empty", json: { text: "", callback_url: url } },
        { what: `text is ${MAX_TEXT_LENGTH + 1} characters long`, json: { text: "a".repeat(MAX_TEXT_LENGTH + 1), callback_url: url } },
        { what: "no callback_url field", json: { text } },
        { what: "callback_url is null", json: { text, callback_url: null } },
        { what: "callback_url is a number", json: { text, callback_url: 42 } },
        { what: 'callback_url is "not a url"', json: { text, callback_url: "not a url" } },
        { what: "callback_url is a relative path", json: { text, callback_url: "/hooks/x" } },
        { what: "callback_url is an ftp:// URL", json: { text, callback_url: url.replace(/^http:/, "ftp:") } },
      ];
      for (const bad of cases) {
        const exchange =
          bad.raw === undefined
            ? await http.post("/jobs", bad.json)
            : await http.request("POST", "/jobs", { body: bad.raw, headers: { "content-type": "application/json" } });
        expectStatus(
          exchange,
          422,
          `${bad.what}: declare the body as a Pydantic model with text: Annotated[str, Field(min_length=1, max_length=${MAX_TEXT_LENGTH})] and callback_url: HttpUrl, and let FastAPI reject it`,
        );
      }
      await sleep(QUIET_MS);
      check(hook.requests.length === 0, {
        expected: "no callback for a request that was rejected",
        got: describeArrivals(hook, hook.requests[0]?.receivedAt ?? Date.now()),
        hint: "validate the whole body before a job exists: a rejected request must not create a job or a delivery",
      });
      const longest = await http.post("/jobs", { text: "a".repeat(MAX_TEXT_LENGTH), callback_url: url });
      check(longest.status >= 200 && longest.status < 300, {
        expected: `a text of exactly ${MAX_TEXT_LENGTH} characters to be accepted by POST /jobs (a 2xx status)`,
        got: `status ${longest.status}`,
        exchange: longest,
        hint: `the limit is inclusive: max_length=${MAX_TEXT_LENGTH}`,
      });
    } finally {
      await closeHooks();
    }
  });

  it("R05.3 a job runs and GET /jobs/{id} reports its result", async () => {
    try {
      const hook = await startHook();
      const text = TEXTS[1]!;
      const { id, submittedAt } = await submitJob(text, hook.url);
      const seen: string[] = [];
      for (;;) {
        const exchange = await http.get(jobPath(id));
        expectStatus(exchange, 200, "GET /jobs/{job_id} answers 200 with the job for every id POST /jobs returned");
        const status = expectField(
          exchange,
          "status",
          (v) => v === "queued" || v === "running" || v === "succeeded" || v === "failed",
          'one of "queued", "running", "succeeded", "failed"',
        ) as string;
        if (seen[seen.length - 1] !== status) seen.push(status);
        if (status === "failed") {
          fail({
            expected: "the job to succeed",
            got: "it failed",
            exchange,
            hint: "look at the server's output for the exception the worker caught",
          });
        }
        if (status === "succeeded") {
          expectField(
            exchange,
            "result",
            (v) => isPrediction(v, text),
            `${predictionText(text)} (the model's prediction for this job's text)`,
            "store model.predict(text)'s label and score unchanged on the job, plus model_version, before you mark it succeeded",
          );
          break;
        }
        expectField(
          exchange,
          "result",
          (v) => v === null || v === undefined,
          `null while the job is ${status}`,
          "there is no result until the model has answered",
        );
        if (Date.now() - submittedAt > JOB_DEADLINE_MS) {
          fail({
            expected: `the job to succeed within ${JOB_DEADLINE_MS / 1000} s`,
            got: `still ${JSON.stringify(status)} (statuses seen: ${seen.join(" -> ")})`,
            exchange,
            hint:
              status === "queued"
                ? "nothing picks the job up: start a worker task in the lifespan (or use BackgroundTasks)"
                : "the worker must set the status to succeeded after storing the result",
          });
        }
        await sleep(20);
      }
    } finally {
      await closeHooks();
    }
  });

  it("R05.4 an unknown job id is a 404", async () => {
    try {
      const hook = await startHook();
      const { id } = await submitJob(TEXTS[2]!, hook.url);
      const known = await http.get(jobPath(id));
      expectStatus(known, 200, "GET /jobs/{job_id} answers 200 for an id POST /jobs returned");
      const knownLog = await http.get(logPath(id));
      expectStatus(
        knownLog,
        200,
        "GET /jobs/{job_id}/deliveries answers 200 for an id POST /jobs returned, from the moment the job exists",
      );
      for (const unknown of ["00000000-0000-4000-8000-000000000000", "no-such-job", `${id}x`]) {
        for (const path of [jobPath(unknown), logPath(unknown)]) {
          const exchange = await http.get(path);
          expectStatus(
            exchange,
            404,
            "look the id up in the job store and raise HTTPException(status_code=404) when it is missing (one dependency can do it for both routes); a KeyError becomes a 500",
          );
          expectField(exchange, "detail", isNonEmptyString, "a message saying the job does not exist");
        }
      }
    } finally {
      await closeHooks();
    }
  });

  it("R05.5 the callback is sent once the job has finished", async () => {
    try {
      const text = TEXTS[3]!;
      let submitted: ReturnType<typeof submitJob> | undefined;
      const { reply, readBack } = readBackOnArrival(async () => (await submitted!).id);
      const hook = await startHook((index) => (index === 0 ? reply : { status: 200 }));
      // A callback_url with no path at all: HttpUrl makes it ".../", the plain string does not;
      // both are the same request on the wire (POST /), and both pass.
      const bare = await startHook();
      submitted = submitJob(text, hook.url);
      const { id, submittedAt } = await submitted;
      const bareJob = await submitJob(TEXTS[0]!, bare.origin);
      const request = await hook.arrival(0, JOB_DEADLINE_MS);
      if (!request) {
        fail({
          expected: `a callback at ${hook.url} within ${JOB_DEADLINE_MS / 1000} s of submitting the job`,
          got: "the receiver got no request at all",
          hint: `when a job finishes, POST the event to its callback_url; ${BACKGROUND_HINT}`,
        });
      }
      check(request.method === "POST" && request.path === CALLBACK_PATH, {
        expected: `POST ${CALLBACK_PATH} (the callback_url's path and query string, unchanged)`,
        got: `${request.method} ${request.path}`,
        hint: "send to the callback_url as the client gave it (the string, or str() of the HttpUrl); do not rebuild the URL from its parts",
      });
      check((header(request, "content-type") ?? "").toLowerCase().startsWith("application/json"), {
        expected: "Content-Type: application/json on the callback",
        got: describeRequest(request),
        hint: "set the header yourself when you send raw bytes with content=",
      });
      const body = parseBody(request, "the callback");
      const problems: string[] = [];
      if (body.event !== "job.completed") problems.push(`"event" should be "job.completed", got ${JSON.stringify(body.event)}`);
      if (body.job_id !== id) problems.push(`"job_id" should be ${JSON.stringify(id)}, got ${JSON.stringify(body.job_id)}`);
      if (body.status !== "succeeded") problems.push(`"status" should be "succeeded", got ${JSON.stringify(body.status)}`);
      if (!isPrediction(body.result, text)) problems.push(`"result" should be ${predictionText(text)}, got ${JSON.stringify(body.result)}`);
      check(problems.length === 0, {
        expected: 'a callback body {"event": "job.completed", "job_id": …, "status": "succeeded", "result": {the prediction}}',
        got: `${problems.join("; ")}\n${describeRequest(request)}`,
        hint: "build the event from the finished job, after its result is stored: a callback sent when the job starts (or before the result is stored) reports nothing useful",
      });

      // Read back before the receiver answered: what the partner reads on receiving the callback.
      const job = await readBack();
      if (!job) throw new Error("the receiver did not read the job back");
      expectStatus(job, 200, "GET /jobs/{job_id} answers 200 for an id POST /jobs returned");
      const stored = expectJsonObject(job);
      check(stored.status === "succeeded" && samePrediction(stored.result, body.result), {
        expected: `GET /jobs/${id}, sent the moment the callback arrived (the receiver answered only after it), to show status "succeeded" and the result the callback carries`,
        got: `status ${JSON.stringify(stored.status)}, result ${JSON.stringify(stored.result)}; the callback said "succeeded" with ${JSON.stringify(body.result)}`,
        exchange: job,
        hint: "store the result and mark the job succeeded first, then start the delivery: a partner that reads the job back on receiving the callback must see what the callback says (awaiting the delivery before you store the outcome gets this backwards)",
      });

      const bareRequest = await bare.arrival(0, bareJob.submittedAt + JOB_DEADLINE_MS - Date.now());
      check(bareRequest?.method === "POST" && bareRequest.path === "/", {
        expected: `POST / at the receiver for a job whose callback_url has no path (${bare.origin})`,
        got: bareRequest ? `${bareRequest.method} ${bareRequest.path}` : "the receiver got no request at all",
        hint: "send to the callback_url as the client gave it: an empty path is requested as /, whether you keep the string or str() of the HttpUrl",
      });

      await sleep(QUIET_MS);
      check(hook.requests.length === 1, {
        expected: "exactly one callback when the receiver answers 200",
        got: describeArrivals(hook, submittedAt),
        hint: onceHint(job, "a 2xx answer ends the delivery: stop retrying, and send one callback per job, not one per status change"),
      });
    } finally {
      await closeHooks();
    }
  });

  it("R05.6 the callback is signed", async () => {
    try {
      const hook = await startHook();
      const first = await submitJob(TEXTS[0]!, hook.url);
      const second = await submitJob(TEXTS[4]!, hook.url);
      const arrived = await waitForCount(hook, 2, first.submittedAt + JOB_DEADLINE_MS);
      check(arrived, {
        expected: `one callback for each of two jobs within ${JOB_DEADLINE_MS / 1000} s`,
        got: describeArrivals(hook, first.submittedAt),
        hint: `R05.5 comes first: when a job finishes, POST the event to its callback_url; ${BACKGROUND_HINT}`,
      });
      const ids = hook.requests.slice(0, 2).map((request, index) => expectSigned(request, `the callback for job ${index + 1}`));
      check(ids[0] !== ids[1], {
        expected: "a different X-Webhook-Delivery for every job",
        got: `jobs ${first.id} and ${second.id} both had X-Webhook-Delivery: ${ids[0]}`,
        hint: "generate the delivery id per job (uuid4), not once per process",
      });
    } finally {
      await closeHooks();
    }
  });

  it("R05.7 a 5xx answer is retried with exponential backoff, as the same delivery", async () => {
    try {
      const statuses = [500, 502, 503, 200];
      const hook = await startHook((index) => ({ status: statuses[index] ?? 200 }));
      const { submittedAt } = await submitJob(TEXTS[1]!, hook.url);
      const arrived = await waitForCount(hook, 4, submittedAt + JOB_DEADLINE_MS);
      check(arrived, {
        expected: `4 attempts within ${JOB_DEADLINE_MS / 1000} s of the submission: the receiver answers 500, 502, 503, then 200`,
        got: describeArrivals(hook, submittedAt),
        hint: hook.requests.length === 0 ? `no callback at all: R05.5 comes first` : RETRY_HINT,
      });
      await sleep(QUIET_MS);
      check(hook.requests.length === 4, {
        expected: "no attempt after the receiver answered 200",
        got: describeArrivals(hook, submittedAt),
        hint: "a 2xx ends the delivery",
      });
      const gaps = [1, 2, 3].map((n) => hook.requests[n]!.receivedAt - hook.requests[n - 1]!.receivedAt);
      // Waits that double but start too low are an off-by-one in the exponent, not a wrong curve.
      const doubling = gaps[1]! >= 1.7 * gaps[0]! && gaps[2]! >= 1.7 * gaps[1]!;
      gaps.forEach((gap, index) => {
        const attempt = index + 1;
        check(gap >= minGapMs(attempt), {
          expected: `attempt ${attempt + 1} at least ${minGapMs(attempt)} ms after attempt ${attempt} (the wait after failed attempt ${attempt} is WEBHOOK_BACKOFF_BASE_MS × 2^${attempt - 1} = ${backoffMs(attempt)} ms)`,
          got: describeArrivals(hook, submittedAt),
          hint: doubling
            ? `the waits double but are too short, about half the schedule: is the attempt counted from 0 somewhere (a retry counter plugged into base × 2^(n−1))? The first wait is the base itself (${backoffMs(1)} ms). ${RETRY_HINT}`
            : `the wait doubles after every failure: base × 2 ** (n - 1) seconds, with base = WEBHOOK_BACKOFF_BASE_MS / 1000; a constant or linearly growing wait is not exponential backoff. ${RETRY_HINT}`,
        });
      });
      const planned = sum([1, 2, 3].map(backoffMs));
      const allowed = Math.round(MAX_TOTAL_SHARE * planned);
      check(sum(gaps) <= allowed, {
        expected: `the three gaps together at most ${allowed} ms (${MAX_TOTAL_SHARE} × the ${planned} ms the schedule waits: ${[1, 2, 3].map(backoffMs).join(" + ")})`,
        got: `${sum(gaps)} ms (${gaps.join(" + ")})\n${describeArrivals(hook, submittedAt)}`,
        hint: `the waits are too long: the first wait is WEBHOOK_BACKOFF_BASE_MS itself (${backoffMs(1)} ms), not twice it (base × 2^(n−1), not 2^n), and each is counted in milliseconds / 1000 for asyncio.sleep. ${RETRY_HINT}`,
      });
      expectSameDelivery(hook, submittedAt);
    } finally {
      await closeHooks();
    }
  });

  it("R05.8 a receiver that does not answer within WEBHOOK_TIMEOUT_MS is retried", async () => {
    try {
      const hook = await startHook((index) => (index < 2 ? { status: 200, delayMs: HOLD_MS } : { status: 200 }));
      const { submittedAt } = await submitJob(TEXTS[2]!, hook.url);
      const arrived = await waitForCount(hook, 3, submittedAt + JOB_DEADLINE_MS);
      const timeoutHint = `give every attempt a timeout of WEBHOOK_TIMEOUT_MS (${TIMEOUT_MS} ms): httpx.AsyncClient(timeout=httpx.Timeout(settings.webhook_timeout_ms / 1000)); httpx's default is 5 s, and timeout=None waits forever. Catch httpx.TimeoutException and retry it like a 5xx`;
      check(arrived, {
        expected: `3 attempts within ${JOB_DEADLINE_MS / 1000} s of the submission: the receiver holds attempts 1 and 2 for ${HOLD_MS} ms, so each must time out after ${TIMEOUT_MS} ms and be retried`,
        got: describeArrivals(hook, submittedAt),
        hint: hook.requests.length === 0 ? "no callback at all: R05.5 comes first" : timeoutHint,
      });
      await sleep(QUIET_AFTER_TIMEOUTS_MS);
      check(hook.requests.length === 3, {
        expected: "no attempt after the receiver answered attempt 3 with 200",
        got: describeArrivals(hook, submittedAt),
        hint: "a 2xx ends the delivery",
      });
      const gaps = [1, 2].map((n) => hook.requests[n]!.receivedAt - hook.requests[n - 1]!.receivedAt);
      const planned = [1, 2].map((n) => TIMEOUT_MS + backoffMs(n));
      gaps.forEach((gap, index) => {
        const attempt = index + 1;
        const least = Math.round(MIN_TIMEOUT_GAP_SHARE * planned[index]!);
        check(gap >= least, {
          expected: `attempt ${attempt + 1} at least ${least} ms after attempt ${attempt} (${MIN_TIMEOUT_GAP_SHARE} × (its ${TIMEOUT_MS} ms timeout + the ${backoffMs(attempt)} ms backoff))`,
          got: describeArrivals(hook, submittedAt),
          hint: `give up on an attempt after WEBHOOK_TIMEOUT_MS (${TIMEOUT_MS} ms), not sooner, then wait its backoff like after a 5xx. ${RETRY_HINT}`,
        });
      });
      const allowed = Math.round(MAX_TOTAL_SHARE * sum(planned));
      check(sum(gaps) <= allowed, {
        expected: `the two gaps together at most ${allowed} ms (${MAX_TOTAL_SHARE} × the ${sum(planned)} ms of two ${TIMEOUT_MS} ms timeouts and the ${backoffMs(1)} and ${backoffMs(2)} ms waits): each attempt gives up after WEBHOOK_TIMEOUT_MS, not at the receiver's answer after ${HOLD_MS} ms`,
        got: `${sum(gaps)} ms (${gaps.join(" + ")})\n${describeArrivals(hook, submittedAt)}`,
        hint: timeoutHint,
      });
      expectSameDelivery(hook, submittedAt);
    } finally {
      await closeHooks();
    }
  });

  it("R05.9 a 4xx answer is final: it is never retried", async () => {
    try {
      const hook = await startHook(() => ({ status: 400 }));
      const { submittedAt } = await submitJob(TEXTS[3]!, hook.url);
      const first = await hook.arrival(0, JOB_DEADLINE_MS);
      check(first, {
        expected: `a callback within ${JOB_DEADLINE_MS / 1000} s of the submission`,
        got: "the receiver got no request at all",
        hint: "R05.5 comes first: when a job finishes, POST the event to its callback_url",
      });
      await sleep(QUIET_MS);
      check(hook.requests.length === 1, {
        expected: "exactly one attempt when the receiver answers 400: a 4xx will not change on a retry",
        got: describeArrivals(hook, submittedAt),
        hint: "retry only 5xx answers, timeouts and connection errors; any 4xx (the receiver refused this request) fails the delivery at once",
      });
    } finally {
      await closeHooks();
    }
  });

  it("R05.10 after WEBHOOK_MAX_ATTEMPTS failed attempts, delivery gives up", async () => {
    try {
      const hook = await startHook(() => ({ status: 503 }));
      const { submittedAt } = await submitJob(TEXTS[4]!, hook.url);
      const arrived = await waitForCount(hook, MAX_ATTEMPTS, submittedAt + JOB_DEADLINE_MS);
      check(arrived, {
        expected: `${MAX_ATTEMPTS} attempts (WEBHOOK_MAX_ATTEMPTS) within ${JOB_DEADLINE_MS / 1000} s of the submission, the receiver answering 503 to each`,
        got: describeArrivals(hook, submittedAt),
        hint:
          hook.requests.length === 0
            ? "no callback at all: R05.5 comes first"
            : `WEBHOOK_MAX_ATTEMPTS counts every attempt, the first included; ${RETRY_HINT}`,
      });
      await sleep(QUIET_AFTER_LAST_MS);
      check(hook.requests.length === MAX_ATTEMPTS, {
        expected: `exactly ${MAX_ATTEMPTS} attempts (WEBHOOK_MAX_ATTEMPTS, the first included), then nothing`,
        got: describeArrivals(hook, submittedAt),
        hint: "loop for attempt in range(1, max_attempts + 1) and stop after the last one fails: is a retry count being used as an attempt count?",
      });
    } finally {
      await closeHooks();
    }
  });

  it("R05.11 GET /jobs/{id}/deliveries logs every attempt", async () => {
    try {
      // Attempt 1 of job a is held until the job's log has been read (then answered 500).
      let submittedA: ReturnType<typeof submitJob> | undefined;
      let logDuringAttempt: Promise<Exchange> | undefined;
      const readLog = async () => {
        logDuringAttempt = submittedA!.then(({ id }) => http.get(logPath(id)));
        return logDuringAttempt;
      };
      const retried: Reply[] = [{ status: 500, before: readLog }, { status: 503 }, { status: 200 }];
      const hookRetried = await startHook((index) => retried[index] ?? { status: 200 });
      const hookTimeout = await startHook((index) => (index === 0 ? { status: 200, delayMs: HOLD_MS } : { status: 200 }));
      const hookGone = await startHook(() => ({ status: 410 }));
      const nobody = await deadUrl();

      submittedA = submitJob(TEXTS[0]!, hookRetried.url);
      const a = await submittedA;
      const pendingHint =
        'the log exists from the moment the job does: status "pending" and attempts [] until the first attempt has an outcome; an attempt under way is not listed yet';
      const expectPending = (exchange: Exchange, when: string) => {
        expectStatus(exchange, 200, `GET /jobs/{job_id}/deliveries answers 200 with the delivery log ${when}`);
        expectField(exchange, "status", (v) => v === "pending", `"pending" ${when}`, pendingHint);
        expectField(exchange, "attempts", (v) => Array.isArray(v) && v.length === 0, `[] ${when}`, pendingHint);
      };
      expectPending(await http.get(logPath(a.id)), "right after POST /jobs");
      const b = await submitJob(TEXTS[1]!, hookTimeout.url);
      const c = await submitJob(TEXTS[2]!, hookGone.url);
      const d = await submitJob(TEXTS[3]!, nobody);

      const firstOfA = await hookRetried.arrival(0, JOB_DEADLINE_MS);
      if (firstOfA && logDuringAttempt) {
        expectPending(await logDuringAttempt, "while attempt 1 is under way (the receiver answers it only after this read)");
      }

      type Row = [number, string, number | null];
      const cases: Array<{ job: typeof a; hook?: Hook; what: string; status: string; rows: Row[]; hint: string }> = [
        {
          job: a,
          hook: hookRetried,
          what: "500 (after reading the log), then 503, then 200",
          status: "delivered",
          rows: [
            [1, "http_error", 500],
            [2, "http_error", 503],
            [3, "success", 200],
          ],
          hint: "append one entry per attempt as soon as its outcome is known, failed attempts included, and never replace the list",
        },
        {
          job: b,
          hook: hookTimeout,
          what: `held ${HOLD_MS} ms (longer than WEBHOOK_TIMEOUT_MS), then 200`,
          status: "delivered",
          rows: [
            [1, "timeout", null],
            [2, "success", 200],
          ],
          hint: 'catch httpx.TimeoutException (before httpx.TransportError, its parent) and log it as "timeout" with status_code null',
        },
        {
          job: c,
          hook: hookGone,
          what: "410",
          status: "failed",
          rows: [[1, "http_error", 410]],
          hint: 'a 4xx is logged as "http_error" with its status code and ends the delivery as "failed"',
        },
        {
          job: d,
          what: "nobody listening on the port",
          status: "failed",
          rows: Array.from({ length: MAX_ATTEMPTS }, (_, n): Row => [n + 1, "connection_error", null]),
          hint: `a refused connection (httpx.ConnectError, a TransportError) is logged as "connection_error" with status_code null and retried; after WEBHOOK_MAX_ATTEMPTS (${MAX_ATTEMPTS}) the delivery is "failed"`,
        },
      ];
      for (const { job, hook, what, status, rows, hint } of cases) {
        const log = await settledLog(job.id, job.submittedAt + SETTLE_DEADLINE_MS, what);
        expectField(log, "job_id", (v) => v === job.id, JSON.stringify(job.id));
        expectField(log, "status", (v) => v === status, `"${status}" once settled (receiver: ${what})`, hint);
        const deliveryId = hook?.requests[0] ? header(hook.requests[0], "x-webhook-delivery") : undefined;
        expectField(
          log,
          "delivery_id",
          (v) => isNonEmptyString(v) && (deliveryId === undefined || v === deliveryId),
          deliveryId === undefined ? "a non-empty string" : `${JSON.stringify(deliveryId)}, the X-Webhook-Delivery its callback carried`,
          "the log and the callback headers read the delivery id from the same delivery record",
        );
        const attempts = expectField(log, "attempts", Array.isArray, "a list of attempts") as unknown[];
        const got = attempts.map((entry): Row => {
          const row = (entry ?? {}) as Record<string, unknown>;
          return [row.attempt as number, row.outcome as string, (row.status_code ?? null) as number | null];
        });
        check(JSON.stringify(got) === JSON.stringify(rows), {
          expected: `attempts (attempt, outcome, status_code) ${rows.map((row) => `[${row.join(", ")}]`).join(", ")} (receiver: ${what})`,
          got: got.length ? got.map((row) => `[${row.join(", ")}]`).join(", ") : "no attempts",
          exchange: log,
          hint,
        });
      }
    } finally {
      await closeHooks();
    }
  });

  it("R05.12 a slow receiver never blocks the event loop", async () => {
    try {
      const slow = await startHook(() => ({ status: 200, delayMs: SLOW_RECEIVER_MS }));
      const quick = await startHook();
      const blockingHint =
        "while an attempt waits on the receiver or a retry waits out its backoff, the event loop must stay free: one shared httpx.AsyncClient awaited in a background task, and await asyncio.sleep() for the backoff. A blocking client (requests, httpx.Client, httpx.post, urllib) or time.sleep() in async code freezes every request until it returns";
      const posts: Exchange[] = [];
      // A new job every FEED_INTERVAL_MS, so that predictions run all along.
      let feeding = true;
      const fed: string[] = [];
      const feeder = (async () => {
        while (feeding) {
          fed.push((await submitJob(TEXTS[fed.length % TEXTS.length]!, quick.url)).id);
          await sleep(FEED_INTERVAL_MS);
        }
      })();
      // Two rounds, each watched on its own: a blocked loop is blocked in every round, while a
      // busy machine rarely stalls in both. Each round starts a callback that waits on the slow
      // receiver and one that is retried after 503s, and lasts until the 503 receiver has got its
      // last attempt (after the 100, 200 and 400 ms waits).
      const windows: LoopWatch[] = [];
      let missing: string | undefined;
      try {
        for (let round = 1; round <= LOOP_ROUNDS && missing === undefined; round++) {
          const failing = await startHook(() => ({ status: 503 }));
          const { loop } = await watchEventLoop(
            async () => {
              const held = await submitJob(TEXTS[4]!, slow.url);
              const retried = await submitJob(TEXTS[1]!, failing.url);
              posts.push(held.exchange, retried.exchange);
              if (!(await waitForCount(failing, MAX_ATTEMPTS, retried.submittedAt + JOB_DEADLINE_MS))) {
                missing = describeArrivals(failing, retried.submittedAt);
              }
            },
            { intervalMs: LOOP_PROBE_INTERVAL_MS },
          );
          windows.push(loop);
        }
      } finally {
        feeding = false;
        await feeder;
      }
      const calmer = windows.reduce((a, b) => (b.worstMs < a.worstMs ? b : a));
      expectLoopFree(calmer, {
        limitMs: LOOP_LIMIT_MS,
        during: `a callback waited on a receiver that holds every attempt for ${SLOW_RECEIVER_MS} ms, another was retried after 503s, and predictions ran (${windows.length === LOOP_ROUNDS ? `in each of ${LOOP_ROUNDS} rounds; the calmer round is shown` : "in the first round"})`,
        hint: blockingHint,
      });
      check(missing === undefined, {
        expected: `${MAX_ATTEMPTS} attempts (WEBHOOK_MAX_ATTEMPTS) within ${JOB_DEADLINE_MS / 1000} s at a receiver that answers every attempt with 503`,
        got: missing ?? "",
        hint: `see R05.7 and R05.10: ${RETRY_HINT}`,
      });
      for (const post of posts) {
        check(post.durationMs <= FAST_REPLY_MS, {
          expected: `POST /jobs to answer within ${FAST_REPLY_MS} ms although the job's receiver is slow or failing`,
          got: `the answer took ${Math.round(post.durationMs)} ms`,
          exchange: post,
          hint: `the handler only records the job and returns 202: ${BACKGROUND_HINT}`,
        });
      }
    } finally {
      await closeHooks();
    }
  });

  it("R05.13 a job the model cannot classify fails, and its callback says so", async () => {
    try {
      const text = `${TEXTS[0]!} ${FAILURE_MARKER}`;
      let submitted: ReturnType<typeof submitJob> | undefined;
      const { reply, readBack } = readBackOnArrival(async () => (await submitted!).id);
      const hook = await startHook((index) => (index === 0 ? reply : { status: 200 }));
      submitted = submitJob(text, hook.url);
      const { id, submittedAt } = await submitted;
      const request = await hook.arrival(0, JOB_DEADLINE_MS);
      if (!request) {
        const job = await http.get(jobPath(id));
        const status = expectJsonObject(job).status;
        fail({
          expected: `a callback within ${JOB_DEADLINE_MS / 1000} s for a job whose text contains ${FAILURE_MARKER} (the model raises ModelError for it)`,
          got: `the receiver got no request at all; GET /jobs/{id} shows status ${JSON.stringify(status)}`,
          exchange: job,
          hint:
            status === "failed"
              ? 'a failed job is finished too: send its callback (status "failed", result null, the error) exactly like a succeeded one\'s'
              : 'catch the model\'s exception around the prediction (ModelError, or Exception so that no bug kills the worker), store status "failed" with the error on the job, then start the delivery',
        });
      }
      check((header(request, "content-type") ?? "").toLowerCase().startsWith("application/json"), {
        expected: "Content-Type: application/json on the callback of a failed job",
        got: describeRequest(request),
        hint: "a failed job's callback is sent like any other",
      });
      const body = parseBody(request, "the callback of a failed job");
      const problems: string[] = [];
      if (body.event !== "job.completed") problems.push(`"event" should be "job.completed", got ${JSON.stringify(body.event)}`);
      if (body.job_id !== id) problems.push(`"job_id" should be ${JSON.stringify(id)}, got ${JSON.stringify(body.job_id)}`);
      if (body.status !== "failed") problems.push(`"status" should be "failed", got ${JSON.stringify(body.status)}`);
      if (body.result !== null) problems.push(`"result" should be null, got ${JSON.stringify(body.result)}`);
      if (!isNonEmptyString(body.error))
        problems.push(`"error" should be a non-empty string (why the job failed), got ${JSON.stringify(body.error)}`);
      check(problems.length === 0, {
        expected:
          'the callback of a failed job to carry {"event": "job.completed", "job_id": …, "status": "failed", "result": null, "error": "<why>"}',
        got: `${problems.join("; ")}\n${describeRequest(request)}`,
        hint: "build the event from the finished job: its status, its result (null) and its error (the exception's message)",
      });
      expectSigned(request, "the callback of a failed job");

      const job = await readBack();
      if (!job) throw new Error("the receiver did not read the job back");
      expectStatus(job, 200, "GET /jobs/{job_id} answers 200 for an id POST /jobs returned");
      const stored = expectJsonObject(job);
      check(stored.status === "failed" && (stored.result === null || stored.result === undefined) && isNonEmptyString(stored.error), {
        expected: `GET /jobs/${id}, sent the moment the callback arrived (the receiver answered only after it), to show status "failed", result null and a non-empty error`,
        got: `status ${JSON.stringify(stored.status)}, result ${JSON.stringify(stored.result)}, error ${JSON.stringify(stored.error)}`,
        exchange: job,
        hint: 'store status "failed" and the error on the job first, then start the delivery: a partner that reads the job back on receiving the callback must see what the callback says',
      });

      await sleep(QUIET_MS);
      check(hook.requests.length === 1, {
        expected: "exactly one callback for the failed job when the receiver answers 200",
        got: describeArrivals(hook, submittedAt),
        hint: onceHint(job, "the callback of a failed job is a delivery like any other: a 2xx ends it"),
      });
      const log = await settledLog(id, submittedAt + SETTLE_DEADLINE_MS, "a failed job, its receiver answering 200");
      expectField(
        log,
        "status",
        (v) => v === "delivered",
        '"delivered": the callback reporting the failure was delivered',
        "the delivery's status is about the callback, not about the job: the partner got it, so it is delivered",
      );
      expectField(
        log,
        "delivery_id",
        (v) => v === header(request, "x-webhook-delivery"),
        `${JSON.stringify(header(request, "x-webhook-delivery"))}, the X-Webhook-Delivery the callback carried`,
        "the log and the callback headers read the delivery id from the same delivery record",
      );
      const attempts = expectField(log, "attempts", Array.isArray, "a list of attempts") as unknown[];
      const row = (attempts[0] ?? {}) as Record<string, unknown>;
      check(attempts.length === 1 && row.attempt === 1 && row.outcome === "success" && row.status_code === 200, {
        expected: "attempts [1, success, 200] in the failed job's delivery log",
        got: JSON.stringify(attempts),
        exchange: log,
        hint: "log the failed job's callback attempts like any other's",
      });
    } finally {
      await closeHooks();
    }
  });
});
