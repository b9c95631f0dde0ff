// Practice 07: caching. Every test is named after the README requirement it checks.
//
// A Redis cache outlives the server and the check, so nothing here may depend on what an
// earlier run left behind: every text the suite sends is new to this run (it ends in " #<digits>",
// which the model ignores: it only reads words), and the stats are compared as differences.
import { createHash, randomInt } from "node:crypto";
import { describe, it } from "vitest";
import {
  TransportError,
  check,
  expectField,
  expectJsonObject,
  expectLoopFree,
  expectStatus,
  fail,
  http,
  isNonEmptyString,
  knob,
  sleep,
  watchEventLoop,
  type Exchange,
} from "./harness/index.js";
import { expectedPrediction, FAILURE_MARKER, MODEL_VERSION, transientFailureMarker } from "./harness/model.js";

// Texts whose model answers harness/model.ts knows; variants with other case, spacing, digits or
// punctuation get the same answer (the model reads only the words).
const TEXTS = [
  "great service, would recommend",
  "Terrible support and a slow refund.",
  "The app works, but it crashes and the docs are not helpful",
  "I love how fast and reliable this is!",
  "worst update ever: broken, buggy, awful",
  "never again, I hate the bugs",
  "Fast delivery and a helpful team",
] as const;

const MAX_TEXT_LENGTH = 1000;
const latencyMs = () => knob("MODEL_LATENCY_MS");
const ttlMs = () => knob("CACHE_TTL_SECONDS") * 1000;
/** A HIT must answer within half the model's latency. */
const hitBudgetMs = () => latencyMs() / 2;
/** Five concurrent requests that each need at most one model call finish within this. */
const burstBudgetMs = () => 2.5 * latencyMs();
/** R07.5 expects a HIT this long after the MISS that stored the entry: a TTL half as long has expired by then. */
const hitProbeMs = () => 0.7 * ttlMs();
/** ... and a MISS this long after it: a TTL twice as long has not expired by then. */
const missProbeMs = () => 1.4 * ttlMs();
/** The longest a GET /health may wait while the model runs: half of one blocking model call. */
const loopLimitMs = () => latencyMs() / 2;

// --- texts that are new to this run ------------------------------------------------------------

const RUN = String(randomInt(100_000_000, 1_000_000_000));
let sent = 0;

/** `base` plus a number that no earlier run used; the model's answer is that of `base`. */
function fresh(base: string): string {
  sent += 1;
  return `${base} #${RUN}${String(sent).padStart(3, "0")}`;
}

/** The README's normalisation: trim, collapse inner whitespace to one space, lower-case. */
function normalise(text: string): string {
  return text.trim().split(/\s+/).join(" ").toLowerCase();
}

function cacheKey(text: string): string {
  return `predict:${MODEL_VERSION}:${createHash("sha256").update(normalise(text), "utf8").digest("hex")}`;
}

// --- review helpers --------------------------------------------------------------------------

const NEEDS_PREDICT = 'this needs POST /predict (R07.1) first: it takes {"text": ...} and answers 200 with the prediction';
const NEEDS_STATS = 'this needs GET /cache/stats (R07.7) first: {"hits": n, "misses": n, "model_calls": n}';
const STORE_HINT =
  "cache-aside: look the key up first; on a miss run the model, store the JSON answer with its TTL (Redis SET with ex=CACHE_TTL_SECONDS, or your in-process cache), and only then return it";
const BLOCKING_HINT =
  "model.predict() blocks its thread: run it with `await run_in_threadpool(model.predict, text)` (or anyio/asyncio to_thread); called directly in async code it stops every other request, /health included, for the whole model call";
/**
 * For requests that make the model raise. When an exception escapes the app, uvicorn closes the
 * connection; asking for that up front keeps the client from reusing a connection the server is
 * closing, so a mistake fails the requirement it concerns and never, by chance, the next request.
 */
const CLOSE = { headers: { connection: "close" } };
const MODEL_ERROR_HINT =
  'catch the model\'s ModelError and raise HTTPException(status_code=500, detail=str(exc)): FastAPI answers that as JSON {"detail": ...}';

async function predict(text: string, hint = NEEDS_PREDICT): Promise<Exchange> {
  const exchange = await http.post("/predict", { text });
  expectStatus(exchange, 200, hint);
  return exchange;
}

/** Checks the body against the model's own answer for `text`. */
function expectPrediction(exchange: Exchange, text: string, hint: string): void {
  const expected = expectedPrediction(text);
  expectField(exchange, "label", (v) => v === expected.label, JSON.stringify(expected.label), hint);
  expectField(
    exchange,
    "score",
    (v) => typeof v === "number" && Math.abs(v - expected.score) < 1e-6,
    `${expected.score} (the model's own score for this text)`,
    hint,
  );
  expectField(
    exchange,
    "model_version",
    (v) => v === MODEL_VERSION,
    `"${MODEL_VERSION}" (the loaded model's version)`,
    "copy model.version into every prediction, cached ones included",
  );
}

/** Fails unless X-Cache is `wanted`. */
function expectCache(exchange: Exchange, wanted: "HIT" | "MISS", why: string, hint: string): void {
  const value = exchange.headers.get("x-cache");
  if (value === wanted) return;
  fail({
    expected: `X-Cache: ${wanted} (${why})`,
    got: value === null ? "no X-Cache header" : `X-Cache: ${value}`,
    exchange,
    hint:
      value === null
        ? 'set the header on every 200 answer of POST /predict, e.g. through a Response parameter: response.headers["X-Cache"] = "HIT" or "MISS"'
        : hint,
  });
}

/** Fails unless X-Cache-Key is the README's key for `text`. */
function expectKey(exchange: Exchange, text: string, hintWhenWrong?: string): string {
  const wanted = cacheKey(text);
  const value = exchange.headers.get("x-cache-key");
  if (value === wanted) return value;
  let hint = hintWhenWrong;
  if (value === null) {
    hint = "set X-Cache-Key on every 200 answer of POST /predict, HIT and MISS alike: the key the entry is stored and looked up under";
  } else if (value.endsWith(wanted)) {
    hint = `the header carries the cache key alone, ${wanted}: leave a prefix of your own (${JSON.stringify(value.slice(0, -wanted.length))}) out of it, whatever you put in front of the keys in Redis`;
  } else if (!value.startsWith(`predict:${MODEL_VERSION}:`)) {
    hint = `the key is predict:{model.version}:{digest}. Without the model version, the day a new model ships it would serve the old model's cached answers as its own`;
  } else if (!hint) {
    hint = `the digest is the SHA-256 hex digest of the normalised text (" ".join(text.split()).lower()) encoded as UTF-8; here that is ${JSON.stringify(normalise(text))}`;
  }
  fail({
    expected: `X-Cache-Key: ${wanted} (the cache key of ${JSON.stringify(text)})`,
    got: value === null ? "no X-Cache-Key header" : `X-Cache-Key: ${value}`,
    exchange,
    ...(hint ? { hint } : {}),
  });
}

/** Fails unless `exchange` reports the same X-Cache-Key as `first` (the exact format is R07.3's). */
function expectSameKey(exchange: Exchange, first: Exchange, why: string, hint: string): void {
  const wanted = first.headers.get("x-cache-key");
  const value = exchange.headers.get("x-cache-key");
  check(value !== null && value === wanted, {
    expected: `X-Cache-Key: ${wanted ?? "(a key)"} (${why})`,
    got: value === null ? "no X-Cache-Key header" : `X-Cache-Key: ${value}`,
    exchange,
    hint: value === null ? "set X-Cache-Key on every 200 answer of POST /predict (R07.3)" : hint,
  });
}

function sameBody(later: Exchange, first: Exchange, what: string, hint: string): void {
  const a = expectJsonObject(first);
  const b = expectJsonObject(later);
  for (const field of ["label", "score", "model_version"]) {
    check(JSON.stringify(b[field]) === JSON.stringify(a[field]), {
      expected: `${what} to have the same "${field}" as the first answer: ${JSON.stringify(a[field])}`,
      got: `"${field}": ${JSON.stringify(b[field])}`,
      exchange: later,
      hint,
    });
  }
}

interface Stats {
  hits: number;
  misses: number;
  model_calls: number;
}

async function readStats(hint = NEEDS_STATS): Promise<{ stats: Stats; exchange: Exchange }> {
  const exchange = await http.get("/cache/stats");
  expectStatus(exchange, 200, hint);
  const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  const stats = {} as Stats;
  for (const field of ["hits", "misses", "model_calls"] as const) {
    stats[field] = expectField(exchange, field, isCount, "a non-negative integer", hint) as number;
  }
  return { stats, exchange };
}

function expectGrowth(
  before: Stats,
  after: { stats: Stats; exchange: Exchange },
  wanted: Partial<Record<keyof Stats | "answers", number>>,
  traffic: string,
  hints: Partial<Record<keyof Stats | "answers", string>>,
): void {
  const grown = {
    hits: after.stats.hits - before.hits,
    misses: after.stats.misses - before.misses,
    model_calls: after.stats.model_calls - before.model_calls,
    answers: after.stats.hits + after.stats.misses - before.hits - before.misses,
  };
  for (const [field, count] of Object.entries(wanted) as Array<[keyof typeof grown, number]>) {
    const label = field === "answers" ? "hits + misses" : field;
    check(grown[field] === count, {
      expected: `${label} to rise by exactly ${count} after ${traffic}`,
      got: `it rose by ${grown[field]} (before: ${JSON.stringify(before)}; after: ${JSON.stringify(after.stats)})`,
      exchange: after.exchange,
      ...(hints[field] ? { hint: hints[field] } : {}),
    });
  }
}

/** Sends requests at the same moment; a request that got no answer fails with `hint`. */
async function together(requests: Array<() => Promise<Exchange>>, hint: string): Promise<{ exchanges: Exchange[]; elapsedMs: number }> {
  const started = performance.now();
  const results = await Promise.all(
    requests.map((send) =>
      send().catch((error: unknown) => {
        if (error instanceof TransportError) return error;
        throw error;
      }),
    ),
  );
  const elapsedMs = performance.now() - started;
  const exchanges = results.map((result) => {
    if (result instanceof TransportError) fail({ expected: "every concurrent request to get an answer", got: result.message, hint });
    return result;
  });
  return { exchanges, elapsedMs };
}

async function sleepUntil(deadline: number): Promise<void> {
  const left = deadline - performance.now();
  if (left > 0) await sleep(left);
}

// ---------------------------------------------------------------------------------------------

describe("07 caching", () => {
  it("R07.1 POST /predict answers with the prediction", async () => {
    const texts = TEXTS.slice(0, 3).map((base) => fresh(base));
    const { exchanges } = await together(
      texts.map((text) => () => http.post("/predict", { text })),
      "is the handler raising or waiting forever?",
    );
    exchanges.forEach((exchange, index) => {
      expectStatus(exchange, 200, 'add POST /predict: it takes {"text": ...} and answers 200 with the prediction');
      expectPrediction(exchange, texts[index]!, "return model.predict(text)'s label and score unchanged, plus model_version");
    });

    const cases: Array<{ what: string; json?: unknown; raw?: string }> = [
      { what: "no text field", json: {} },
      { what: "text is a number", json: { text: 42 } },
      { what: "text is empty", json: { text: "" } },
      { what: `text is ${MAX_TEXT_LENGTH + 1} characters long`, json: { text: "a".repeat(MAX_TEXT_LENGTH + 1) } },
      { what: "the body is not valid JSON", raw: '{"text": ' },
    ];
    for (const bad of cases) {
      const exchange =
        bad.raw === undefined
          ? await http.post("/predict", bad.json)
          : await http.request("POST", "/predict", { body: bad.raw, headers: { "content-type": "application/json" } });
      expectStatus(
        exchange,
        422,
        `${bad.what}: declare the body as a Pydantic model whose text is Annotated[str, Field(min_length=1, max_length=${MAX_TEXT_LENGTH})] and let FastAPI reject it`,
      );
    }
  });

  it("R07.2 a repeated text is a cache hit, and a hit is fast", async () => {
    const text = fresh(TEXTS[1]);
    const miss = await predict(text);
    expectCache(
      miss,
      "MISS",
      "the first request for a text nobody sent before",
      "a text that is not in the cache is a MISS; is the lookup using a key that every text shares?",
    );
    expectPrediction(miss, text, "on a miss, answer with what the model returned");

    for (const n of [2, 3]) {
      const hit = await predict(text);
      expectCache(hit, "HIT", `request ${n} for the same text, sent right after the first one was answered`, STORE_HINT);
      sameBody(hit, miss, `the HIT`, "store the whole prediction (label, score, model_version) as JSON and return it as it was");
      check(hit.durationMs <= hitBudgetMs(), {
        expected: `a HIT to answer within ${hitBudgetMs()} ms (the model takes ${latencyMs()} ms)`,
        got: `it took ${Math.round(hit.durationMs)} ms`,
        exchange: hit,
        hint: "a HIT must not call the model: look the key up first and return the stored answer at once",
      });
    }
  });

  it("R07.3 every answer names its cache key, which includes the model version", async () => {
    const text = fresh("Great service, would RECOMMEND");
    const miss = await predict(text);
    expectKey(miss, text);
    const hit = await predict(text);
    expectCache(hit, "HIT", "the second request for the same text", STORE_HINT);
    expectKey(hit, text, "a HIT reports the same key as the MISS that stored it: the key it was found under");
  });

  it("R07.4 texts that normalise alike share one entry", async () => {
    const text = fresh(TEXTS[6]);
    const words = text.split(" ");
    const miss = await predict(text);
    expectCache(miss, "MISS", `the first request for ${JSON.stringify(text)}`, "this text was never sent before");
    const normaliseHint = `normalise before you hash: strip both ends, collapse every run of whitespace to one space, lower-case (" ".join(text.split()).lower()); ${JSON.stringify(text)} and this text both normalise to ${JSON.stringify(normalise(text))}`;

    const variants = [
      text.toUpperCase(),
      `  ${words.join("   ")}  `,
      `${words.slice(0, 3).join("\t")} ${words.slice(3).join(" ")}\n`,
      words.map((word, i) => (i % 2 ? word.toLowerCase() : word.toUpperCase())).join(" \n "),
    ];
    for (const variant of variants) {
      const hit = await predict(variant);
      expectCache(hit, "HIT", `${JSON.stringify(variant)} normalises like ${JSON.stringify(text)}, which is cached`, normaliseHint);
      expectSameKey(hit, miss, "the key of the cached text it normalises like", normaliseHint);
      sameBody(hit, miss, "the HIT for a variant", "a HIT returns the stored prediction");
    }

    const other = `${words.slice(0, -1).join(" ")}! ${words[words.length - 1]}`;
    const different = await predict(other);
    expectCache(
      different,
      "MISS",
      `${JSON.stringify(other)} differs in punctuation, so its normalised text and its key differ`,
      "normalise only whitespace and case; punctuation and digits stay part of the text",
    );
    const otherKey = different.headers.get("x-cache-key");
    check(otherKey !== null && otherKey !== miss.headers.get("x-cache-key"), {
      expected: "a different X-Cache-Key for a text with a different normalised text",
      got: otherKey === null ? "no X-Cache-Key header" : `the same key as ${JSON.stringify(text)}: ${otherKey}`,
      exchange: different,
      hint: "normalise only whitespace and case",
    });
  });

  it("R07.5 entries expire after CACHE_TTL_SECONDS", async () => {
    const ttl = ttlMs();
    const text = fresh(TEXTS[2]);
    const miss = await predict(text);
    // The entry is stored before the MISS is answered: time it from the answer.
    const storedBy = performance.now();
    expectCache(miss, "MISS", "the first request for a new text", "this text was never sent before");

    await sleepUntil(storedBy + hitProbeMs());
    const hitSentAfter = Math.round(performance.now() - storedBy);
    const hit = await predict(text);
    expectCache(
      hit,
      "HIT",
      `sent ${hitSentAfter} ms after the MISS that stored the entry was answered, well inside CACHE_TTL_SECONDS (${ttl / 1000} s)`,
      "the entry must live CACHE_TTL_SECONDS seconds from when it is stored: Redis SET ex= takes seconds (px= takes milliseconds); in process, store now + ttl and compare on read. An entry gone this early lives at most half its TTL",
    );

    await sleepUntil(storedBy + missProbeMs());
    const missSentAfter = Math.round(performance.now() - storedBy);
    const expired = await predict(text);
    expectCache(
      expired,
      "MISS",
      `sent ${missSentAfter} ms after the MISS that stored the entry was answered, past CACHE_TTL_SECONDS (${ttl / 1000} s)`,
      `give every entry its expiry when you store it (Redis: SET key value ex=CACHE_TTL_SECONDS; in process: keep the expiry time with the value and treat an expired entry as missing), and do not renew it on a HIT: the HIT at ${Math.round(hitProbeMs())} ms must not make the entry live until ${Math.round(hitProbeMs() + ttl)} ms. Is CACHE_TTL_SECONDS read at all (a default of minutes would look like this)?`,
    );
    expectPrediction(expired, text, "after expiry the model answers again");

    const again = await predict(text);
    expectCache(
      again,
      "HIT",
      "right after the MISS that stored a fresh entry",
      "an expired entry is replaced by the next MISS, with a new TTL",
    );
  });

  it("R07.6 POST /cache/invalidate deletes one text's entry", async () => {
    const first = fresh(TEXTS[3]);
    const second = fresh(TEXTS[4]);
    const { exchanges } = await together(
      [first, second].map((text) => () => http.post("/predict", { text })),
      "is the handler raising or waiting forever?",
    );
    for (const exchange of exchanges) expectStatus(exchange, 200, NEEDS_PREDICT);
    for (const text of [first, second]) {
      expectCache(await predict(text), "HIT", "the second request for the same text", `this needs R07.2 first: ${STORE_HINT}`);
    }

    const invalidate = async (text: unknown): Promise<Exchange> => http.post("/cache/invalidate", { text });
    const variant = `  ${first.toUpperCase().split(" ").join("  ")} `;
    const deleted = await invalidate(variant);
    expectStatus(deleted, 200, 'add POST /cache/invalidate: it takes {"text": ...} like /predict and answers 200 {"deleted": true|false}');
    expectField(
      deleted,
      "deleted",
      (v) => v === true,
      `true: ${JSON.stringify(variant)} normalises like ${JSON.stringify(first)}, whose entry exists`,
      "build the key exactly as POST /predict does (normalised text, model version) and delete that one key; Redis DELETE returns how many keys it removed",
    );

    const again = await invalidate(first);
    expectStatus(again, 200);
    expectField(
      again,
      "deleted",
      (v) => v === false,
      "false: the entry was deleted a moment ago",
      "report whether an entry was actually there to delete (Redis DELETE returns 0 or 1)",
    );

    const missAfter = await predict(first);
    expectCache(
      missAfter,
      "MISS",
      "the text was invalidated, so its entry is gone",
      "delete the entry under the same key POST /predict uses: normalised text and model version; check you delete in the same backend you read from",
    );
    expectCache(
      await predict(second),
      "HIT",
      "another text's entry, which nobody invalidated",
      "invalidate deletes one key; never FLUSHDB or clear the whole cache",
    );

    const never = await invalidate(fresh(TEXTS[5]));
    expectStatus(never, 200, 'invalidating a text that was never cached is not an error: answer 200 {"deleted": false}');
    expectField(never, "deleted", (v) => v === false, "false: that text was never predicted");

    for (const bad of [{}, { text: "" }]) {
      const exchange = await http.post("/cache/invalidate", bad);
      expectStatus(exchange, 422, "the invalidation body is validated like /predict's: text is a string of 1 to 1000 characters");
    }
  });

  it("R07.7 GET /cache/stats counts hits, misses and model calls exactly", async () => {
    const ownHint = 'add GET /cache/stats: it answers 200 {"hits": n, "misses": n, "model_calls": n}, three non-negative integers';
    const start = await readStats(ownHint);
    const first = fresh(TEXTS[5]);
    const second = fresh(TEXTS[0]);
    await predict(first);
    await predict(first);
    await predict(first.toUpperCase());
    await predict(second);
    for (const bad of [{}, { text: "" }]) expectStatus(await http.post("/predict", bad), 422, "this needs R07.1 first");
    expectStatus(await http.post("/cache/invalidate", { text: first }), 200, "this needs POST /cache/invalidate (R07.6) first");

    const hints = {
      hits: "count a hit each time POST /predict answers X-Cache: HIT, and nothing else",
      misses:
        "count a miss each time POST /predict answers X-Cache: MISS; a 422 never reaches your handler, and an invalidation is neither",
      model_calls: "count each call of model.predict(), next to the call itself",
    };
    const traffic = "MISS, HIT, HIT, MISS, two 422s and an invalidation";
    const middle = await readStats(ownHint);
    expectGrowth(start.stats, middle, { hits: 2, misses: 2, model_calls: 2 }, traffic, hints);

    const reread = await readStats(ownHint);
    expectGrowth(middle.stats, reread, { hits: 0, misses: 0, model_calls: 0 }, "nothing but reading the stats", {
      hits: "reading the stats must not count as traffic",
      misses: "reading the stats must not count as traffic",
      model_calls: "reading the stats must not call the model",
    });

    const missAgain = await predict(first);
    expectCache(missAgain, "MISS", "the text was invalidated", "this needs R07.6 first");
    expectGrowth(start.stats, await readStats(ownHint), { hits: 2, misses: 3, model_calls: 3 }, `${traffic}, then a MISS`, hints);
  });

  it("R07.8 concurrent misses for one key call the model once", async () => {
    const budget = burstBudgetMs();
    const blockingHint =
      "also check that model.predict() runs off the event loop (run_in_threadpool, anyio/asyncio to_thread): called directly it makes every request wait for every other";

    const before = await readStats();
    const text = fresh(TEXTS[1]);
    const burst = await together(
      Array.from({ length: 5 }, () => () => http.post("/predict", { text })),
      "is a handler raising or waiting forever?",
    );
    for (const exchange of burst.exchanges) {
      expectStatus(exchange, 200, NEEDS_PREDICT);
      expectPrediction(exchange, text, "every waiter gets the result of the one model call");
      expectSameKey(
        exchange,
        burst.exchanges[0]!,
        "the same text has one key",
        "derive the key from the text alone (and the model version), never from the request",
      );
    }
    const singleFlightHint =
      "keep a dict of in-flight model calls per key (an asyncio.Task or Future): a miss whose key is already being computed awaits that task instead of calling the model again; remove the entry when the call ends";
    expectGrowth(before.stats, await readStats(), { model_calls: 1, answers: 5 }, "5 concurrent requests with the same new text", {
      model_calls: singleFlightHint,
      answers: "every answer of POST /predict is either a hit or a miss",
    });
    check(burst.elapsedMs <= budget, {
      expected: `5 concurrent requests with the same new text to be answered within ${budget} ms (the model takes ${latencyMs()} ms once)`,
      got: `the last answer came after ${Math.round(burst.elapsedMs)} ms`,
      hint: `the four that wait must wake up as soon as the first call stores its result; ${blockingHint}`,
    });

    const middle = await readStats();
    const texts = TEXTS.slice(2, 7).map((base) => fresh(base));
    const spread = await together(
      texts.map((t) => () => http.post("/predict", { text: t })),
      "is a handler raising or waiting forever?",
    );
    spread.exchanges.forEach((exchange, index) => {
      expectStatus(exchange, 200, NEEDS_PREDICT);
      expectPrediction(exchange, texts[index]!, "each text gets its own prediction: are waiters joined to the wrong key's call?");
    });
    check(spread.elapsedMs <= budget, {
      expected: `5 concurrent requests with 5 different new texts to be answered within ${budget} ms (each needs one ${latencyMs()} ms model call, and they can run side by side)`,
      got: `the last answer came after ${Math.round(spread.elapsedMs)} ms: the model calls ran one after another`,
      hint: `single-flight is per key: one lock (or one in-flight slot) for every text makes different texts wait for each other; ${blockingHint}`,
    });
    expectGrowth(middle.stats, await readStats(), { model_calls: 5 }, "5 concurrent requests with 5 different new texts", {
      model_calls: "each different text needs its own model call: is the in-flight dict keyed by the cache key?",
    });

    // The shared call fails: every waiter gets the failure, and nobody calls the model again.
    const beforeFailure = await readStats();
    const failing = fresh(`${TEXTS[5]} ${FAILURE_MARKER}`);
    const failed = await together(
      Array.from({ length: 5 }, () => () => http.post("/predict", { text: failing }, CLOSE)),
      "when the one model call fails, every request waiting for it must get its failure; does a waiter wait for a result that never comes?",
    );
    for (const exchange of failed.exchanges) {
      check(exchange.status >= 500 && exchange.status < 600, {
        expected: `a server error status (5xx) for each of 5 concurrent requests with ${JSON.stringify(failing)}: the model raised for it`,
        got: `status ${exchange.status}`,
        exchange,
        hint:
          exchange.status === 200
            ? "the model raised for this text, so there is no prediction to answer with: let the shared call's exception reach every waiter"
            : "await the shared call in every waiter and let its exception reach each of them (R07.9 says how to answer it)",
      });
    }
    check(failed.elapsedMs <= budget, {
      expected: `5 concurrent requests whose one model call fails to be answered within ${budget} ms`,
      got: `the last answer came after ${Math.round(failed.elapsedMs)} ms`,
      hint: `the waiters must wake up as soon as the shared call fails, not retry it one after another; ${blockingHint}`,
    });
    expectGrowth(
      beforeFailure.stats,
      await readStats(),
      { model_calls: 1 },
      "5 concurrent requests with the same new text containing [fail]",
      {
        model_calls:
          "a request that waited for the shared call gets that call's exception; it must not start a model call of its own after it failed (no retry per waiter)",
      },
    );
  });

  // --- when the model fails, and the event loop while it runs ------------------------------------

  it("R07.9 a failed model call is a 500 and is never cached", async () => {
    const before = await readStats();
    const marker = transientFailureMarker(1);
    const text = fresh(`${TEXTS[3]} ${marker}`);
    const failed = await http.post("/predict", { text }, CLOSE);
    const status = failed.status;
    expectStatus(
      failed,
      500,
      status === 200
        ? "the model raised on its first call with this text: answer 500, never a stand-in prediction (and never retry it silently)"
        : status >= 400 && status < 500
          ? `the request was valid, and the model's failure is the server's: a 500; ${MODEL_ERROR_HINT}`
          : MODEL_ERROR_HINT,
    );
    expectField(
      failed,
      "detail",
      isNonEmptyString,
      "a non-empty string saying why the model failed",
      `an exception left unhandled becomes a plain-text "Internal Server Error" that tells the client nothing: ${MODEL_ERROR_HINT}`,
    );

    const retry = await http.post("/predict", { text }, CLOSE);
    expectStatus(
      retry,
      200,
      "the model answers this text from its second call on, so the failure must not be remembered: store only successful answers, and remove the key's in-flight call when it ends, failed or not (try/finally)",
    );
    expectCache(
      retry,
      "MISS",
      "the request before it failed, so nothing was stored for this text",
      "store an answer only after the model returned it; never cache the failure or a stand-in for it",
    );
    // The marker's words ("fail", "first") carry no weight in the model: its answer is the base text's.
    expectPrediction(retry, text.replace(marker, ""), "after a failure, the next request gets the model's real answer");
    expectCache(await predict(text), "HIT", "the MISS just stored the model's answer", STORE_HINT);

    expectGrowth(
      before.stats,
      await readStats(),
      { model_calls: 2 },
      "a request whose model call failed, then a MISS and a HIT for the same text",
      {
        model_calls: "count every call of model.predict(), the one that raised included; the MISS after the failure calls the model again",
      },
    );
  });

  it("R07.10 misses never block the event loop", async () => {
    const texts = TEXTS.slice(0, 3).map((base) => fresh(base));
    const { value, loop } = await watchEventLoop(
      () =>
        together(
          texts.map((text) => () => http.post("/predict", { text })),
          "is the handler raising or waiting forever?",
        ),
      { intervalMs: 20 },
    );
    expectLoopFree(loop, {
      limitMs: loopLimitMs(),
      during: `3 misses ran the model (each call blocks its thread for ${latencyMs()} ms)`,
      hint: BLOCKING_HINT,
    });
    value.exchanges.forEach((exchange, index) => {
      expectStatus(exchange, 200, NEEDS_PREDICT);
      expectPrediction(exchange, texts[index]!, "return model.predict(text)'s label and score unchanged, plus model_version");
    });
  });
});
