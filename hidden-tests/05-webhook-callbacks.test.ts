// Practice 05: webhook callbacks. Every test is named after the README requirement it checks.
//
// Each test runs its own loopback receivers (harness startReceiver), so that one test's callbacks,
// and the retries still running from an earlier test, never land in another test's receiver.
// Timing checks measure arrival times at the receiver: a gap between two attempts can only be
// longer than the server's wait (the receiver records an arrival before it answers, and the
// server starts waiting after the answer), so the lower bounds hold on a loaded machine too.
import { createHmac } from "node:crypto";
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
  knobText,
  sleep,
  startReceiver,
  type Exchange,
  type ReceivedRequest,
  type Receiver,
} from "./harness/index.js";
import { expectedPrediction, MODEL_VERSION } from "./harness/model.js";

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
const QUICK_READ_MS = 150;
const JOB_DEADLINE_MS = 5000;
const SETTLE_DEADLINE_MS = 5000;
const HOLD_MS = 1500;
/** R05.11 holds attempt 1 this long: long enough to read the log meanwhile, well under WEBHOOK_TIMEOUT_MS. */
const FIRST_HOLD_MS = 150;
const SLOW_RECEIVER_MS = 2000;
const MAX_TEXT_LENGTH = 1000;

/** The planned wait after failed attempt n (1-based). */
const backoffMs = (attempt: number) => BACKOFF_BASE_MS * 2 ** (attempt - 1);
/** The shortest gap between arrivals the suite accepts after attempt n. */
const minGapMs = (attempt: number) => 0.9 * backoffMs(attempt);

const jobPath = (id: string) => `/jobs/${encodeURIComponent(id)}`;
const logPath = (id: string) => `/jobs/${encodeURIComponent(id)}/deliveries`;

const BACKGROUND_HINT =
  "deliver in the background: when the job finishes, start a task (asyncio.create_task, kept in a set) or put the delivery on a queue that a worker started in the lifespan drains";
const RETRY_HINT = `retry 5xx answers, timeouts and connection errors: WEBHOOK_MAX_ATTEMPTS attempts in all, waiting WEBHOOK_BACKOFF_BASE_MS × 2^(n−1) ms (${[1, 2, 3].map(backoffMs).join(", ")} ms …) after failed attempt n`;

// --- receivers -------------------------------------------------------------------------------

interface Reply {
  status?: number;
  delayMs?: number;
}

/** A receiver whose arrivals can be awaited, with the plan of answers it follows. */
interface Hook {
  /** The callback URL to put in a job: the receiver plus CALLBACK_PATH. */
  url: string;
  requests: ReceivedRequest[];
  replies: Reply[];
  /** Resolves with the request number `index` (0-based) when it arrives, or undefined after `timeoutMs`. */
  arrival(index: number, timeoutMs: number): Promise<ReceivedRequest | undefined>;
  close(): Promise<void>;
}

const open: Receiver[] = [];

async function startHook(plan: (index: number) => Reply = () => ({ status: 200 })): Promise<Hook> {
  const waiters = new Map<number, Array<(request: ReceivedRequest) => void>>();
  const replies: Reply[] = [];
  const receiver = await startReceiver((request, index) => {
    const reply = plan(index);
    replies[index] = reply;
    for (const wake of waiters.get(index) ?? []) wake(request);
    waiters.delete(index);
    return { status: reply.status ?? 200, ...(reply.delayMs ? { delayMs: reply.delayMs } : {}) };
  });
  open.push(receiver);
  return {
    url: `${receiver.url}${CALLBACK_PATH}`,
    requests: receiver.requests,
    replies,
    arrival(index, timeoutMs) {
      const already = receiver.requests[index];
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
    close: () => receiver.close(),
  };
}

/** Closes every receiver the current test started, even when it failed. */
async function closeHooks(): Promise<void> {
  await Promise.all(open.splice(0).map((receiver) => receiver.close()));
}

/** A loopback URL where nothing listens: a receiver's port, after closing it. */
async function deadUrl(): Promise<string> {
  const receiver = await startReceiver();
  await receiver.close();
  return `${receiver.url}${CALLBACK_PATH}`;
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

/**
 * Submits a job and returns its id. Only R05.1 insists on 202; the other requirements accept any
 * success status so that one mistake fails one requirement.
 */
async function submitJob(text: string, callbackUrl: string): Promise<{ id: string; exchange: Exchange; submittedAt: number }> {
  const submittedAt = Date.now();
  const exchange = await http.post("/jobs", { text, callback_url: callbackUrl });
  expectStatus(
    exchange,
    [202, 201, 200],
    'this needs POST /jobs (R05.1) first: it takes {"text": ..., "callback_url": ...} and answers 202 with the new job\'s id',
  );
  const id = expectField(exchange, "id", isNonEmptyString, "a non-empty string (the job id)") as string;
  return { id, exchange, submittedAt };
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
    return `{${Object.entries(value).map(([key, item]) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(item)}`).join(", ")}}`;
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
      "you signed the repr of a bytes object (f\"{timestamp}.{body}\" with body as bytes gives \"b'...'\"): concatenate bytes instead, f\"{timestamp}.\".encode() + body",
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
      // The suite's first request opens the connection; keep that cost out of the timing below.
      await http.get("/health");
      const { id, exchange } = await submitJob(TEXTS[0]!, hook.url);
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
      const again = await submitJob(TEXTS[1]!, hook.url);
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
      await sleep(500);
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
          fail({ expected: "the job to succeed", got: "it failed", exchange, hint: "look at the server's output for the exception the worker caught" });
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
        expectField(exchange, "result", (v) => v === null || v === undefined, `null while the job is ${status}`, "there is no result until the model has answered");
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
      expectStatus(knownLog, 200, "GET /jobs/{job_id}/deliveries answers 200 for an id POST /jobs returned, from the moment the job exists");
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
      const hook = await startHook();
      const text = TEXTS[3]!;
      const { id, submittedAt } = await submitJob(text, hook.url);
      const request = await hook.arrival(0, JOB_DEADLINE_MS);
      // Sent the moment the callback arrives: the job must already be finished.
      const job = request ? await http.get(jobPath(id)) : undefined;
      if (!request) {
        fail({
          expected: `a callback at ${hook.url} within ${JOB_DEADLINE_MS / 1000} s of submitting the job`,
          got: "the receiver got no request at all",
          hint: `when a job finishes, POST the event to its callback_url; ${BACKGROUND_HINT}`,
        });
      }
      check(request.method === "POST" && request.path === CALLBACK_PATH, {
        expected: `POST ${CALLBACK_PATH} (the callback_url exactly, path and query string)`,
        got: `${request.method} ${request.path}`,
        hint: "send to str(job.callback_url) as given; do not rebuild the URL from its parts",
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
      expectStatus(job!, 200, "GET /jobs/{job_id} answers 200 for an id POST /jobs returned");
      expectField(
        job!,
        "status",
        (v) => v === "succeeded",
        '"succeeded" at the moment the callback arrives',
        "mark the job succeeded (and store the result) first, then start the delivery",
      );
      check(JSON.stringify(expectJsonObject(job!).result) === JSON.stringify(body.result), {
        expected: "the callback's result equal to the result GET /jobs/{id} shows",
        got: `callback: ${JSON.stringify(body.result)}; GET /jobs/{id}: ${JSON.stringify(expectJsonObject(job!).result)}`,
        exchange: job!,
      });
      await sleep(500);
      check(hook.requests.length === 1, {
        expected: "exactly one callback when the receiver answers 200",
        got: describeArrivals(hook, submittedAt),
        hint: "a 2xx answer ends the delivery: stop retrying, and send one callback per job, not one per status change",
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
      await sleep(500);
      check(hook.requests.length === 4, {
        expected: "no attempt after the receiver answered 200",
        got: describeArrivals(hook, submittedAt),
        hint: "a 2xx ends the delivery",
      });
      for (let attempt = 1; attempt < 4; attempt++) {
        const gap = hook.requests[attempt]!.receivedAt - hook.requests[attempt - 1]!.receivedAt;
        check(gap >= minGapMs(attempt), {
          expected: `attempt ${attempt + 1} at least ${minGapMs(attempt)} ms after attempt ${attempt} (the wait after failed attempt ${attempt} is WEBHOOK_BACKOFF_BASE_MS × 2^${attempt - 1} = ${backoffMs(attempt)} ms)`,
          got: describeArrivals(hook, submittedAt),
          hint: `the wait doubles after every failure: base × 2 ** (n - 1) seconds, with base = WEBHOOK_BACKOFF_BASE_MS / 1000; a constant or linearly growing wait is not exponential backoff. ${RETRY_HINT}`,
        });
      }
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
      await sleep(500);
      check(hook.requests.length === 3, {
        expected: "no attempt after the receiver answered attempt 3 with 200",
        got: describeArrivals(hook, submittedAt),
        hint: "a 2xx ends the delivery",
      });
      for (let attempt = 1; attempt < 3; attempt++) {
        const gap = hook.requests[attempt]!.receivedAt - hook.requests[attempt - 1]!.receivedAt;
        check(gap < HOLD_MS - 300, {
          expected: `attempt ${attempt + 1} less than ${HOLD_MS - 300} ms after attempt ${attempt}: attempt ${attempt} should give up after ${TIMEOUT_MS} ms, not wait for the receiver's answer at ${HOLD_MS} ms`,
          got: describeArrivals(hook, submittedAt),
          hint: timeoutHint,
        });
        check(gap >= minGapMs(attempt), {
          expected: `attempt ${attempt + 1} at least ${minGapMs(attempt)} ms after attempt ${attempt} (its timeout plus the ${backoffMs(attempt)} ms backoff)`,
          got: describeArrivals(hook, submittedAt),
          hint: `a timeout is a failed attempt like a 5xx: wait the backoff before the next. ${RETRY_HINT}`,
        });
      }
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
      await sleep(500);
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
        hint: hook.requests.length === 0 ? "no callback at all: R05.5 comes first" : `WEBHOOK_MAX_ATTEMPTS counts every attempt, the first included; ${RETRY_HINT}`,
      });
      await sleep(1000);
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
      const retried = [{ status: 500, delayMs: FIRST_HOLD_MS }, { status: 503 }, { status: 200 }];
      const hookRetried = await startHook((index) => retried[index] ?? { status: 200 });
      const hookTimeout = await startHook((index) => (index === 0 ? { status: 200, delayMs: HOLD_MS } : { status: 200 }));
      const hookGone = await startHook(() => ({ status: 410 }));
      const nobody = await deadUrl();

      const a = await submitJob(TEXTS[0]!, hookRetried.url);
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
      if (firstOfA) expectPending(await http.get(logPath(a.id)), `while attempt 1 is under way (the receiver holds it for ${FIRST_HOLD_MS} ms)`);

      type Row = [number, string, number | null];
      const cases: Array<{ job: typeof a; hook?: Hook; what: string; status: string; rows: Row[]; hint: string }> = [
        {
          job: a,
          hook: hookRetried,
          what: `500 after ${FIRST_HOLD_MS} ms, then 503, then 200`,
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

  it("R05.12 a slow receiver never slows the API", async () => {
    try {
      const slow = await startHook(() => ({ status: 200, delayMs: SLOW_RECEIVER_MS }));
      const other = await startHook();
      const blockingHint =
        "while an attempt waits on the receiver, the event loop must stay free: use one shared httpx.AsyncClient and await it in a background task; a blocking client (requests, httpx.Client, urllib) in async code freezes every request until the receiver answers or the timeout hits";
      const { id, exchange, submittedAt } = await submitJob(TEXTS[4]!, slow.url);
      check(exchange.durationMs <= FAST_REPLY_MS, {
        expected: `POST /jobs to answer within ${FAST_REPLY_MS} ms even though its callback receiver is slow`,
        got: `the answer took ${Math.round(exchange.durationMs)} ms`,
        exchange,
        hint: `the handler only records the job and returns 202: ${BACKGROUND_HINT}`,
      });

      for (const index of [0, 1]) {
        const request = await slow.arrival(index, JOB_DEADLINE_MS);
        if (!request) {
          fail({
            expected: `callback attempt ${index + 1} at the slow receiver (it holds every attempt for ${SLOW_RECEIVER_MS} ms; each should time out after ${TIMEOUT_MS} ms and be retried)`,
            got: describeArrivals(slow, submittedAt),
            hint: index === 0 ? "no callback at all: R05.5 comes first" : "see R05.8: a hanging receiver is a timeout, and timeouts are retried",
          });
        }
        // Sent the moment the attempt arrives, while the server waits for the receiver's answer.
        const results = await Promise.all([
          http.get(jobPath(id)),
          http.get(logPath(id)),
          http.get("/health"),
          http.post("/jobs", { text: TEXTS[0], callback_url: other.url }),
        ].map((pending) => pending.catch((error: unknown) => (error instanceof TransportError ? error : Promise.reject(error)))));
        const labels = ["GET /jobs/{id}", "GET /jobs/{id}/deliveries", "GET /health", "POST /jobs"];
        results.forEach((result, n) => {
          const label = labels[n]!;
          const bound = label === "POST /jobs" ? FAST_REPLY_MS : QUICK_READ_MS;
          if (result instanceof TransportError) {
            fail({ expected: `${label} to answer while a callback waits on a slow receiver`, got: result.message, hint: blockingHint });
          }
          expectStatus(result, label === "POST /jobs" ? 202 : 200, label === "POST /jobs" ? "POST /jobs answers 202 (R05.1)" : undefined);
          check(result.durationMs <= bound, {
            expected: `${label} to answer within ${bound} ms while callback attempt ${index + 1} waits on a receiver that takes ${SLOW_RECEIVER_MS} ms`,
            got: `it took ${Math.round(result.durationMs)} ms: the event loop was blocked`,
            exchange: result,
            hint: blockingHint,
          });
        });
      }
    } finally {
      await closeHooks();
    }
  });
});
