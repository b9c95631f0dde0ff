// Debugging drill D1 — a CORS error. The suite sends what a browser sends: preflights (OPTIONS
// with Origin and Access-Control-Request-*, never a cookie) and credentialed requests with
// Origin, and reads the Access-Control-* headers a browser would insist on. The shipped app
// fails RD1.2, RD1.4 and RD1.6 (drill.json's brokenRequirements) and passes the rest.
//
// Each test uses its own user (session cookie), so one test's saved predictions never show in
// another's list.
import { it } from "vitest";
import { check, type Exchange, expectField, expectHeader, expectJsonObject, expectStatus, http, knobText } from "./harness/index.js";
import { expectedPrediction } from "./harness/model.js";

/** What a browser sends in Origin for each ALLOWED_ORIGINS entry: trimmed, no trailing slash. */
const ORIGINS = knobText("ALLOWED_ORIGINS")
  .split(",")
  .map((origin) => origin.trim().replace(/\/+$/, ""))
  .filter(Boolean);
const FRONT_END = ORIGINS[0] as string;
const CLIENT_VERSION = "2.3.1";
const TEXTS = ["great service, would recommend", "Terrible support and a slow refund."] as const;

/** The preflights the front end's calls make (RD1.2). */
const PREFLIGHTS = [
  { path: "/predictions", method: "POST", headers: ["content-type", "x-client-version"] },
  { path: "/predictions", method: "GET", headers: ["x-client-version"] },
  { path: "/predictions/1", method: "DELETE", headers: ["x-client-version"] },
] as const;

/** What a failing preflight or error means, without giving the fix away: finding it is the drill. */
const PREFLIGHT_HINT =
  "a preflight never carries the session cookie: which part of the app answered this one, and did CORSMiddleware ever see it?";
const ERROR_HINT =
  "the browser shows a CORS error instead of this status unless the error carries the CORS headers too: which part of the app answered, and did CORSMiddleware ever see the response?";

function session(user: string): Record<string, string> {
  return { Cookie: `session=${user}` };
}

/** What the front end adds to each of its requests. */
function fromFrontEnd(origin: string, user?: string): Record<string, string> {
  return { Origin: origin, "X-Client-Version": CLIENT_VERSION, ...(user ? session(user) : {}) };
}

function listHas(headerValue: string, name: string): boolean {
  return headerValue
    .split(",")
    .map((item) => item.trim().toLowerCase())
    .includes(name.toLowerCase());
}

function preflight(path: string, origin: string, method: string, headers: readonly string[]): Promise<Exchange> {
  return http.options(path, {
    headers: { Origin: origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers.join(", ") },
  });
}

/** A preflight the browser accepts for `origin`, `method` and `headers`. */
function expectPreflightAllows(exchange: Exchange, origin: string, method: string, headers: readonly string[]): void {
  expectStatus(exchange, [200, 204], PREFLIGHT_HINT);
  expectHeader(exchange, "Access-Control-Allow-Origin", origin, 'the allowed origin itself: a request with credentials refuses "*"');
  expectHeader(exchange, "Access-Control-Allow-Credentials", "true", 'the front end sends its cookie (credentials: "include")');
  expectHeader(exchange, "Access-Control-Allow-Methods", (value) => listHas(value, method), `the front end sends ${method}`);
  expectHeader(
    exchange,
    "Access-Control-Allow-Headers",
    (value) => headers.every((name) => listHas(value, name)),
    `the browser asked to send ${headers.join(" and ")}: allow each`,
  );
}

/** An actual response the browser hands to the front end's script. */
function expectReadableBy(exchange: Exchange, origin: string, hint: string): void {
  expectHeader(exchange, "Access-Control-Allow-Origin", origin, hint);
  expectHeader(exchange, "Access-Control-Allow-Credentials", "true", `a credentialed response needs it, or the browser hides it; ${hint}`);
}

async function savePrediction(user: string, text: string, headers: Record<string, string> = session(user)): Promise<Exchange> {
  return http.post("/predictions", { text }, { headers });
}

it("RD1.1 the API keeps working as it does today", async () => {
  const user = "user-api";
  const saved: number[] = [];
  for (const text of TEXTS) {
    const created = await savePrediction(user, text);
    expectStatus(created, 201, "the fix must not change what the API does");
    const body = expectJsonObject(created);
    const expected = expectedPrediction(text);
    expectField(created, "id", (value) => Number.isInteger(value), "an integer");
    expectField(created, "text", (value) => value === text, JSON.stringify(text));
    expectField(created, "label", (value) => value === expected.label, `"${expected.label}", the model's answer`);
    expectField(created, "score", (value) => value === expected.score, `${expected.score}, the model's answer`);
    saved.push(body.id as number);
  }
  const listed = await http.get("/predictions", { headers: session(user) });
  expectStatus(listed, 200);
  const ids = Array.isArray(listed.json) ? listed.json.map((p: { id?: unknown }) => p.id) : listed.json;
  check(JSON.stringify(ids) === JSON.stringify([...saved].reverse()), {
    expected: `the user's predictions, newest first: ids ${JSON.stringify([...saved].reverse())}`,
    got: `ids ${JSON.stringify(ids)}`,
    exchange: listed,
  });
  const stranger = await http.get("/predictions", { headers: session("user-api-other") });
  expectStatus(stranger, 200);
  check(Array.isArray(stranger.json) && stranger.json.length === 0, {
    expected: "another user sees none of these predictions: []",
    got: stranger.text,
    exchange: stranger,
  });

  const deleted = await http.delete(`/predictions/${saved[0]}`, { headers: session(user) });
  expectStatus(deleted, 204);
  check(deleted.text === "", { expected: "an empty body with 204", got: deleted.text, exchange: deleted });
  const again = await http.delete(`/predictions/${saved[0]}`, { headers: session(user) });
  expectStatus(again, 404, "a prediction deleted once is gone");
  expectField(again, "detail", (value) => typeof value === "string", "a string");

  for (const exchange of [
    await savePrediction(user, TEXTS[0], {}),
    await http.get("/predictions"),
    await http.delete(`/predictions/${saved[1]}`),
  ]) {
    expectStatus(exchange, 401, "no session cookie, no predictions: keep the session check");
    expectField(exchange, "detail", (value) => typeof value === "string", "a string");
  }
  expectStatus(await savePrediction(user, ""), 422, "an empty text is refused");
  expectStatus(await savePrediction(user, "x".repeat(501)), 422, "a text longer than 500 characters is refused");
  const health = await http.get("/health");
  expectStatus(health, 200);
  expectField(health, "status", (value) => value === "ok", '"ok"');
});

it("RD1.2 preflights from the front end's origin succeed", async () => {
  for (const { path, method, headers } of PREFLIGHTS) {
    expectPreflightAllows(await preflight(path, FRONT_END, method, headers), FRONT_END, method, headers);
  }
});

it("RD1.3 responses to the front end's requests are readable", async () => {
  const user = "user-actual";
  const hint = "echo the allowed origin on actual responses, with credentials allowed";
  const created = await savePrediction(user, TEXTS[0], fromFrontEnd(FRONT_END, user));
  expectStatus(created, 201);
  const listed = await http.get("/predictions", { headers: fromFrontEnd(FRONT_END, user) });
  expectStatus(listed, 200);
  const id = expectJsonObject(created).id;
  const deleted = await http.delete(`/predictions/${id}`, { headers: fromFrontEnd(FRONT_END, user) });
  expectStatus(deleted, 204);
  for (const exchange of [created, listed, deleted]) {
    expectReadableBy(exchange, FRONT_END, hint);
    expectHeader(
      exchange,
      "Vary",
      (value) => listHas(value, "origin"),
      "the answer depends on Origin, so say so (Vary: Origin), or a cache may hand it to another origin",
    );
  }
});

it("RD1.4 errors are readable too", async () => {
  const user = "user-errors";
  const hint = ERROR_HINT;
  const noCookieGet = await http.get("/predictions", { headers: fromFrontEnd(FRONT_END) });
  expectStatus(noCookieGet, 401);
  expectReadableBy(noCookieGet, FRONT_END, hint);
  const noCookiePost = await savePrediction(user, TEXTS[0], fromFrontEnd(FRONT_END));
  expectStatus(noCookiePost, 401);
  expectReadableBy(noCookiePost, FRONT_END, hint);
  const missing = await http.delete("/predictions/987654", { headers: fromFrontEnd(FRONT_END, user) });
  expectStatus(missing, 404);
  expectReadableBy(missing, FRONT_END, hint);
  const invalid = await savePrediction(user, "", fromFrontEnd(FRONT_END, user));
  expectStatus(invalid, 422);
  expectReadableBy(invalid, FRONT_END, hint);
});

it("RD1.5 other origins get nothing", async () => {
  const user = "user-strangers";
  const hint =
    'allow exactly the origins in ALLOWED_ORIGINS: no "*" (with credentials Starlette then echoes any origin), no regex that matches more, no echoing whatever Origin arrives';
  // A refusal means something only next to an acceptance: an app with no CORS at all refuses everyone.
  const control = await http.get("/predictions", { headers: fromFrontEnd(FRONT_END, user) });
  expectHeader(
    control,
    "Access-Control-Allow-Origin",
    FRONT_END,
    "first the control: the front end's own origin must be allowed, otherwise refusing the others proves nothing",
  );
  const first = new URL(FRONT_END);
  const otherPort = `${first.protocol}//${first.hostname}:${Number(first.port || (first.protocol === "https:" ? 443 : 80)) + 1}`;
  const strangers = ["https://evil.example.com", otherPort, "null"];
  for (const origin of ORIGINS.slice(1)) {
    const url = new URL(origin);
    strangers.push(`${url.protocol === "https:" ? "http:" : "https:"}//${url.host}`, `${origin}.evil.net`);
  }
  for (const origin of strangers) {
    const refused = await preflight("/predictions", origin, "POST", ["content-type", "x-client-version"]);
    check(refused.status < 500, {
      expected: `a preflight from ${origin} refused without a server error`,
      got: `status ${refused.status}`,
      exchange: refused,
      hint,
    });
    const actual = await http.get("/predictions", { headers: fromFrontEnd(origin, user) });
    for (const exchange of [refused, actual]) {
      const allowed = exchange.headers.get("access-control-allow-origin");
      check(allowed === null, {
        expected: `no Access-Control-Allow-Origin for ${exchange.request.method} from ${origin}`,
        got: `Access-Control-Allow-Origin: ${allowed}`,
        exchange,
        hint,
      });
    }
  }
});

it("RD1.6 every origin in ALLOWED_ORIGINS is allowed, as it is written", async () => {
  const user = "user-origins";
  // The plain requests first: they show what the settings made of ALLOWED_ORIGINS, whatever
  // happens to preflights and errors (RD1.2, RD1.4), which come after.
  for (const origin of ORIGINS) {
    const listed = await http.get("/predictions", { headers: fromFrontEnd(origin, user) });
    expectStatus(listed, 200);
    expectReadableBy(
      listed,
      origin,
      `ALLOWED_ORIGINS is ${JSON.stringify(knobText("ALLOWED_ORIGINS"))}: compare what your settings make of it with the Origin a browser sends`,
    );
  }
  for (const origin of ORIGINS) {
    const { method, headers } = PREFLIGHTS[0];
    expectPreflightAllows(await preflight("/predictions", origin, method, headers), origin, method, headers);
    const refused = await http.get("/predictions", { headers: fromFrontEnd(origin) });
    expectStatus(refused, 401);
    expectReadableBy(refused, origin, ERROR_HINT);
  }
});
