// Practice 10: event-driven queue. Every test is named after the README requirement it checks.
//
// With a broker, every check gets a new virtual host (drill makes and deletes it), but within a
// check the server's stats run on: they are compared as differences. Every text and id the suite
// sends is new to this run (texts end in " #<digits>", which the model ignores). Each test waits
// until its own messages are finished, so the next one starts from a quiet queue.
import { randomInt } from "node:crypto";
import { createServer, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, it } from "vitest";
import {
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
  settle,
  answered,
  sleep,
  watchEventLoop,
  type Exchange,
} from "./harness/index.js";
import { expectedPrediction, FAILURE_MARKER, MODEL_ANSWERS, MODEL_VERSION, transientFailureMarker } from "./harness/model.js";

// The texts whose answers the harness knows (harness/model.ts).
const TEXTS = Object.keys(MODEL_ANSWERS);

const STATUSES = ["queued", "processing", "processed", "dead_lettered"] as const;
type Status = (typeof STATUSES)[number];
/** The order statuses move in; processed and dead_lettered are both final. */
const RANK: Record<Status, number> = { queued: 0, processing: 1, processed: 2, dead_lettered: 2 };
const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TEXT_LENGTH = 1000;

const maxRetries = () => knob("MAX_RETRIES");
const retryDelayMs = () => knob("RETRY_DELAY_MS");
const latencyMs = () => knob("MODEL_LATENCY_MS");
const attemptsAllowed = () => 1 + maxRetries();
/**
 * R10.6: a poison message takes at least its model calls and pauses (3 × 200 + 2 × 600 = 1800 ms);
 * it must not read dead_lettered sooner than this share of that, so a missing pause, or one half
 * as long (1200 ms), fails. A correct consumer can only be slower, never faster, under load.
 */
const POISON_FLOOR_SHARE = 5 / 6;
/** R10.1: a 202 comes within this; a handler that does the work (and its retries) first cannot. */
const ACCEPT_BUDGET_MS = 500;
/** R10.2 and R10.7: a plain message is processed within this of its 202. */
const PROCESS_BUDGET_MS = 2000;
/** R10.5, R10.6: retried messages reach their final status within this of their 202. */
const RETRY_BUDGET_MS = 4000;
/** R10.8 restarts the server with this latency; /health must answer within half of it. */
const LOOP_LATENCY_MS = 400;
/** R10.9 restarts the server with this latency, so a message is in progress when it stops. */
const SLOW_LATENCY_MS = 2000;
/** R10.9: after the second restart, every message is processed within this. */
const SURVIVE_BUDGET_MS = 10_000;
/** R10.10: a publish with the broker hung answers 503 within this. */
const BROKER_DOWN_BUDGET_MS = 1000;

// --- texts and ids that are new to this run --------------------------------------------------

const RUN = String(randomInt(100_000_000, 1_000_000_000));
let sent = 0;

/** `base` plus a number no earlier run used; the model's answer is that of `base`. */
function fresh(base: string): string {
  sent += 1;
  return `${base} #${RUN}${String(sent).padStart(3, "0")}`;
}

function freshId(what: string): string {
  sent += 1;
  return `${what}-${RUN}-${sent}`;
}

function text(index: number): string {
  return fresh(TEXTS[index % TEXTS.length] as string);
}

// --- review helpers --------------------------------------------------------------------------

const NEEDS_PUBLISH =
  'this needs POST /messages (R10.1) first: it takes {"text": ..., "id": optional} and answers 202 with {"id": ..., "status": ...}';
const NEEDS_READ = "this needs GET /messages/{id} (R10.2) first: 200 with the message (id, status, attempts, result, error)";
const NEEDS_STATS = 'this needs GET /stats first: {"model_calls": n, "processed": n, "dead_lettered": n}';
const BLOCKING_HINT =
  "model.predict() blocks its thread: run it with `await run_in_threadpool(model.predict, text)`; and wait between retries with `await asyncio.sleep(...)`, never time.sleep(), which stops every other request, /health included";

interface Published {
  id: string;
  exchange: Exchange;
  /** performance.now() when the 202 came back. */
  acceptedAt: number;
}

async function publish(body: Record<string, unknown>, hint = NEEDS_PUBLISH): Promise<Published> {
  const exchange = await http.post("/messages", body);
  const acceptedAt = performance.now();
  expectStatus(exchange, 202, hint);
  const id = expectField(
    exchange,
    "id",
    (v) => typeof v === "string" && ID_PATTERN.test(v),
    "the message id (1-64 of A-Z a-z 0-9 _ -)",
    hint,
  );
  expectField(exchange, "status", (v) => STATUSES.includes(v as Status), `one of ${STATUSES.join(", ")}`, hint);
  return { id: id as string, exchange, acceptedAt };
}

interface Message {
  id: string;
  status: Status;
  attempts: number;
  result: { label: unknown; score: unknown; model_version: unknown } | null;
  error: unknown;
  exchange: Exchange;
}

/** GET /messages/{id}, checked against the README's shape; undefined while it answers 404 (when allowed). */
async function readMessage(id: string, options: { allow404?: boolean } = {}): Promise<Message | undefined> {
  const exchange = await http.get(`/messages/${encodeURIComponent(id)}`);
  if (options.allow404 && exchange.status === 404) return undefined;
  expectStatus(exchange, 200, NEEDS_READ);
  const body = expectJsonObject(exchange, NEEDS_READ);
  expectField(exchange, "id", (v) => v === id, JSON.stringify(id), "the message's own id");
  expectField(exchange, "status", (v) => STATUSES.includes(v as Status), `one of ${STATUSES.join(", ")}`, NEEDS_READ);
  expectField(exchange, "attempts", (v) => Number.isInteger(v) && (v as number) >= 0, "an integer >= 0", "how many model calls so far");
  expectField(exchange, "result", (v) => v === null || (typeof v === "object" && !Array.isArray(v)), "null or an object", NEEDS_READ);
  return {
    id,
    status: body.status as Status,
    attempts: body.attempts as number,
    result: body.result as Message["result"],
    error: body.error,
    exchange,
  };
}

interface Watched {
  message: Message;
  /** ms from the 202 to the read that first showed the final status. */
  elapsedMs: number;
  seen: Status[];
}

/**
 * Polls the message every 20 ms until it reaches a final status (or `timeoutMs` after its 202
 * passed); checks on the way that the status never goes back.
 */
async function untilFinal(published: Published, timeoutMs: number, what: string, options: { allow404?: boolean } = {}): Promise<Watched> {
  const seen: Status[] = [];
  let last: Message | undefined;
  for (;;) {
    const message = await readMessage(published.id, options);
    if (message) {
      const previous = seen.at(-1);
      if (previous !== undefined && RANK[message.status] < RANK[previous]) {
        fail({
          expected: `the status of ${what} to move forward only (queued, processing, processed or dead_lettered)`,
          got: `"${message.status}" after "${previous}" (seen so far: ${seen.join(" → ")})`,
          exchange: message.exchange,
          hint: "set each status once, in order: queued when it is accepted, processing when the work starts, processed or dead_lettered when it ends",
        });
      }
      if (previous !== message.status) seen.push(message.status);
      last = message;
      if (message.status === "processed" || message.status === "dead_lettered") {
        return { message, elapsedMs: Math.round(performance.now() - published.acceptedAt), seen };
      }
    }
    if (performance.now() - published.acceptedAt > timeoutMs) {
      fail({
        expected: `${what} to be processed or dead-lettered within ${timeoutMs / 1000} s of its 202`,
        got: last ? `still "${last.status}" (attempts ${last.attempts}; seen: ${seen.join(" → ")})` : "404 for its id all along",
        ...(last ? { exchange: last.exchange } : {}),
        hint: "is the consumer started in the lifespan, and does every attempt end (the model's answer stored, or the failure retried and then dead-lettered)?",
      });
    }
    await sleep(20);
  }
}

/** Lets messages of a test settle before the next one, without failing this test for it. */
async function quietly(work: Promise<unknown>): Promise<void> {
  await work.catch(() => undefined);
}

function expectProcessed(watched: Watched, textSent: string, what: string, attempts: number, hint: string): void {
  const { message } = watched;
  if (message.status !== "processed") {
    fail({
      expected: `${what} to be "processed"`,
      got: `"${message.status}" after ${message.attempts} attempts (error: ${JSON.stringify(message.error)})`,
      exchange: message.exchange,
      hint,
    });
  }
  const expected = expectedPrediction(textSent);
  const exchange = message.exchange;
  expectField(exchange, "result.label", (v) => v === expected.label, JSON.stringify(expected.label), "result holds the model's answer");
  expectField(
    exchange,
    "result.score",
    (v) => typeof v === "number" && Math.abs(v - expected.score) < 1e-6,
    `${expected.score} (the model's own score)`,
    "result holds the model's answer, unchanged",
  );
  expectField(exchange, "result.model_version", (v) => v === MODEL_VERSION, `"${MODEL_VERSION}"`, "copy model.version into the result");
  expectField(exchange, "error", (v) => v === null, "null", "a processed message carries no error, also when earlier attempts failed");
  check(message.attempts === attempts, {
    expected: `attempts ${attempts} for ${what}`,
    got: `attempts ${message.attempts}`,
    exchange,
    hint,
  });
}

interface Stats {
  model_calls: number;
  processed: number;
  dead_lettered: number;
}

async function readStats(): Promise<Stats> {
  const exchange = await http.get("/stats");
  expectStatus(exchange, 200, NEEDS_STATS);
  for (const name of ["model_calls", "processed", "dead_lettered"]) {
    expectField(exchange, name, (v) => Number.isInteger(v) && (v as number) >= 0, "an integer >= 0", NEEDS_STATS);
  }
  return exchange.json as Stats;
}

function expectRise(before: Stats, after: Stats, wanted: Partial<Stats>, why: string, hint: string): void {
  for (const [name, rise] of Object.entries(wanted) as Array<[keyof Stats, number]>) {
    const got = after[name] - before[name];
    if (got !== rise) {
      fail({
        expected: `GET /stats ${name} +${rise} (${why})`,
        got: `${name} +${got} (from ${before[name]} to ${after[name]})`,
        hint,
      });
    }
  }
}

// --- the requirements ------------------------------------------------------------------------

describe("10 event-driven queue", () => {
  it("R10.1 POST /messages accepts a message with 202 at once", async () => {
    const first = text(0);
    const a = await publish({ text: first });
    const location = expectHeader(
      a.exchange,
      "location",
      (v) => v === `/messages/${a.id}` || v.endsWith(`/messages/${a.id}`),
      "set Location: /messages/{id} on the 202 (a Response parameter: response.headers['Location'] = ...)",
    );
    check(location.length > 0, { expected: "a Location header", got: "an empty one", exchange: a.exchange });
    const b = await publish({ text: first });
    check(b.id !== a.id, {
      expected: "two publishes of the same text without an id to be two messages with two ids",
      got: `the same id ${a.id} twice`,
      exchange: b.exchange,
      hint: "make a new id per message (uuid.uuid4().hex); an id made from the text turns two messages into one",
    });
    const chosen = freshId("r1");
    const c = await publish({ text: text(1), id: chosen });
    check(c.id === chosen, {
      expected: `the id sent, ${chosen}`,
      got: c.id,
      exchange: c.exchange,
      hint: "when the body has an id, that is the message's id",
    });
    const poison = fresh(`broken ${FAILURE_MARKER}`);
    const p = await publish({ text: poison });
    for (const [published, what] of [
      [a, "a plain text"],
      [p, `a text with ${FAILURE_MARKER}, which the model fails on`],
    ] as const) {
      check(published.exchange.durationMs <= ACCEPT_BUDGET_MS, {
        expected: `the 202 for ${what} within ${ACCEPT_BUDGET_MS} ms`,
        got: `it took ${Math.round(published.exchange.durationMs)} ms`,
        exchange: published.exchange,
        hint: "POST /messages only puts the message on the queue and answers; the model call (and its retries) run in the consumer, after the answer",
      });
    }
    const invalid: Array<[string, Record<string, unknown>]> = [
      ["text missing", { id: freshId("bad") }],
      ["text not a string", { text: 42 }],
      ["text empty", { text: "" }],
      ["text too long", { text: "a".repeat(MAX_TEXT_LENGTH + 1) }],
      ["id empty", { text: "fine", id: "" }],
      ["id too long", { text: "fine", id: "a".repeat(65) }],
      ["id with a space", { text: "fine", id: "a b" }],
      ["id with a slash", { text: "fine", id: "a/b" }],
    ];
    for (const [what, body] of invalid) {
      const exchange = await http.post("/messages", body);
      expectStatus(exchange, 422, `${what}: validate the body with Pydantic (Field(min_length=..., max_length=..., pattern=...))`);
    }
    const notJson = await http.post("/messages", undefined, { body: "{not json", headers: { "content-type": "application/json" } });
    expectStatus(notJson, 422, "a body that is not JSON is FastAPI's own 422");
    // The longest text allowed is accepted.
    const longest = await publish({ text: `${"good ".repeat(199)}good!` }, "a text of exactly 1000 characters is valid");
    for (const published of [a, b, c, p, longest]) await quietly(untilFinal(published, 6000, "a message"));
  });

  it("R10.2 GET /messages/{id} shows the message, which reaches processed", async () => {
    const sentText = text(2);
    const published = await publish({ text: sentText, id: freshId("r2") });
    const watched = await untilFinal(published, PROCESS_BUDGET_MS, "the message");
    expectProcessed(
      watched,
      sentText,
      "a message the model answers",
      1,
      "one attempt, which succeeded: attempts counts the model calls made for the message",
    );
    const unknown = await http.get(`/messages/${freshId("never-sent")}`);
    expectStatus(unknown, 404, "an id the server never accepted is a 404: HTTPException(status_code=404, detail=...)");
    expectField(
      unknown,
      "detail",
      isNonEmptyString,
      "a non-empty string",
      'FastAPI\'s HTTPException(404, detail=...) gives {"detail": ...}',
    );
  });

  it("R10.3 a status only says what is already true", async () => {
    const before = await readStats();
    const sentText = text(3);
    const published = await publish({ text: sentText });
    const watched = await untilFinal(published, PROCESS_BUDGET_MS, "the message");
    // The read that first showed "processed" must already hold the result.
    expectProcessed(
      watched,
      sentText,
      "the message",
      1,
      "store the result before the status says processed: whoever reads processed must find it",
    );
    const after = await readStats();
    for (const name of ["processed", "model_calls"] as const) {
      check(after[name] - before[name] >= 1, {
        expected: `GET /stats to count the message in ${name} once it reads processed`,
        got: `${name} +${after[name] - before[name]}`,
        hint: "count the model call and the processed message before (or when) the status says processed",
      });
    }
    check(watched.seen.includes("processing"), {
      expected: `the status "processing" while the model runs (${latencyMs()} ms), seen by a read every 20 ms`,
      got: `only ${watched.seen.join(" → ")}`,
      hint: "set processing when the work starts, and processed only when the result is stored",
    });
  });

  it("R10.4 a message id takes effect once", async () => {
    const before = await readStats();
    const id = freshId("r4");
    const sentText = text(4);
    const first = await publish({ text: sentText, id });
    const again = await publish({ text: sentText, id });
    check(again.id === id, { expected: `202 with the same id ${id}`, got: again.id, exchange: again.exchange });
    const watched = await untilFinal(first, PROCESS_BUDGET_MS, "the message");
    expectProcessed(watched, sentText, "the message", 1, "the message id takes effect once: a second publish of it queues nothing");
    const late = await publish({ text: sentText, id });
    expectField(
      late.exchange,
      "status",
      (v) => v === "processed",
      '"processed" (its current status)',
      "a known id answers 202 with the message's current status",
    );
    await sleep(1000);
    const after = await readStats();
    expectRise(
      before,
      after,
      { model_calls: 1, processed: 1 },
      `one message, published three times under the id ${id}`,
      "look the id up before you publish: a known id (not dead-lettered) is answered with 202 and not published again; and a consumer skips a delivery whose id is already processed",
    );
    const message = await readMessage(id);
    check(message?.attempts === 1 && message.status === "processed", {
      expected: "the message still processed, with attempts 1",
      got: `${message?.status}, attempts ${message?.attempts}`,
      ...(message ? { exchange: message.exchange } : {}),
      hint: "a duplicate must not reset or rerun the message",
    });
  });

  it("R10.5 a transient failure is retried, and the message is processed", async () => {
    const before = await readStats();
    const sentText = fresh(`${TEXTS[5]} ${transientFailureMarker(maxRetries())}`);
    const published = await publish({ text: sentText });
    const watched = await untilFinal(published, RETRY_BUDGET_MS, `a message with ${transientFailureMarker(maxRetries())}`);
    expectProcessed(
      watched,
      sentText,
      `a message whose first ${maxRetries()} model calls fail`,
      maxRetries() + 1,
      `MAX_RETRIES=${maxRetries()}: a failed attempt is tried again up to ${maxRetries()} times, so the ${maxRetries() + 1}th call (which answers) must still happen`,
    );
    expectRise(
      before,
      await readStats(),
      { model_calls: maxRetries() + 1, processed: 1, dead_lettered: 0 },
      "two failed calls, then one that answered",
      "count every model call, failed ones included",
    );
  });

  it("R10.6 a poison message is retried MAX_RETRIES times, then dead-lettered", async () => {
    const before = await readStats();
    const published = await publish({ text: fresh(`hopeless ${FAILURE_MARKER}`) });
    const watched = await untilFinal(published, RETRY_BUDGET_MS, `a message with ${FAILURE_MARKER}`);
    const { message } = watched;
    check(message.status === "dead_lettered", {
      expected: `a message the model always fails on to end "dead_lettered"`,
      got: `"${message.status}"`,
      exchange: message.exchange,
      hint: "after the last retry fails, put the message on the dead-letter queue and set dead_lettered",
    });
    check(message.attempts === attemptsAllowed(), {
      expected: `attempts ${attemptsAllowed()} (1 + MAX_RETRIES=${maxRetries()})`,
      got: `attempts ${message.attempts}`,
      exchange: message.exchange,
      hint: "try once, then retry MAX_RETRIES times: count the calls for MAX_RETRIES=2 on paper",
    });
    expectField(message.exchange, "result", (v) => v === null, "null", "a dead-lettered message has no result");
    expectField(message.exchange, "error", isNonEmptyString, "a non-empty string saying why", "keep the last failure's message (str(exc))");
    const workMs = attemptsAllowed() * latencyMs() + maxRetries() * retryDelayMs();
    const minimumMs = Math.round(POISON_FLOOR_SHARE * workMs);
    check(watched.elapsedMs >= minimumMs, {
      expected: `dead-lettered no sooner than ${minimumMs} ms after the 202 (${attemptsAllowed()} model calls of ${latencyMs()} ms and ${maxRetries()} pauses of RETRY_DELAY_MS=${retryDelayMs()} ms take ${workMs} ms)`,
      got: `dead-lettered ${watched.elapsedMs} ms after the 202`,
      exchange: message.exchange,
      hint: "wait RETRY_DELAY_MS between a failed attempt and the next one: await asyncio.sleep(retry_delay_ms / 1000)",
    });
    expectRise(
      before,
      await readStats(),
      { model_calls: attemptsAllowed(), dead_lettered: 1, processed: 0 },
      "one poison message",
      "every attempt calls the model once; the message is dead-lettered once",
    );
    await sleep(1000);
    const later = await readMessage(published.id);
    check(later?.status === "dead_lettered" && later.attempts === attemptsAllowed(), {
      expected: `1 s later still dead_lettered with attempts ${attemptsAllowed()}`,
      got: `${later?.status}, attempts ${later?.attempts}`,
      ...(later ? { exchange: later.exchange } : {}),
      hint: "a dead-lettered message is acknowledged and left alone: requeueing it retries it forever",
    });
    expectRise(
      before,
      await readStats(),
      { model_calls: attemptsAllowed() },
      "no model call after the dead-lettering",
      "once dead-lettered, a message is never tried again by itself",
    );
  });

  it("R10.7 a dead-lettered id may be published again, and is then processed anew", async () => {
    const before = await readStats();
    const id = freshId("r7");
    const sentText = fresh(`${TEXTS[6]} ${transientFailureMarker(attemptsAllowed())}`);
    const first = await publish({ text: sentText, id });
    const failed = await untilFinal(first, RETRY_BUDGET_MS, "the message (its first three calls fail)");
    check(failed.message.status === "dead_lettered", {
      expected: `the message dead-lettered after ${attemptsAllowed()} failed attempts`,
      got: `"${failed.message.status}" after ${failed.message.attempts} attempts`,
      exchange: failed.message.exchange,
      hint: "R10.6: 1 + MAX_RETRIES attempts, then the dead-letter queue",
    });
    const replay = await publish({ text: sentText, id }, "a dead-lettered id may be published again: answer 202 and queue it anew");
    const watched = await untilFinal(replay, PROCESS_BUDGET_MS, "the replayed message", {});
    expectProcessed(
      watched,
      sentText,
      "the replayed message",
      1,
      "a replay of a dead-lettered id is a new message: queue it again with a fresh record (attempts from 0). An id marked as done when it was first seen, rather than when its work succeeded, blocks the replay",
    );
    expectRise(
      before,
      await readStats(),
      { model_calls: attemptsAllowed() + 1, processed: 1, dead_lettered: 1 },
      "three failed calls, then the replay's one",
      "the replay runs the model once more",
    );
  });

  it("R10.8 work never blocks the event loop", async (ctx) => {
    needsControl(ctx);
    await server.restart({ env: { MODEL_LATENCY_MS: String(LOOP_LATENCY_MS) } });
    const texts = [text(0), text(1), text(2)];
    const { value, loop } = await watchEventLoop(async () => {
      const results = await settle([
        ...texts.map((t) => http.post("/messages", { text: t })),
        http.post("/messages", { text: fresh(`lost ${FAILURE_MARKER}`) }),
      ]);
      const published = results.map((r) => {
        const exchange = answered(r, "POST /messages", BLOCKING_HINT);
        expectStatus(exchange, 202, NEEDS_PUBLISH);
        return { id: String((exchange.json as { id?: unknown }).id), exchange, acceptedAt: performance.now() };
      });
      return Promise.all(published.map((p) => untilFinal(p, 10_000, "a message")));
    });
    value.slice(0, 3).forEach((watched, index) => {
      expectProcessed(watched, texts[index] as string, "a plain message", 1, BLOCKING_HINT);
    });
    check(value[3]?.message.status === "dead_lettered", {
      expected: "the poison message dead-lettered",
      got: String(value[3]?.message.status),
      hint: "R10.6",
    });
    expectLoopFree(loop, {
      limitMs: LOOP_LATENCY_MS / 2,
      during: `3 messages were processed and a poison message retried (MODEL_LATENCY_MS=${LOOP_LATENCY_MS})`,
      hint: BLOCKING_HINT,
    });
  });

  it("R10.9 with a broker, an accepted message survives a restart of the server (broker only)", async (ctx) => {
    needsControl(ctx);
    if (!process.env.AMQP_URL) {
      ctx.skip(
        "broker only: AMQP_URL is unset, and the in-process queue ends with the process (give drill a RabbitMQ with DRILL_AMQP_URL)",
      );
    }
    await server.restart({ env: { MODEL_LATENCY_MS: String(SLOW_LATENCY_MS) } });
    const texts = [text(3), text(4), text(5)];
    const published: Published[] = [];
    for (const t of texts) published.push(await publish({ text: t }));
    // Wait until a message's work is in progress, so the restart stops the server in the middle of it.
    const deadline = performance.now() + 5000;
    let inProgress = false;
    while (!inProgress && performance.now() < deadline) {
      for (const p of published) {
        const message = await readMessage(p.id);
        if (message?.status === "processing") inProgress = true;
      }
      if (!inProgress) await sleep(20);
    }
    check(inProgress, {
      expected: `one of the messages to read "processing" within 5 s (MODEL_LATENCY_MS=${SLOW_LATENCY_MS})`,
      got: "none did",
      hint: "the consumer must take messages off the queue as they come, and say processing while the model runs",
    });
    await server.restart();
    const restartedAt = performance.now();
    for (const [index, p] of published.entries()) {
      const watched = await untilFinal(
        { ...p, acceptedAt: restartedAt },
        SURVIVE_BUDGET_MS,
        `message ${index + 1} of 3 after the restart`,
        {
          allow404: true,
        },
      );
      expectProcessed(
        watched,
        texts[index] as string,
        `message ${index + 1} of 3 after the restart`,
        1,
        "acknowledge a delivery only after its work is done (not on receipt, not no_ack=True), and keep the queue durable and the messages persistent: what the server had not finished must be delivered to the new process",
      );
    }
  });

  it("R10.10 a broker that does not answer gives 503 within 1 s, not a hang", async (ctx) => {
    needsControl(ctx);
    // A loopback port that accepts connections and never says a word: a broker that has hung.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => undefined);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      try {
        await server.restart({ env: { AMQP_URL: `amqp://guest:guest@127.0.0.1:${port}/` } });
      } catch (error) {
        fail({
          expected: "your server to start (GET /health 200) while the broker accepts connections but never answers",
          got: (error as Error).message,
          hint: "bound the connect in the lifespan (asyncio.wait_for(aio_pika.connect(url), timeout)), and start without a connection when it fails",
        });
      }
      for (const attempt of ["a publish", "a second publish"]) {
        const exchange = await http.post("/messages", { text: text(6) }, { timeoutMs: 3000 }).catch((error: Error) => error);
        if (exchange instanceof Error) {
          fail({
            expected: `503 within ${BROKER_DOWN_BUDGET_MS} ms for ${attempt} while the broker does not answer`,
            got: exchange.message,
            hint: "every wait for the broker needs a timeout: the connect (asyncio.wait_for(aio_pika.connect(url), 0.5)) and the publish",
          });
        }
        expectStatus(
          exchange,
          503,
          "202 means the broker has the message: await the publish (with confirms), and when the broker cannot be reached answer HTTPException(503, detail=...)",
        );
        expectField(
          exchange,
          "detail",
          isNonEmptyString,
          "a non-empty string saying why",
          'HTTPException(503, detail=...) gives {"detail": ...}',
        );
        check(exchange.durationMs <= BROKER_DOWN_BUDGET_MS, {
          expected: `the 503 within ${BROKER_DOWN_BUDGET_MS} ms`,
          got: `it took ${Math.round(exchange.durationMs)} ms`,
          exchange,
          hint: "bound every wait for the broker with a timeout well under a second (asyncio.wait_for(..., 0.3))",
        });
      }
      const health = await http.get("/health", { timeoutMs: 1000 });
      expectStatus(health, 200, "GET /health answers whether or not the broker does");
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});
