// Practice 04: model versioning. Every test is named after the README requirement it checks.
//
// The checks share one registry (drill hands the server an empty database per check), so each
// test registers the versions it works with (mostly MAJOR = its own number) and reads shared state
// (the production alias) before it relies on it. Key order inside objects is never compared; the
// order of GET /versions is (it is the point of R04.4). Which of eight racing registrations wins
// is chance, so R04.3 checks that exactly one did and that the stored version is the winner's.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  watchEventLoop,
  type Exchange,
} from "./harness/index.js";
import { expectedPrediction, FAILURE_MARKER, MODEL_ANSWERS } from "./harness/model.js";

const TEXTS = Object.keys(MODEL_ANSWERS);
const text = (n: number) => TEXTS[n % TEXTS.length]!;
const MAX_TEXT_LENGTH = 1000;
const MAX_DATASET_LENGTH = 200;
const latencyMs = () => knob("MODEL_LATENCY_MS");
/** R04.8: the longest a GET /health probe may wait while predictions run (half the model's latency). */
const loopLimitMs = () => latencyMs() / 2;
const LOOP_PROBE_INTERVAL_MS = 20;
/** R04.7: more rollbacks than this without reaching the start of the history means it never ends. */
const MAX_ROLLBACKS = 30;

const versionPath = (version: string) => `/versions/${encodeURIComponent(version)}`;
const evaluationsPath = (version: string) => `${versionPath(version)}/evaluations`;

const NEEDS_REGISTER = 'this needs POST /versions (R04.1): {"version": "1.2.0", "metadata": {...}, "metrics": {...}} answers 201';
const NEEDS_PREDICT = 'this needs POST /predict (R04.5): {"text": ..., "version": optional} answers 200 with label, score and version';
const NEEDS_PROMOTE = "this needs POST /versions/{version}/promote (R04.6): it answers 200 with the production object";
const PRODUCTION_HINT = 'add GET /production: 200 with the production object, {"version": null, "previous": null} before any promotion';
const NEEDS_PRODUCTION = 'this needs GET /production (R04.6): 200 with {"version": ..., "previous": ...}';
const ORDER_OF_EFFECTS =
  "commit before you answer, and read the production version from the database on every unpinned prediction: a copy kept in memory (or a commit left to a dependency's teardown, which FastAPI runs after the response is sent) lags behind";

// --- JSON without key order --------------------------------------------------------------------

/** The value with every object's keys sorted, so two JSON values compare without key order. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, inner]) => [key, canonical(inner)]),
    );
  }
  return value;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
const show = (value: unknown) => JSON.stringify(value);

/** The same items in any order. */
function sameItems(a: unknown[], b: unknown[]): boolean {
  const key = (items: unknown[]) => items.map((item) => JSON.stringify(canonical(item))).sort();
  return a.length === b.length && sameJson(key(a), key(b));
}

// --- semantic versions -------------------------------------------------------------------------

function numbers(version: string): [number, number, number] {
  const [major, minor, patch] = version.split(".").map(Number);
  return [major ?? NaN, minor ?? NaN, patch ?? NaN];
}

function semverCompare(a: string, b: string): number {
  const x = numbers(a);
  const y = numbers(b);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

// --- the registry's endpoints ------------------------------------------------------------------

function register(version: string, extra: { metadata?: unknown; metrics?: unknown } = {}): Promise<Exchange> {
  return http.post("/versions", { version, ...extra });
}

/** Registers a version another requirement works with; an earlier registration (409) is fine. */
async function ensureVersion(version: string, extra: { metadata?: unknown; metrics?: unknown } = {}): Promise<void> {
  const exchange = await register(version, extra);
  expectStatus(exchange, [201, 409], NEEDS_REGISTER);
}

interface Production {
  version: string | null;
  previous: string | null;
}

const isVersionOrNull = (v: unknown) => v === null || isNonEmptyString(v);

/** Checks a production object (the body of GET /production, promote and rollback). */
function productionOf(exchange: Exchange, hint: string): Production {
  const version = expectField(exchange, "version", isVersionOrNull, "a version string, or null when nothing is in production", hint);
  const previous = expectField(exchange, "previous", isVersionOrNull, "a version string, or null when there is no previous version", hint);
  return { version, previous } as Production;
}

async function readProduction(hint = NEEDS_PRODUCTION): Promise<{ production: Production; exchange: Exchange }> {
  const exchange = await http.get("/production");
  expectStatus(exchange, 200, hint);
  return { production: productionOf(exchange, hint), exchange };
}

function expectProduction(exchange: Exchange, wanted: Production, what: string, hint: string): void {
  const got = productionOf(exchange, hint);
  check(got.version === wanted.version && got.previous === wanted.previous, {
    expected: `${what}: {"version": ${show(wanted.version)}, "previous": ${show(wanted.previous)}}`,
    got: `{"version": ${show(got.version)}, "previous": ${show(got.previous)}}`,
    exchange,
    hint,
  });
}

async function promote(version: string, hint: string): Promise<Exchange> {
  const exchange = await http.post(`${versionPath(version)}/promote`);
  expectStatus(exchange, 200, hint);
  return exchange;
}

function predict(textToScore: string, version?: string | null | number): Promise<Exchange> {
  return http.post("/predict", version === undefined ? { text: textToScore } : { text: textToScore, version });
}

/** A 200 prediction for `textToScore`, served by `version`. */
function expectPrediction(exchange: Exchange, textToScore: string, version: string, versionHint: string): void {
  const expected = expectedPrediction(textToScore);
  const hint = "return model.predict(text)'s label and score unchanged, plus the version that served it";
  expectField(exchange, "label", (v) => v === expected.label, show(expected.label), hint);
  expectField(
    exchange,
    "score",
    (v) => typeof v === "number" && Math.abs(v - expected.score) < 1e-6,
    `${expected.score} (the model's own score for this text)`,
    hint,
  );
  expectField(exchange, "version", (v) => v === version, `"${version}"`, versionHint);
}

function expectError(exchange: Exchange, status: number, hint: string): void {
  expectStatus(exchange, status, hint);
  expectField(
    exchange,
    "detail",
    isNonEmptyString,
    "a non-empty string saying what went wrong",
    'raise HTTPException(status_code, detail="...")',
  );
}

function expectVersionObject(
  exchange: Exchange,
  wanted: { version: string; metadata: unknown; metrics: unknown },
  hint: string,
  at = "",
): void {
  expectField(exchange, `${at}version`, (v) => v === wanted.version, `"${wanted.version}"`, hint);
  expectField(
    exchange,
    `${at}metadata`,
    (v) => sameJson(v, wanted.metadata),
    `${show(wanted.metadata)} (as registered; key order is not compared)`,
    "store metadata as sent (a JSON column) and return it unchanged; left out, it is {}",
  );
  expectField(
    exchange,
    `${at}metrics`,
    (v) => sameJson(v, wanted.metrics),
    `${show(wanted.metrics)} (as registered)`,
    "store metrics as sent (a JSON column) and return them unchanged; left out, they are {}",
  );
}

/** Sends requests at the same moment; a request that got no answer fails with `hint`. */
async function together(requests: Array<() => Promise<Exchange>>, hint: string): Promise<Exchange[]> {
  const results = await Promise.all(
    requests.map((send) =>
      send().catch((error: unknown) => {
        if (error instanceof TransportError) return error;
        throw error;
      }),
    ),
  );
  return results.map((result) => {
    if (result instanceof TransportError)
      fail({ expected: "every one of the concurrent requests to get an answer", got: result.message, hint });
    return result;
  });
}

/**
 * R04.3: 8 registrations of one new version at the same moment. Eight connections are opened
 * first (concurrent GET /health, kept alive by the client), so the registrations go out together
 * instead of one of them riding an open connection ahead of the others.
 */
async function expectOneWinner(version: string): Promise<void> {
  const attempts = Array.from({ length: 8 }, (_, n) => n);
  await together(
    attempts.map(() => () => http.get("/health")),
    "GET /health must answer",
  );
  const raced = await together(
    attempts.map((n) => () => register(version, { metadata: { attempt: n } })),
    "does a registration hang when another one holds the database?",
  );
  const statuses = raced.map((exchange) => exchange.status);
  const winners = attempts.filter((n) => statuses[n] === 201);
  const refused = statuses.filter((status) => status === 409).length;
  const odd = raced.find((exchange) => exchange.status !== 201 && exchange.status !== 409);
  check(winners.length === 1 && refused === 7, {
    expected: `8 registrations of ${version} sent at the same moment: exactly one 201 and seven 409`,
    got: `statuses ${statuses.join(", ")}`,
    ...(odd ? { exchange: odd } : {}),
    hint: "checking first and inserting after is a race: both requests see no row, and the second insert fails (a 500) or, without a unique constraint, stores a second row. Let the database decide: a unique constraint on the version, and an IntegrityError turned into 409",
  });
  const winner = winners[0]!;
  const stored = await http.get(versionPath(version));
  expectStatus(stored, 200, "GET /versions/{version} answers 200 for a registered version (R04.1)");
  expectVersionObject(
    stored,
    { version, metadata: { attempt: winner }, metrics: {} },
    "the stored version is the one whose registration got the 201 (the others changed nothing)",
  );
}

function jsonArray(exchange: Exchange, what: string, hint: string): unknown[] {
  const body = exchange.json;
  if (!Array.isArray(body)) {
    fail({
      expected: `${what}: a JSON array`,
      got: exchange.text.length ? `${exchange.text.slice(0, 200)}` : "an empty body",
      exchange,
      hint,
    });
  }
  return body;
}

// ---------------------------------------------------------------------------------------------

describe("04 model versioning", () => {
  it("R04.1 POST /versions registers a version; GET /versions/{version} reads it", async () => {
    const full = {
      version: "1.0.0",
      metadata: {
        trained_on: "reviews-2024-05",
        framework: "sklearn",
        params: { penalty: "l2", C: 0.5 },
        tags: ["baseline", "en"],
        calibrated: true,
      },
      metrics: { accuracy: 0.91, f1: 0.88, n_train: 12000 },
    };
    const created = await register(full.version, { metadata: full.metadata, metrics: full.metrics });
    expectStatus(created, 201, 'POST /versions stores the version and answers 201 Created: @router.post("/versions", status_code=201)');
    expectVersionObject(created, full, "answer with the stored version object");
    expectHeader(
      created,
      "location",
      (value) => decodeURIComponent(new URL(value, `${baseUrl()}/`).pathname) === "/versions/1.0.0",
      "set Location: /versions/1.0.0 (the new version's own path) on the 201, for example through a Response parameter",
    );
    const read = await http.get(versionPath(full.version));
    expectStatus(read, 200, "GET /versions/{version} answers 200 with the version registered under that exact text");
    expectVersionObject(read, full, "read the stored version");

    const bare = { version: "1.1.0", metadata: {}, metrics: {} };
    const createdBare = await register(bare.version);
    expectStatus(createdBare, 201, "metadata and metrics are optional: default them to {} (Field(default_factory=dict))");
    expectVersionObject(createdBare, bare, "answer with the stored version object");
    const readBare = await http.get(versionPath(bare.version));
    expectStatus(readBare, 200, "GET /versions/{version} answers 200 for a registered version");
    expectVersionObject(readBare, bare, "read the stored version");

    const bad: Array<{ what: string; version?: string; json?: unknown; raw?: string; hint: string }> = [
      { what: "no version field", json: { metadata: {} }, hint: "version is required" },
      {
        what: "metadata is a list",
        version: "1.0.1",
        json: { version: "1.0.1", metadata: ["baseline"] },
        hint: "declare metadata as dict[str, Any]",
      },
      {
        what: "metadata is a string",
        version: "1.0.2",
        json: { version: "1.0.2", metadata: "sklearn" },
        hint: "declare metadata as dict[str, Any]",
      },
      {
        what: "metrics is a list",
        version: "1.0.3",
        json: { version: "1.0.3", metrics: [0.9] },
        hint: "declare metrics as a dict of numbers",
      },
      {
        what: 'a metric is the string "0.9"',
        version: "1.0.4",
        json: { version: "1.0.4", metrics: { accuracy: "0.9" } },
        hint: 'a plain float field accepts "0.9" and true (Pydantic\'s lax mode converts them): make the metric strict, Annotated[float, Field(strict=True)] or StrictFloat',
      },
      {
        what: "a metric is true",
        version: "1.0.5",
        json: { version: "1.0.5", metrics: { accuracy: true } },
        hint: "a plain float field turns true into 1.0: make the metric strict, Annotated[float, Field(strict=True)] or StrictFloat",
      },
      {
        what: "a metric is null",
        version: "1.0.6",
        json: { version: "1.0.6", metrics: { accuracy: null } },
        hint: "a metric is a number, not null",
      },
      {
        what: "the body is not valid JSON",
        version: "1.0.7",
        raw: '{"version": "1.0.7", ',
        hint: "FastAPI rejects a body it cannot parse by itself",
      },
    ];
    for (const item of bad) {
      const exchange =
        item.raw === undefined
          ? await http.post("/versions", item.json)
          : await http.request("POST", "/versions", { body: item.raw, headers: { "content-type": "application/json" } });
      expectStatus(exchange, 422, `${item.what}: ${item.hint}; let Pydantic reject the body before your code runs`);
    }
    // Nothing was stored: each of those versions can still be registered.
    for (const item of bad) {
      if (item.version === undefined) continue;
      const exchange = await register(item.version);
      expectStatus(
        exchange,
        201,
        `an earlier request with ${item.what} was answered 422 but ${item.version} is taken now: validate the whole body before storing anything`,
      );
    }
  });

  it("R04.2 only MAJOR.MINOR.PATCH versions are accepted", async () => {
    const anchors =
      'the whole string must be the version: anchor the pattern (^…$, or re.fullmatch); an unanchored pattern is found inside "v1.2.3" or "1.2.3-rc.1"';
    const zeros = "each number is 0 or starts with 1-9: (0|[1-9][0-9]{0,8}), not [0-9]+";
    const rejected: Array<{ version: unknown; hint: string }> = [
      { version: "1.2", hint: "a version has exactly three numbers" },
      { version: "1.2.3.4", hint: anchors },
      { version: "v1.2.3", hint: anchors },
      { version: "1.02.3", hint: zeros },
      { version: "01.2.3", hint: zeros },
      { version: "1.2.03", hint: zeros },
      { version: "1.2.3-rc.1", hint: anchors },
      { version: "1.2.3+build.5", hint: anchors },
      { version: "1.2.x", hint: "each part is digits only" },
      { version: "latest", hint: "a version is MAJOR.MINOR.PATCH" },
      { version: " 1.2.3", hint: `${anchors}; and do not strip spaces: the version is rejected, not repaired` },
      { version: "1.2.3 ", hint: `${anchors}; and do not strip spaces: the version is rejected, not repaired` },
      {
        version: "1.2.3\n",
        hint: "Python's re: $ also matches just before a trailing newline; use re.fullmatch or \\Z (Pydantic's Field(pattern=...) does not have this problem)",
      },
      { version: "1234567890.0.0", hint: "at most 9 digits per number: [1-9][0-9]{0,8}" },
      { version: "", hint: "an empty string is not a version" },
      { version: "1..3", hint: "each of the three numbers has at least one digit" },
      { version: 1.2, hint: "version is a JSON string; a number is rejected (Pydantic's str does not convert numbers)" },
      { version: null, hint: "version is required and may not be null" },
    ];
    for (const item of rejected) {
      const exchange = await http.post("/versions", { version: item.version });
      expectStatus(exchange, 422, `${show(item.version)} is not a version: ${item.hint}`);
    }
    for (const version of ["0.0.0", "999999999.999999999.999999999"]) {
      const exchange = await register(version);
      expectStatus(
        exchange,
        201,
        version === "0.0.0"
          ? `"0.0.0" is a version: a lone 0 is allowed in each part`
          : `"${version}" is a version: up to 9 digits per number`,
      );
    }
  });

  it("R04.3 a version is registered once: a duplicate is 409", async () => {
    const first = await register("1.3.0", { metadata: { run: "first" } });
    expectStatus(first, 201, NEEDS_REGISTER);
    const again = await register("1.3.0", { metadata: { run: "second" }, metrics: { accuracy: 0.5 } });
    expectError(
      again,
      409,
      "a version is registered once: put a unique constraint on the version column and answer 409 when the insert violates it (catch IntegrityError, roll back, raise HTTPException(409))",
    );
    const stored = await http.get(versionPath("1.3.0"));
    expectStatus(stored, 200, "GET /versions/{version} answers 200 for a registered version (R04.1)");
    expectVersionObject(stored, { version: "1.3.0", metadata: { run: "first" }, metrics: {} }, "a refused duplicate changes nothing");

    for (const version of ["1.4.0", "1.5.0"]) await expectOneWinner(version);
  });

  it("R04.4 GET /versions lists the versions in semantic-version order", async () => {
    const ours = ["1.10.0", "2.0.0", "1.9.0", "10.0.0", "1.2.10", "1.2.9"];
    for (const version of ours) await ensureVersion(version);
    const exchange = await http.get("/versions");
    expectStatus(exchange, 200, "GET /versions answers 200 with a JSON array of version objects");
    const items = jsonArray(exchange, "GET /versions", "return a list of version objects (a list[...] return type)");
    const listed = items.map((item, index) => {
      const version = (item as { version?: unknown } | null)?.version;
      if (!isNonEmptyString(version)) {
        fail({ expected: 'every item to be a version object with a "version" string', got: `item ${index}: ${show(item)}`, exchange });
      }
      return version;
    });
    const missing = ours.filter((version) => !listed.includes(version));
    check(missing.length === 0, {
      expected: `every registered version in the list, among them ${ours.join(", ")}`,
      got: `${missing.join(", ")} missing from [${listed.join(", ")}]`,
      exchange,
      hint: "list every row of the versions table",
    });
    const repeated = listed.filter((version, index) => listed.indexOf(version) !== index);
    check(repeated.length === 0, {
      expected: "each version exactly once",
      got: `${[...new Set(repeated)].join(", ")} more than once in [${listed.join(", ")}]`,
      exchange,
      hint: "one row per version (a unique constraint), and no join that repeats rows",
    });
    const sorted = [...listed].sort(semverCompare);
    const at = listed.findIndex((version, index) => version !== sorted[index]);
    if (at >= 0) {
      const byText = [...listed].sort();
      const asText = listed.every((version, index) => version === byText[index]);
      fail({
        expected: `the versions in semantic-version order: [${sorted.join(", ")}]`,
        got: `[${listed.join(", ")}] (first out of place: ${listed[at]} at position ${at + 1})`,
        exchange,
        hint: asText
          ? 'that is string order ("1.10.0" < "1.9.0" as text): compare MAJOR, MINOR and PATCH as numbers, e.g. integer columns in ORDER BY major, minor, patch, or sorted(key=lambda v: tuple(map(int, v.split(\'.\'))))'
          : "order by MAJOR, then MINOR, then PATCH, as numbers: integer columns and ORDER BY major, minor, patch (without ORDER BY, a database returns rows in whatever order it likes)",
      });
    }
  });

  it("R04.5 POST /predict says which version served it; a request may pin a version", async () => {
    await ensureVersion("3.0.0");
    await ensureVersion("3.1.0");
    const pinnedHint = "a pinned version serves the request itself: look it up, and name it in the prediction's version";
    for (const [n, version] of [
      [0, "3.0.0"],
      [1, "3.1.0"],
      [2, "3.0.0"],
    ] as const) {
      const exchange = await predict(text(n), version);
      expectStatus(
        exchange,
        200,
        `POST /predict with {"text": ..., "version": "${version}"}: ${pinnedHint}; run model.predict off the event loop`,
      );
      expectPrediction(exchange, text(n), version, pinnedHint);
    }

    const unknown = await predict(text(0), "9.9.9");
    expectError(unknown, 404, "a pinned version that is not registered is a 404: never fall back to another version");

    const unpinned = await predict(text(0));
    expectError(
      unpinned,
      409,
      "nothing has been promoted yet in this check, so an unpinned prediction has no version to serve it: answer 409 (registering a version does not promote it)",
    );
    const unpinnedNull = await predict(text(0), null);
    expectError(unpinnedNull, 409, '"version": null is the same as no version: the production version serves it, and there is none yet');

    const bad: Array<{ what: string; json: unknown }> = [
      { what: "no text field", json: { version: "3.0.0" } },
      { what: "text is a number", json: { text: 42, version: "3.0.0" } },
      { what: "text is empty", json: { text: "", version: "3.0.0" } },
      { what: `text is ${MAX_TEXT_LENGTH + 1} characters long`, json: { text: "a".repeat(MAX_TEXT_LENGTH + 1), version: "3.0.0" } },
      { what: "version is a number", json: { text: text(0), version: 42 } },
    ];
    for (const item of bad) {
      const exchange = await http.post("/predict", item.json);
      expectStatus(
        exchange,
        422,
        `${item.what}: declare the body as a Pydantic model, text: Annotated[str, Field(min_length=1, max_length=${MAX_TEXT_LENGTH})] and version: str | None = None`,
      );
    }
  });

  it("R04.6 promotion moves the production alias, and predictions follow at once", async () => {
    await ensureVersion("4.0.0");
    await ensureVersion("4.1.0");
    const start = await readProduction(PRODUCTION_HINT);
    expectProduction(
      start.exchange,
      { version: null, previous: null },
      "before the first promotion (the earlier checks only register and predict)",
      "production starts empty; only POST /versions/{version}/promote puts a version there",
    );
    const hint =
      "keep the promotion history in a table: promoting appends the version, production is the newest entry, previous the one before";

    const first = await promote("4.0.0", "add POST /versions/{version}/promote: it answers 200 with the production object");
    expectProduction(first, { version: "4.0.0", previous: null }, "the promotion's answer", hint);
    expectProduction(
      (await readProduction(PRODUCTION_HINT)).exchange,
      { version: "4.0.0", previous: null },
      "GET /production right after the promotion",
      ORDER_OF_EFFECTS,
    );
    const servedFirst = await predict(text(0));
    expectStatus(servedFirst, 200, "an unpinned POST /predict is served by the production version once there is one");
    expectPrediction(
      servedFirst,
      text(0),
      "4.0.0",
      `an unpinned prediction is served by the production version, 4.0.0 now. ${ORDER_OF_EFFECTS}`,
    );

    const second = await promote("4.1.0", "POST /versions/{version}/promote answers 200 for every registered version");
    expectProduction(second, { version: "4.1.0", previous: "4.0.0" }, "the promotion's answer", hint);
    const servedSecond = await predict(text(1));
    expectStatus(servedSecond, 200, "an unpinned POST /predict is served by the production version");
    expectPrediction(
      servedSecond,
      text(1),
      "4.1.0",
      `4.1.0 was promoted just before this prediction, so it serves it. ${ORDER_OF_EFFECTS}`,
    );
    expectProduction(
      (await readProduction(PRODUCTION_HINT)).exchange,
      { version: "4.1.0", previous: "4.0.0" },
      "GET /production after promoting 4.0.0, then 4.1.0",
      ORDER_OF_EFFECTS,
    );

    const pinned = await predict(text(2), "4.0.0");
    expectStatus(pinned, 200, NEEDS_PREDICT);
    expectPrediction(pinned, text(2), "4.0.0", "a pinned version serves the request whatever is in production");

    const repeated = await promote("4.1.0", "promoting the production version again answers 200 and changes nothing");
    expectProduction(
      repeated,
      { version: "4.1.0", previous: "4.0.0" },
      "promoting the production version again (nothing changes)",
      "promoting the version that is already in production must not add it to the history again: a rollback would then stay on it",
    );
    expectProduction(
      (await readProduction(PRODUCTION_HINT)).exchange,
      { version: "4.1.0", previous: "4.0.0" },
      "GET /production after promoting 4.1.0 again",
      "promoting the production version again changes nothing",
    );
  });

  it("R04.7 rollback returns to the previous production version", async () => {
    for (const version of ["5.0.0", "5.2.0", "5.9.0", "5.10.0"]) await ensureVersion(version);
    const start = await readProduction();
    const before = start.production.version;
    for (const version of ["5.2.0", "5.10.0", "5.0.0", "5.0.0"]) await promote(version, NEEDS_PROMOTE);
    const historyHint =
      "a rollback undoes the latest promotion still in effect: keep every promotion in a table, in order, and mark (or remove) the newest one; the version numbers play no part";

    const rollback = () => http.post("/production/rollback");
    const rollbackStatusHint = (exchange: Exchange, why: string) =>
      exchange.status === 404 || exchange.status === 405
        ? "add POST /production/rollback: it answers 200 with the production object after the rollback"
        : `${why}: the rollback found nothing to return to. Every promotion must be stored (committed) in order; a rollback returns to the one before the newest still in effect`;
    const expectServedBy = async (version: string, n: number) => {
      const exchange = await predict(text(n));
      expectStatus(exchange, 200, "an unpinned POST /predict is served by the production version");
      expectPrediction(
        exchange,
        text(n),
        version,
        `the rollback just made ${version} the production version, so it serves this prediction. ${ORDER_OF_EFFECTS}`,
      );
    };

    const first = await rollback();
    expectStatus(first, 200, rollbackStatusHint(first, "5.2.0, 5.10.0 and 5.0.0 were promoted"));
    expectProduction(
      first,
      { version: "5.10.0", previous: "5.2.0" },
      "after promoting 5.2.0, 5.10.0, 5.0.0 and 5.0.0 again, one rollback",
      `${historyHint}. Promoting 5.0.0 a second time changed nothing, so this rollback leaves 5.0.0`,
    );
    expectProduction(
      (await readProduction()).exchange,
      { version: "5.10.0", previous: "5.2.0" },
      "GET /production right after the rollback",
      ORDER_OF_EFFECTS,
    );
    await expectServedBy("5.10.0", 3);

    const second = await rollback();
    expectStatus(second, 200, rollbackStatusHint(second, "5.2.0 was promoted before 5.10.0"));
    expectProduction(
      second,
      { version: "5.2.0", previous: before },
      `a second rollback (5.2.0 was promoted before 5.10.0; ${before === null ? "nothing" : before} was in production before that)`,
      `${historyHint}. 5.9.0 is the next lower number, but it was never in production; and a rollback is not a promotion: rolling back twice must not return to 5.0.0`,
    );
    await expectServedBy("5.2.0", 4);

    // Back through what the earlier checks promoted, each time to the `previous` just named.
    let last = { production: { version: "5.2.0", previous: before } as Production, exchange: second };
    for (let n = 0; last.production.previous !== null; n++) {
      if (n >= MAX_ROLLBACKS) {
        fail({
          expected: "rollbacks to reach the start of the promotion history (a 409)",
          got: `${MAX_ROLLBACKS} more rollbacks, and there is still a previous version`,
          exchange: last.exchange,
          hint: historyHint,
        });
      }
      const wanted = last.production.previous;
      const exchange = await rollback();
      expectStatus(exchange, 200, rollbackStatusHint(exchange, `the last answer named ${wanted} as previous`));
      const got = productionOf(exchange, historyHint);
      check(got.version === wanted, {
        expected: `the rollback to land on ${wanted}, the previous version the answer before named`,
        got: `"version": ${show(got.version)}`,
        exchange,
        hint: historyHint,
      });
      last = { production: got, exchange };
    }
    const end = await rollback();
    expectError(end, 409, "with no previous version there is nothing to roll back to: answer 409 and change nothing");
    expectProduction(
      (await readProduction()).exchange,
      { version: last.production.version, previous: null },
      "the production version unchanged by the refused rollback",
      "a refused rollback changes nothing; in particular it does not empty the production alias",
    );
  });

  it("R04.8 predictions never block the event loop", async () => {
    await ensureVersion("6.0.0");
    const texts = [0, 1, 2, 3].map(text);
    const { value: exchanges, loop } = await watchEventLoop(
      () =>
        together(
          texts.map((t) => () => predict(t, "6.0.0")),
          "the predictions never answered",
        ),
      { intervalMs: LOOP_PROBE_INTERVAL_MS },
    );
    exchanges.forEach((exchange, index) => {
      expectStatus(exchange, 200, NEEDS_PREDICT);
      expectPrediction(exchange, texts[index]!, "6.0.0", "a pinned version serves the request itself (R04.5)");
    });
    expectLoopFree(loop, {
      limitMs: loopLimitMs(),
      during: `4 predictions ran (each blocks its thread for ${latencyMs()} ms)`,
      hint: "model.predict() blocks its thread; called from an async def handler it blocks the event loop and every other request waits. Run it with await run_in_threadpool(model.predict, text) (or anyio/asyncio to_thread), and use the async database driver (aiosqlite, asyncpg) through AsyncSession",
    });
  });

  it("R04.9 a failing model answers 500 with JSON, and changes nothing", async () => {
    await ensureVersion("7.0.0");
    await ensureVersion("7.1.0");
    await promote("7.0.0", NEEDS_PROMOTE);
    await promote("7.1.0", NEEDS_PROMOTE);
    const before = await readProduction();
    // 7.1.0 after the promotions above; should they not have taken, the unpinned cases are left out.
    const serving = before.production.version;
    const failing = `${text(0)} ${FAILURE_MARKER}`;
    const jsonHint =
      'catch ModelError around model.predict and answer JSONResponse(status_code=500, content={"detail": ..., "version": ...}) (or raise an exception of your own with an exception handler); uncaught, it becomes a bare text/plain "Internal Server Error"';

    const cases: Array<{ pinned?: string; version: string }> = [{ pinned: "7.0.0", version: "7.0.0" }];
    if (serving !== null) cases.unshift({ version: serving });
    for (const { pinned, version } of cases) {
      const exchange = await predict(failing, pinned);
      expectStatus(
        exchange,
        500,
        `the model raised ModelError for a text with ${FAILURE_MARKER}: that is the server's failure, a 500. ${jsonHint}`,
      );
      expectJsonObject(exchange, jsonHint);
      expectField(exchange, "detail", isNonEmptyString, "a non-empty string saying the model failed", jsonHint);
      expectField(
        exchange,
        "version",
        (v) => v === version,
        `"${version}" (the version that was serving the request${pinned ? ", the pinned one" : ", production"})`,
        "decide the serving version before calling the model, and name it in the error too",
      );
    }

    const after = await readProduction();
    check(after.production.version === before.production.version && after.production.previous === before.production.previous, {
      expected: `the production object unchanged by the failed predictions: ${show(before.production)}`,
      got: show(after.production),
      exchange: after.exchange,
      hint: "one failed prediction is no reason to touch the registry: no automatic rollback, no write at all",
    });
    const good = await predict(text(1), serving === null ? "7.0.0" : undefined);
    expectStatus(
      good,
      200,
      "after a failed prediction the next one is served as before: catch the error, do not let it break the server's state",
    );
    expectPrediction(good, text(1), serving ?? "7.0.0", "the same version still serves the next prediction");
  });

  it("R04.10 evaluation results are stored once and never change", async () => {
    await ensureVersion("8.0.0");
    await ensureVersion("8.1.0");
    const listOf = async (version: string) => {
      const exchange = await http.get(evaluationsPath(version));
      expectStatus(exchange, 200, "GET /versions/{version}/evaluations answers 200 with a JSON array (empty when there are none)");
      return { items: jsonArray(exchange, `GET /versions/${version}/evaluations`, "return a list of evaluation objects"), exchange };
    };
    const expectList = async (version: string, wanted: unknown[], what: string, hint: string) => {
      const { items, exchange } = await listOf(version);
      check(sameItems(items, wanted), {
        expected: `${what}: ${show(wanted)} (in any order)`,
        got: show(items),
        exchange,
        hint,
      });
    };

    await expectList("8.0.0", [], "no evaluations yet for 8.0.0", "answer [] for a registered version without results");
    const holdout = { version: "8.0.0", dataset: "holdout-2024-06", metrics: { accuracy: 0.9, f1: 0.87 } };
    const shadow = { version: "8.0.0", dataset: "shadow-traffic-2024-07", metrics: { agreement: 0.97 } };
    for (const evaluation of [holdout, shadow]) {
      const exchange = await http.post(evaluationsPath("8.0.0"), { dataset: evaluation.dataset, metrics: evaluation.metrics });
      expectStatus(exchange, 201, 'add POST /versions/{version}/evaluations: it stores {"dataset": ..., "metrics": {...}} and answers 201');
      check(sameJson(exchange.json, evaluation), {
        expected: `the evaluation object ${show(evaluation)}`,
        got: exchange.text,
        exchange,
        hint: "answer with version, dataset and metrics as stored",
      });
    }
    await expectList("8.0.0", [holdout, shadow], "both results of 8.0.0", "list every stored evaluation of the version, and only its own");

    const overwrite = await http.post(evaluationsPath("8.0.0"), { dataset: holdout.dataset, metrics: { accuracy: 0.99, f1: 0.99 } });
    expectError(
      overwrite,
      409,
      "a stored result is never replaced: a unique constraint on (version, dataset), and an IntegrityError turned into 409; no upsert, no delete-then-insert",
    );
    await expectList(
      "8.0.0",
      [holdout, shadow],
      "the results of 8.0.0 unchanged by the refused second write",
      "a refused write changes nothing",
    );

    const other = { version: "8.1.0", dataset: holdout.dataset, metrics: { accuracy: 0.92 } };
    const sameDataset = await http.post(evaluationsPath("8.1.0"), { dataset: other.dataset, metrics: other.metrics });
    expectStatus(
      sameDataset,
      201,
      "one result per version and dataset: the same dataset may be evaluated for every version, so the unique constraint covers both columns, not the dataset alone",
    );
    await expectList("8.1.0", [other], "the result of 8.1.0", "list only the version's own evaluations");
    await expectList("8.0.0", [holdout, shadow], "the results of 8.0.0, untouched by 8.1.0's", "list only the version's own evaluations");

    const bad: Array<{ what: string; json: unknown }> = [
      { what: "no dataset", json: { metrics: { accuracy: 0.9 } } },
      { what: "dataset is empty", json: { dataset: "", metrics: { accuracy: 0.9 } } },
      {
        what: `dataset is ${MAX_DATASET_LENGTH + 1} characters long`,
        json: { dataset: "d".repeat(MAX_DATASET_LENGTH + 1), metrics: { accuracy: 0.9 } },
      },
      { what: "no metrics", json: { dataset: "no-metrics" } },
      { what: 'a metric is the string "0.9"', json: { dataset: "string-metric", metrics: { accuracy: "0.9" } } },
    ];
    for (const item of bad) {
      const exchange = await http.post(evaluationsPath("8.1.0"), item.json);
      expectStatus(
        exchange,
        422,
        `${item.what}: dataset: Annotated[str, Field(min_length=1, max_length=${MAX_DATASET_LENGTH})], metrics required, each a strict float`,
      );
    }
    await expectList(
      "8.1.0",
      [other],
      "the result of 8.1.0, with nothing added by the rejected bodies",
      "validate the body before storing anything",
    );
  });

  it("R04.11 an unknown version is a 404", async () => {
    await ensureVersion("11.0.0");
    const known = await http.get(versionPath("11.0.0"));
    expectStatus(known, 200, "GET /versions/{version} answers 200 for a registered version (R04.1)");
    const productionBefore = await http.get("/production");
    const lookup =
      "look the version up by its exact text and raise HTTPException(404) when there is no row (scalar_one_or_none, not scalar_one: NoResultFound is a 500); do not parse or normalise the path's version before the lookup";
    for (const unknown of ["9.9.9", "11.0", "11.0.0.0", "11.0.00", "v11.0.0", "latest"]) {
      const read = await http.get(versionPath(unknown));
      expectError(read, 404, lookup);
      const promoted = await http.post(`${versionPath(unknown)}/promote`);
      expectError(promoted, 404, `promote only registered versions: ${lookup}`);
      const evaluated = await http.post(evaluationsPath(unknown), { dataset: "holdout-2024-06", metrics: { accuracy: 0.9 } });
      expectError(evaluated, 404, `an evaluation belongs to a registered version: ${lookup}`);
      const listed = await http.get(evaluationsPath(unknown));
      expectError(listed, 404, `an unknown version has no evaluations list, not an empty one: ${lookup}`);
    }
    if (productionBefore.status === 200) {
      const productionAfter = await http.get("/production");
      check(productionAfter.status === 200 && sameJson(productionAfter.json, productionBefore.json), {
        expected: `GET /production unchanged by the refused promotions: ${productionBefore.text}`,
        got: `${productionAfter.status} ${productionAfter.text}`,
        exchange: productionAfter,
        hint: "a promotion of an unknown version is refused before anything is written",
      });
    }
    const still = await http.get(versionPath("11.0.0"));
    expectStatus(still, 200, "the registered version keeps answering 200");
  });

  it("R04.12 the registry lives in the database DATABASE_URL names, and survives a restart", async (ctx) => {
    needsControl(ctx);
    await ensureVersion("12.0.0", { metadata: { purpose: "restart" }, metrics: { accuracy: 0.93 } });
    await ensureVersion("12.1.0", { metadata: { purpose: "restart", candidate: true }, metrics: { accuracy: 0.95 } });
    await promote("12.0.0", NEEDS_PROMOTE);
    await promote("12.1.0", NEEDS_PROMOTE);
    const evaluation = await http.post(evaluationsPath("12.1.0"), { dataset: "restart-check", metrics: { accuracy: 0.94 } });
    expectStatus(evaluation, 201, "this needs POST /versions/{version}/evaluations (R04.10)");

    const persisted =
      "keep everything in the database: versions, the promotion history and evaluations in tables; create the tables at startup with create_all (which keeps existing ones), never drop_all";
    const versionsOf = (items: unknown[]) => show(items.map((item) => (item as { version?: unknown } | null)?.version));

    // Before the restart: what the earlier requirements' endpoints answer.
    const versionsBefore = await http.get("/versions");
    expectStatus(versionsBefore, 200, "this needs GET /versions (R04.4)");
    const listBefore = jsonArray(versionsBefore, "GET /versions", "return a list of version objects");
    const before = await readProduction();
    const evaluationsBefore = await http.get(evaluationsPath("12.1.0"));
    expectStatus(evaluationsBefore, 200, "this needs GET /versions/{version}/evaluations (R04.10)");
    const resultsBefore = jsonArray(evaluationsBefore, "GET /versions/12.1.0/evaluations", "return a list of evaluation objects");

    await server.restart();

    // After it: the same answers, each compared as soon as it is read.
    const versionsAfter = await http.get("/versions");
    expectStatus(versionsAfter, 200, "GET /versions answers 200 after a restart too");
    const listAfter = jsonArray(versionsAfter, "GET /versions", "return a list of version objects");
    check(sameJson(listAfter, listBefore), {
      expected: `GET /versions after the restart as before it: ${versionsOf(listBefore)} (and the same objects)`,
      got: `${versionsOf(listAfter)}`,
      exchange: versionsAfter,
      hint: persisted,
    });
    const after = await readProduction("GET /production answers 200 after a restart too");
    check(sameJson(after.production, before.production), {
      expected: `GET /production after the restart as before it: ${show(before.production)}`,
      got: show(after.production),
      exchange: after.exchange,
      hint: `${persisted}. The production alias and its history are data, not variables in the process`,
    });
    const evaluationsAfter = await http.get(evaluationsPath("12.1.0"));
    expectStatus(evaluationsAfter, 200, `the evaluations of 12.1.0 answered 200 before the restart. ${persisted}`);
    const resultsAfter = jsonArray(evaluationsAfter, "GET /versions/12.1.0/evaluations", "return a list of evaluation objects");
    check(sameItems(resultsAfter, resultsBefore), {
      expected: `the evaluations of 12.1.0 after the restart as before it: ${show(resultsBefore)}`,
      got: show(resultsAfter),
      exchange: evaluationsAfter,
      hint: persisted,
    });
    // The history is stored too: a rollback after the restart lands on the version GET /production
    // named as previous before it (which version that is, is R04.7's subject).
    let afterRollback = before.production;
    const previous = before.production.previous;
    if (previous !== null) {
      const rolledBack = await http.post("/production/rollback");
      expectStatus(
        rolledBack,
        200,
        rolledBack.status === 404 || rolledBack.status === 405
          ? "this needs POST /production/rollback (R04.7)"
          : `before the restart GET /production named ${previous} as previous: the promotion history must survive the restart too. ${persisted}`,
      );
      afterRollback = productionOf(rolledBack, "the rollback answers with the production object");
      check(afterRollback.version === previous, {
        expected: `a rollback after the restart to land on ${previous}, the previous version GET /production named before the restart`,
        got: `"version": ${show(afterRollback.version)}`,
        exchange: rolledBack,
        hint: `the promotion history must survive the restart too. ${persisted}`,
      });
    }

    // A second, empty database: a server that reads DATABASE_URL starts with an empty registry.
    const dir = mkdtempSync(join(tmpdir(), "drill-04-second-db-"));
    const secondUrl = `sqlite+aiosqlite:///${join(dir, "second.db")}`;
    try {
      await server.restart({ env: { DATABASE_URL: secondUrl } });
      const empty = await http.get("/versions");
      expectStatus(empty, 200, "GET /versions answers 200 on an empty registry too");
      check(Array.isArray(empty.json) && empty.json.length === 0, {
        expected: `[] from a server started with DATABASE_URL=${secondUrl} (a new, empty SQLite file)`,
        got: empty.text.slice(0, 300),
        exchange: empty,
        hint: "read the database URL from DATABASE_URL (a pydantic-settings field database_url) and pass it to create_async_engine; do not hard-code a URL or a file name",
      });
      expectProduction(
        (await readProduction()).exchange,
        { version: null, previous: null },
        "nothing in production on an empty database",
        "read the production version from the database DATABASE_URL names",
      );
    } finally {
      await server.restart();
      rmSync(dir, { recursive: true, force: true });
    }
    const back = await http.get("/versions");
    expectStatus(back, 200);
    check(sameJson(back.json, listBefore), {
      expected: "GET /versions back on the check's database as before",
      got: back.text.slice(0, 300),
      exchange: back,
      hint: persisted,
    });
    expectProduction(
      (await readProduction()).exchange,
      afterRollback,
      "GET /production back on the check's database, as it was left there",
      persisted,
    );
  });
});
