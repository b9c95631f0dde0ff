// Practice 03 — API security: API keys, scopes, per-key rate limiting, CORS.
//
// Tests run in order against one server. Rate-limit state would leak between tests, so every
// test group uses its own API keys (see drill.json's API_KEYS), and every test that counts a
// key's quota first opens a fresh window for it (waiting out leftovers, e.g. Redis counters
// from a previous run). A sequence that must fit in one window is retried once when this
// machine was too slow to fit it, so that a loaded machine does not fail a correct solution.
import { it } from "vitest";
import {
  check,
  expectField,
  expectHeader,
  expectStatus,
  fail,
  http,
  knob,
  knobText,
  sleep,
  type Exchange,
} from "./harness/index.js";
import { MODEL_VERSION } from "./harness/model.js";

const LIMIT = knob("RATE_LIMIT_REQUESTS");
const WINDOW_S = knob("RATE_LIMIT_WINDOW_SECONDS");
const ORIGINS = knobText("CORS_ORIGINS")
  .split(",")
  .map((origin) => origin.trim())
  .filter(Boolean);

/** API_KEYS is "key:scope+scope,key:scope"; the suite needs these keys with these scopes. */
const KEY = requireKeys({
  predict: ["key-predict-a1", "predict"],
  admin: ["key-admin-b2", "admin+predict"],
  ops: ["key-ops-c3", "admin"],
  health: ["key-health-d4", "predict"],
  burst: ["key-burst-e5", "predict"],
  meter: ["key-meter-f6", "predict"],
  alpha: ["key-alpha-g7", "predict"],
  bravo: ["key-bravo-h8", "predict"],
  crowd: ["key-crowd-i9", "predict"],
  cors: ["key-cors-j10", "predict"],
});

function requireKeys<T extends Record<string, [string, string]>>(wanted: T): Record<keyof T, string> {
  const configured = new Map<string, string>();
  for (const entry of knobText("API_KEYS").split(",")) {
    const [key, scopes = ""] = entry.trim().split(":");
    if (key) configured.set(key, scopes.split("+").filter(Boolean).sort().join("+"));
  }
  const keys = {} as Record<keyof T, string>;
  for (const [role, [key, scopes]] of Object.entries(wanted) as Array<[keyof T, [string, string]]>) {
    if (configured.get(key) !== scopes) {
      throw new Error(`the API_KEYS knob must contain ${key}:${scopes} (this suite's drill.json sets it)`);
    }
    keys[role] = key;
  }
  return keys;
}

function withKey(key: string, headers: Record<string, string> = {}) {
  return { headers: { "X-API-Key": key, ...headers } };
}

const WWW_AUTHENTICATE = /^\s*apikey(\s|,|$)/i;
const UNAUTHORIZED_HINT =
  "authenticate in a dependency (APIKeyHeader(name=\"X-API-Key\", auto_error=False) plus your own check) " +
  "and raise HTTPException(401, headers={\"WWW-Authenticate\": \"ApiKey\"}) for a missing or unknown key; " +
  "401 means 'who are you?', 403 means 'I know you, and no'";

function expectUnauthorized(exchange: Exchange, why: string): void {
  expectStatus(exchange, 401, `${why}; ${UNAUTHORIZED_HINT}`);
  expectHeader(
    exchange,
    "WWW-Authenticate",
    WWW_AUTHENTICATE,
    "a 401 must say how to authenticate (RFC 9110): WWW-Authenticate: ApiKey. Pass it in HTTPException(headers=...)",
  );
  expectDetail(exchange);
}

function expectDetail(exchange: Exchange, mentioning?: string): void {
  expectField(
    exchange,
    "detail",
    (value) => typeof value === "string" && value.trim().length > 0 && (!mentioning || value.includes(mentioning)),
    mentioning ? `a message that names the "${mentioning}" scope` : "a non-empty message",
    'the README\'s error shape is {"detail": "..."}, which HTTPException(status_code, detail="...") produces',
  );
}

/** An integer header in [min, max]; fails like a reviewer otherwise. */
function intHeader(exchange: Exchange, name: string, min: number, max: number, hint: string): number {
  const value = expectHeader(exchange, name, /^\d+$/, hint);
  const number = Number(value);
  check(number >= min && number <= max, {
    expected: `${name} between ${min} and ${max}`,
    got: `${name}: ${value}`,
    exchange,
    hint,
  });
  return number;
}

const RESET_HINT = `X-RateLimit-Reset is the whole number of seconds until the key's window closes, rounded up: 1 to ${WINDOW_S} (RATE_LIMIT_WINDOW_SECONDS), not a timestamp`;

/** Checks X-RateLimit-Limit/Remaining/Reset; returns Remaining. */
function expectRateHeaders(exchange: Exchange, remaining: number, context: string): number {
  const hint = `every response to a request with a valid key carries X-RateLimit-* (${context}); set them in one place that sees every response, e.g. a middleware reading what the rate-limit dependency stored on request.state — headers set on an injected Response are lost when an HTTPException is raised`;
  intHeader(exchange, "X-RateLimit-Limit", LIMIT, LIMIT, `X-RateLimit-Limit is RATE_LIMIT_REQUESTS (${LIMIT}); ${hint}`);
  const got = intHeader(
    exchange,
    "X-RateLimit-Remaining",
    0,
    LIMIT,
    `X-RateLimit-Remaining counts the requests left in the window after this one, never below 0; ${hint}`,
  );
  check(got === remaining, {
    expected: `X-RateLimit-Remaining: ${remaining} (${context})`,
    got: `X-RateLimit-Remaining: ${got}`,
    exchange,
    hint: "every request with a valid key to a protected endpoint counts, whatever its outcome (200, 403, 422, 429), and Remaining is what is left after counting this one",
  });
  intHeader(exchange, "X-RateLimit-Reset", 1, WINDOW_S, RESET_HINT);
  return got;
}

/**
 * The first request (GET /me) of a fresh window for `key`. When the key still has a window
 * open (a previous run, with Redis), waits for it to close first.
 */
async function openWindow(key: string): Promise<Exchange> {
  let last: Exchange | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    last = await http.get("/me", withKey(key));
    expectStatus(last, [200, 429], `GET /me with the valid key ${key} should answer 200 (R03.2)`);
    const remaining = last.headers.get("x-ratelimit-remaining");
    const leftover = last.status === 429 || (remaining !== null && /^\d+$/.test(remaining) && Number(remaining) < LIMIT - 1);
    if (!leftover) return last;
    const reset = Number(last.headers.get("retry-after") ?? last.headers.get("x-ratelimit-reset"));
    const waitS = Number.isInteger(reset) && reset >= 1 && reset <= WINDOW_S ? reset : WINDOW_S;
    await sleep(waitS * 1000 + 50);
  }
  fail({
    expected: `the window of ${key} to close within RATE_LIMIT_WINDOW_SECONDS (${WINDOW_S} s), so that its next request starts a fresh window`,
    got: "the key still had no fresh quota after waiting for its window to close, three times",
    ...(last ? { exchange: last } : {}),
    hint: "a window opens with a key's first request and closes RATE_LIMIT_WINDOW_SECONDS later; with Redis, give the counter an expiry in the same atomic step as INCR (a counter without one never resets)",
  });
}

/**
 * Runs a sequence that must fit in one rate-limit window, starting with a fresh window.
 * When it fails after taking more than half a window, the machine was slow: try once more.
 */
async function withinOneWindow(key: string, sequence: (first: Exchange) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const first = await openWindow(key);
    const started = performance.now() - first.durationMs;
    try {
      await sequence(first);
      return;
    } catch (error) {
      if (attempt >= 2 || performance.now() - started < (WINDOW_S * 1000) / 2) throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------

it("R03.1 /health is open and never rate limited", async () => {
  const open = await http.get("/health");
  expectStatus(open, 200, "/health is for load balancers: no API key, no dependency that authenticates");
  expectField(open, "status", (value) => value === "ok", '"ok"');

  const wrongKey = await http.get("/health", withKey("not-a-key"));
  expectStatus(wrongKey, 200, "/health ignores X-API-Key entirely, even a wrong one");

  await withinOneWindow(KEY.health, async () => {
    for (let i = 0; i < 3 * LIMIT; i++) {
      const health = await http.get("/health", withKey(KEY.health));
      expectStatus(
        health,
        200,
        `request ${i + 1} of ${3 * LIMIT} to /health within one window: /health must never be rate limited`,
      );
    }
    const me = await http.get("/me", withKey(KEY.health));
    expectStatus(
      me,
      200,
      `${3 * LIMIT} calls to /health with this key must not use its quota: only the protected endpoints count`,
    );
  });
});

it("R03.2 GET /me returns the caller's scopes", async () => {
  const admin = await http.get("/me", withKey(KEY.admin));
  expectStatus(admin, 200, "GET /me needs a valid key and no particular scope");
  expectField(
    admin,
    "scopes",
    (value) => JSON.stringify(value) === JSON.stringify(["admin", "predict"]),
    '["admin", "predict"] (the key\'s scopes from API_KEYS, sorted)',
    "API_KEYS entries are key:scope+scope; split entries on ',', key from scopes on ':', scopes on '+'",
  );
  const ops = await http.get("/me", withKey(KEY.ops));
  expectStatus(ops, 200);
  expectField(ops, "scopes", (value) => JSON.stringify(value) === JSON.stringify(["admin"]), '["admin"]');
});

it("R03.3 POST /predict returns the model's prediction", async () => {
  const hint = "return the model's label and score plus model_version (SentimentModel.version); run predict() off the event loop";
  const positive = await http.post("/predict", { text: "I love it, great and fast" }, withKey(KEY.predict));
  expectStatus(positive, 200, hint);
  expectField(positive, "label", (value) => value === "positive", '"positive" for "I love it, great and fast"', hint);
  expectField(positive, "score", (value) => typeof value === "number" && value >= 0.5 && value <= 1, "a number from 0.5 to 1", hint);
  expectField(positive, "model_version", (value) => value === MODEL_VERSION, `"${MODEL_VERSION}"`, hint);

  const negative = await http.post("/predict", { text: "terrible, awful and slow" }, withKey(KEY.predict));
  expectStatus(negative, 200, hint);
  expectField(negative, "label", (value) => value === "negative", '"negative" for "terrible, awful and slow"', hint);

  const empty = await http.post("/predict", { text: "" }, withKey(KEY.predict));
  expectStatus(empty, 422, 'a valid key does not make a bad body good: declare text with Field(min_length=1) so "" is rejected');
});

it("R03.4 a missing key is answered with 401 and WWW-Authenticate", async () => {
  expectUnauthorized(await http.get("/me"), "GET /me without X-API-Key");
  expectUnauthorized(await http.get("/admin/model"), "GET /admin/model without X-API-Key");
  const noKeyBadBody = await http.post("/predict", {});
  expectStatus(
    noKeyBadBody,
    401,
    "without a key the answer is 401 even when the body is invalid: authentication is a dependency, and dependencies run before the body is validated — a 422 here means the check is inside the handler",
  );
  expectUnauthorized(noKeyBadBody, "POST /predict without X-API-Key");
});

it("R03.5 an unknown or misplaced key is answered with 401", async () => {
  const key = KEY.predict;
  const cases: Array<[string, () => Promise<Exchange>]> = [
    ["an unknown key", () => http.get("/me", withKey("key-unknown-zz"))],
    ["a valid key with an extra character", () => http.get("/me", withKey(`${key}x`))],
    ["a valid key missing its last character", () => http.get("/me", withKey(key.slice(0, -1)))],
    ["a valid key in upper case (keys are case-sensitive)", () => http.get("/me", withKey(key.toUpperCase()))],
    ["a valid key in Authorization: Bearer instead of X-API-Key", () => http.get("/me", { headers: { Authorization: `Bearer ${key}` } })],
    ["a valid key as a query parameter instead of X-API-Key", () => http.get(`/me?api_key=${key}`)],
    ["an unknown key on POST /predict", () => http.post("/predict", { text: "great" }, withKey("key-unknown-zz"))],
  ];
  for (const [what, send] of cases) expectUnauthorized(await send(), `sent ${what}`);
});

it("R03.6 malformed keys never cause a server error", async () => {
  const key = KEY.predict;
  const utf8AsBytes = Buffer.from("ключ-🔑", "utf8").toString("latin1");
  const cases: Array<[string, string]> = [
    ["an empty X-API-Key", ""],
    ["a 4 KB X-API-Key", "A".repeat(4096)],
    ["a valid key followed by a non-ASCII byte (é)", `${key}é`],
    ["a non-ASCII byte alone", "é"],
    ["raw UTF-8 bytes of a Cyrillic key and an emoji", utf8AsBytes],
    ["a key with a tab inside", `${key}\tx`],
    ["the valid key twice, comma-separated (as a proxy joins repeated headers)", `${key}, ${key}`],
  ];
  for (const [what, value] of cases) {
    const exchange = await http.get("/me", { headers: { "X-API-Key": value } });
    expectStatus(
      exchange,
      401,
      exchange.status >= 500
        ? `a 5xx on ${what}: secrets.compare_digest raises TypeError for a str with non-ASCII characters — compare bytes (key.encode()) instead, and treat "" like a missing key`
        : `${what} is not a valid key: answer 401 like any other invalid key`,
    );
  }
  const health = await http.get("/health");
  expectStatus(health, 200, "the server should still be healthy after malformed keys");
});

it("R03.7 a key without the endpoint's scope is answered with 403", async () => {
  const noAdmin = await http.get("/admin/model", withKey(KEY.predict));
  expectStatus(noAdmin, 403, "GET /admin/model needs the admin scope: a valid key without it is 403 (authenticated, not allowed), not 401");
  expectDetail(noAdmin, "admin");

  const noPredict = await http.post("/predict", { text: "great service" }, withKey(KEY.ops));
  expectStatus(noPredict, 403, "POST /predict needs the predict scope; check it with a dependency factory such as require_scope(\"predict\")");
  expectDetail(noPredict, "predict");

  const noPredictBadBody = await http.post("/predict", {}, withKey(KEY.ops));
  expectStatus(
    noPredictBadBody,
    403,
    "the scope check is a dependency, so it answers 403 before the body is validated (a 422 here means the check runs inside the handler)",
  );

  const opsModel = await http.get("/admin/model", withKey(KEY.ops));
  expectStatus(opsModel, 200, "a key with the admin scope may read GET /admin/model");
  expectField(opsModel, "version", (value) => value === MODEL_VERSION, `"${MODEL_VERSION}"`);

  const both = await http.post("/predict", { text: "great service" }, withKey(KEY.admin));
  expectStatus(both, 200, "a key with scopes admin+predict may call POST /predict");
  const bothModel = await http.get("/admin/model", withKey(KEY.admin));
  expectStatus(bothModel, 200, "a key with scopes admin+predict may call GET /admin/model");
});

it("R03.8 each key gets RATE_LIMIT_REQUESTS requests per window, then 429", async () => {
  let retryAfter = 0;
  await withinOneWindow(KEY.burst, async () => {
    // The window's first request was GET /me inside withinOneWindow.
    for (let n = 2; n <= LIMIT; n++) {
      const allowed = await http.get("/me", withKey(KEY.burst));
      expectStatus(
        allowed,
        200,
        `request ${n} of the window: the first ${LIMIT} (RATE_LIMIT_REQUESTS) requests per window pass — is the comparison off by one (count < limit instead of count <= limit)?`,
      );
    }
    const refused = await http.get("/me", withKey(KEY.burst));
    expectStatus(
      refused,
      429,
      `request ${LIMIT + 1} within ${WINDOW_S} s must be refused: count each request with a valid key per key, in a window that opens with the key's first request`,
    );
    expectDetail(refused);
    retryAfter = intHeader(
      refused,
      "Retry-After",
      1,
      WINDOW_S,
      `a 429 carries Retry-After: the whole seconds until the window closes, rounded up (math.ceil), 1 to ${WINDOW_S}; pass it in HTTPException(headers=...), as a string of digits`,
    );
  });

  await sleep(retryAfter * 1000 + 50);
  const again = await http.get("/me", withKey(KEY.burst));
  expectStatus(
    again,
    200,
    `after waiting Retry-After (${retryAfter} s) the key must be allowed again: the window closes RATE_LIMIT_WINDOW_SECONDS after it opened, and Retry-After must not undersell the wait`,
  );
});

it("R03.9 X-RateLimit-* headers on every response to a valid key", async () => {
  await withinOneWindow(KEY.meter, async (first) => {
    let left = LIMIT - 1;
    expectRateHeaders(first, left, "first request of the window, a 200");

    const forbidden = await http.get("/admin/model", withKey(KEY.meter));
    expectStatus(forbidden, 403, "this key has only the predict scope");
    expectRateHeaders(forbidden, --left, "a 403 still counts and still carries the headers");

    const predicted = await http.post("/predict", { text: "nice and easy" }, withKey(KEY.meter));
    expectStatus(predicted, 200, "this key has the predict scope");
    expectRateHeaders(predicted, --left, "a 200 from POST /predict");

    while (left > 0) {
      const me = await http.get("/me", withKey(KEY.meter));
      expectStatus(me, 200, `the key has ${left} requests left in this window`);
      expectRateHeaders(me, --left, "a 200 from GET /me");
    }

    const refused = await http.get("/me", withKey(KEY.meter));
    expectStatus(refused, 429, "the quota is spent");
    expectRateHeaders(refused, 0, "a 429 carries them too, with Remaining 0");
    const retryAfter = expectHeader(refused, "Retry-After", /^\d+$/, "a 429 carries an integer Retry-After");
    const reset = refused.headers.get("x-ratelimit-reset");
    check(retryAfter === reset, {
      expected: "Retry-After equal to X-RateLimit-Reset on a 429 (both: seconds until the window closes)",
      got: `Retry-After: ${retryAfter}, X-RateLimit-Reset: ${reset}`,
      exchange: refused,
      hint: "compute both from the same decision",
    });
  });
});

it("R03.10 two keys have separate quotas", async () => {
  await withinOneWindow(KEY.alpha, async () => {
    let refused: Exchange | undefined;
    for (let n = 2; n <= 2 * LIMIT + 1 && !refused; n++) {
      const exchange = await http.get("/me", withKey(KEY.alpha));
      if (exchange.status === 429) refused = exchange;
      else expectStatus(exchange, 200, `${KEY.alpha} is a valid key`);
    }
    if (!refused) {
      fail({
        expected: `${KEY.alpha} to be refused (429) within ${2 * LIMIT + 1} requests in one window`,
        got: "no 429 at all",
        hint: "see R03.8: the per-key limit comes first",
      });
    }

    const bravo = await http.get("/me", withKey(KEY.bravo));
    expectStatus(
      bravo,
      200,
      `${KEY.alpha} spent its quota, ${KEY.bravo} did not: one counter per key (bucket by the key, or a fingerprint of it), not one for everyone`,
    );
    const remaining = bravo.headers.get("x-ratelimit-remaining");
    if (remaining !== null) {
      check(remaining === String(LIMIT - 1), {
        expected: `X-RateLimit-Remaining: ${LIMIT - 1} on ${KEY.bravo}'s first request`,
        got: `X-RateLimit-Remaining: ${remaining}`,
        exchange: bravo,
        hint: "another key's requests must not use this key's quota",
      });
    }

    const alphaAgain = await http.get("/me", withKey(KEY.alpha));
    expectStatus(alphaAgain, 429, `${KEY.alpha} stays refused until its own window closes, whatever other keys do`);
  });
});

it("R03.11 the limit holds under concurrent requests", async () => {
  await withinOneWindow(KEY.crowd, async () => {
    const burst = await Promise.all(Array.from({ length: 2 * LIMIT }, () => http.get("/me", withKey(KEY.crowd))));
    const passed = burst.filter((exchange) => exchange.status === 200).length;
    const refused = burst.filter((exchange) => exchange.status === 429).length;
    const odd = burst.find((exchange) => exchange.status !== 200 && exchange.status !== 429);
    if (odd) expectStatus(odd, [200, 429], "each request of a concurrent burst is either allowed or refused");
    check(passed === LIMIT - 1 && refused === LIMIT + 1, {
      expected: `of ${2 * LIMIT} concurrent requests (after 1 already this window), exactly ${LIMIT - 1} allowed and ${LIMIT + 1} refused`,
      got: `${passed} allowed, ${refused} refused`,
      exchange: burst[burst.length - 1]!,
      hint: "read-then-write counting (GET, compare, SET) lets concurrent requests slip through; count atomically: Redis INCR (with its expiry in the same MULTI or Lua script), or an in-process update with no await between read and write",
    });
  });
});

it("R03.12 CORS preflights from allowed origins succeed without a key", async () => {
  for (const origin of ORIGINS) {
    const preflight = await http.options("/predict", {
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "x-api-key, content-type",
      },
    });
    const hint = `origins come from CORS_ORIGINS (comma-separated); add CORSMiddleware(allow_origins=[...], allow_methods=["GET", "POST"], allow_headers=["X-API-Key", "Content-Type"]) — a preflight never carries the API key, so it must not reach your auth dependency`;
    expectStatus(preflight, [200, 204], hint);
    expectHeader(preflight, "Access-Control-Allow-Origin", origin, `echo the allowed origin exactly (not "*"); ${hint}`);
    expectHeader(preflight, "Access-Control-Allow-Methods", (value) => listHas(value, "POST"), hint);
    expectHeader(
      preflight,
      "Access-Control-Allow-Headers",
      (value) => listHas(value, "x-api-key") && listHas(value, "content-type"),
      `the browser asked to send X-API-Key and Content-Type; allow both; ${hint}`,
    );
  }
  const getPreflight = await http.options("/me", {
    headers: { Origin: ORIGINS[0]!, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "x-api-key" },
  });
  expectStatus(getPreflight, [200, 204], "GET is allowed too");
  expectHeader(getPreflight, "Access-Control-Allow-Origin", ORIGINS[0]!);
});

it("R03.13 other origins get no Access-Control-Allow-Origin", async () => {
  const first = new URL(ORIGINS[0]!);
  const otherPort = `${first.protocol}//${first.hostname}:${Number(first.port || (first.protocol === "https:" ? 443 : 80)) + 1}`;
  const lookalike = `${ORIGINS[ORIGINS.length - 1]!}.evil.net`;
  const strangers = ["https://evil.example.com", otherPort, lookalike, "null"];
  const hint =
    'allow exactly the origins in CORS_ORIGINS: no "*", no prefix or suffix matching, no reflecting whatever Origin arrives';
  // A refusal means something only next to an acceptance: without any CORS support every
  // origin would "pass" below.
  const control = await http.options("/predict", {
    headers: { Origin: ORIGINS[0]!, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key" },
  });
  expectHeader(
    control,
    "Access-Control-Allow-Origin",
    ORIGINS[0]!,
    "first the control: a configured origin must be allowed (R03.12), otherwise refusing the others proves nothing",
  );
  for (const origin of strangers) {
    const preflight = await http.options("/predict", {
      headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x-api-key" },
    });
    check(preflight.status < 500, {
      expected: `a preflight from ${origin} refused without a server error`,
      got: `status ${preflight.status}`,
      exchange: preflight,
      hint,
    });
    const allowed = preflight.headers.get("access-control-allow-origin");
    check(allowed === null, {
      expected: `no Access-Control-Allow-Origin for a preflight from ${origin}`,
      got: `Access-Control-Allow-Origin: ${allowed}`,
      exchange: preflight,
      hint,
    });
  }
  const simple = await http.get("/health", { headers: { Origin: "https://evil.example.com" } });
  expectStatus(simple, 200);
  const allowed = simple.headers.get("access-control-allow-origin");
  check(allowed === null, {
    expected: "no Access-Control-Allow-Origin on a GET /health from https://evil.example.com",
    got: `Access-Control-Allow-Origin: ${allowed}`,
    exchange: simple,
    hint,
  });
});

it("R03.14 cross-origin responses are readable by the browser", async () => {
  const origin = ORIGINS[0]!;
  const ok = await http.get("/me", withKey(KEY.cors, { Origin: origin }));
  expectStatus(ok, 200, "a valid key from an allowed origin");
  expectHeader(ok, "Access-Control-Allow-Origin", origin, "echo the allowed origin on actual responses too");
  expectHeader(
    ok,
    "Access-Control-Expose-Headers",
    (value) =>
      value.trim() === "*" ||
      ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"].every((name) => listHas(value, name)),
    'a browser script can read only the headers a response exposes: CORSMiddleware(expose_headers=["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After"])',
  );

  const denied = await http.get("/me", { headers: { Origin: origin } });
  expectStatus(denied, 401, "no key: 401, as in R03.4");
  expectHeader(
    denied,
    "Access-Control-Allow-Origin",
    origin,
    "errors need CORS headers too, or the browser reports a CORS error instead of the 401: keep CORSMiddleware the outermost middleware and raise HTTPException from dependencies",
  );
});

function listHas(headerValue: string, name: string): boolean {
  return headerValue
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .includes(name.toLowerCase());
}
