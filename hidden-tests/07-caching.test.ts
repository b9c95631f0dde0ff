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
  expectStatus,
  fail,
  http,
  knob,
  sleep,
  type Exchange,
} from "./harness/index.js";
import { expectedPrediction, MODEL_VERSION } from "./harness/model.js";

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

const NEEDS_PREDICT = 'POST /predict takes {"text": ...} and answers 200 with the prediction (R07.1)';
const NEEDS_STATS = "this needs GET /cache/stats (R07.7): {\"hits\": n, \"misses\": n, \"model_calls\": n}";
const STORE_HINT =
  "cache-aside: look the key up first; on a miss run the model, store the JSON answer with its TTL (Redis SET with ex=CACHE_TTL_SECONDS, or your in-process cache), and only then return it";

async function predict(text: string): Promise<Exchange> {
  const exchange = await http.post("/predict", { text });
  expectStatus(exchange, 200, NEEDS_PREDICT);
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

async function readStats(): Promise<{ stats: Stats; exchange: Exchange }> {
  const exchange = await http.get("/cache/stats");
  expectStatus(exchange, 200, NEEDS_STATS);
  const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  const stats = {} as Stats;
  for (const field of ["hits", "misses", "model_calls"] as const) {
    stats[field] = expectField(exchange, field, isCount, "a non-negative integer", NEEDS_STATS) as number;
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
    for (const base of TEXTS.slice(0, 3)) {
      const text = fresh(base);
      const exchange = await predict(text);
      expectPrediction(exchange, text, "return model.predict(text)'s label and score unchanged, plus model_version");
    }

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
    const sentAt = performance.now();
    const miss = await predict(text);
    const answeredAt = performance.now();
    expectCache(miss, "MISS", "the first request for a new text", "this text was never sent before");

    await sleepUntil(sentAt + ttl / 2);
    const hit = await predict(text);
    expectCache(
      hit,
      "HIT",
      `sent ${Math.round(performance.now() - sentAt)} ms after the MISS, well inside CACHE_TTL_SECONDS (${ttl / 1000} s)`,
      "the entry must live CACHE_TTL_SECONDS seconds: Redis SET ex= takes seconds (px= takes milliseconds); in process, store now + ttl and compare on read",
    );

    await sleepUntil(answeredAt + ttl + 500);
    const expired = await predict(text);
    expectCache(
      expired,
      "MISS",
      `sent ${Math.round(performance.now() - answeredAt)} ms after the MISS that stored the entry was answered, past CACHE_TTL_SECONDS (${ttl / 1000} s)`,
      "give every entry its expiry when you store it (Redis: SET key value ex=CACHE_TTL_SECONDS; in process: keep the expiry time with the value and treat an expired entry as missing)",
    );
    expectPrediction(expired, text, "after expiry the model answers again");

    const again = await predict(text);
    expectCache(again, "HIT", "right after the MISS that stored a fresh entry", "an expired entry is replaced by the next MISS, with a new TTL");
  });

  it("R07.6 POST /cache/invalidate deletes one text's entry", async () => {
    const first = fresh(TEXTS[3]);
    const second = fresh(TEXTS[4]);
    for (const text of [first, second]) {
      await predict(text);
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
    expectStatus(never, 200, "invalidating a text that was never cached is not an error: answer 200 {\"deleted\": false}");
    expectField(never, "deleted", (v) => v === false, "false: that text was never predicted");

    for (const bad of [{}, { text: "" }]) {
      const exchange = await http.post("/cache/invalidate", bad);
      expectStatus(exchange, 422, "the invalidation body is validated like /predict's: text is a string of 1 to 1000 characters");
    }
  });

  it("R07.7 GET /cache/stats counts hits, misses and model calls exactly", async () => {
    const start = await readStats();
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
      misses: "count a miss each time POST /predict answers X-Cache: MISS; a 422 never reaches your handler, and an invalidation is neither",
      model_calls: "count each call of model.predict(), next to the call itself",
    };
    const traffic = "MISS, HIT, HIT, MISS, two 422s and an invalidation";
    const middle = await readStats();
    expectGrowth(start.stats, middle, { hits: 2, misses: 2, model_calls: 2 }, traffic, hints);

    const reread = await readStats();
    expectGrowth(middle.stats, reread, { hits: 0, misses: 0, model_calls: 0 }, "nothing but reading the stats", {
      hits: "reading the stats must not count as traffic",
      misses: "reading the stats must not count as traffic",
      model_calls: "reading the stats must not call the model",
    });

    const missAgain = await predict(first);
    expectCache(missAgain, "MISS", "the text was invalidated", "this needs R07.6 first");
    expectGrowth(start.stats, await readStats(), { hits: 2, misses: 3, model_calls: 3 }, `${traffic}, then a MISS`, hints);
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
      expectSameKey(exchange, burst.exchanges[0]!, "the same text has one key", "derive the key from the text alone (and the model version), never from the request");
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
  });
});
