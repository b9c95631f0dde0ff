// Practice 02: batch processing. Every test is named after the README requirement it checks.
//
// drill gives every check an empty database of its own, but under `drill check --url` the
// learner's own database may hold earlier runs: so every count is compared as a difference, and
// every Idempotency-Key is a new UUID.
import { randomUUID } from "node:crypto";
import { existsSync, statSync } from "node:fs";
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
  needsControl,
  server,
  watchEventLoop,
  type Exchange,
} from "./harness/index.js";
import { expectedPrediction, FAILURE_MARKER, MODEL_ANSWERS, MODEL_VERSION, transientFailureMarker } from "./harness/model.js";

const BASES = Object.keys(MODEL_ANSWERS);
const MAX_TEXT_LENGTH = 1000;
const maxItems = () => knob("BATCH_MAX_ITEMS");

/** R02.12: a full batch within this many one-item batch times. */
const RATIO_BOUND = 70;
/** R02.13: the latency the server is restarted with, the batch size, and the loop's limit. */
const LOOP_LATENCY_MS = 10;
const LOOP_BATCH_ITEMS = 200;
const LOOP_LIMIT_MS = 500;
/** Requests that carry big batches may take long on a slow solution; they fail on their own subject, not on a timeout. */
const BIG_REQUEST_TIMEOUT_MS = 60_000;
const HEAVY_TEST_TIMEOUT_MS = 150_000;

// --- texts -----------------------------------------------------------------------------------

let sent = 0;
/** A text whose model answer harness/model.ts knows: a known text plus a number the model ignores. */
function text(n = sent): string {
  sent += 1;
  return `${BASES[n % BASES.length]} #${sent}`;
}

function texts(count: number): string[] {
  return Array.from({ length: count }, (_, n) => text(n));
}

function batchBody(items: string[]): { items: Array<{ text: string }> } {
  return { items: items.map((t) => ({ text: t })) };
}

/** The header value as the IETF draft writes it: a structured-field string, in double quotes. */
function newKey(): Record<string, string> {
  return { "Idempotency-Key": `"${randomUUID()}"` };
}

// --- review helpers --------------------------------------------------------------------------

const NEEDS_SUBMIT = 'this needs POST /batches (R02.1) first: it takes {"items": [{"text": ...}, ...]} and answers 201 with the batch';
const NEEDS_STATS = 'this needs GET /stats (R02.3) first: {"batches": n, "items": n}, counted in the database';
const NEEDS_READ = "this needs GET /batches/{id} (R02.2) first: 200 with the stored batch";

/** POST /batches is not there at all (FastAPI's 404 or 405): the hint is then R02.1, whatever the requirement. */
function orNeedsSubmit(exchange: Exchange, hint: string): string {
  return exchange.status === 404 || exchange.status === 405 ? NEEDS_SUBMIT : hint;
}

async function submit(items: string[], options: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Exchange> {
  const timeoutMs = options.timeoutMs ?? (items.length > 50 ? BIG_REQUEST_TIMEOUT_MS : undefined);
  return http.post("/batches", batchBody(items), {
    ...(options.headers ? { headers: options.headers } : {}),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

/** Submits and expects the batch stored (201); returns the answer and the batch's id. */
async function store(items: string[], hint: string, headers?: Record<string, string>): Promise<{ exchange: Exchange; id: string }> {
  const exchange = await submit(items, headers ? { headers } : {});
  expectStatus(exchange, 201, hint);
  const id = expectField(exchange, "id", isNonEmptyString, "a non-empty string (the batch's id)", hint) as string;
  return { exchange, id };
}

interface BatchItem {
  index: unknown;
  text: unknown;
  label: unknown;
  score: unknown;
}

/** Checks a batch body (a 201, a replay or a GET) against the texts that were sent, in order. */
function expectBatch(exchange: Exchange, sentTexts: string[], hint: string, known = (_: number) => true): void {
  expectField(exchange, "id", isNonEmptyString, "a non-empty string (the batch's id)", hint);
  expectField(exchange, "item_count", (v) => v === sentTexts.length, `${sentTexts.length} (the number of items sent)`, hint);
  expectField(
    exchange,
    "model_version",
    (v) => v === MODEL_VERSION,
    `"${MODEL_VERSION}" (model.version)`,
    "copy model.version of the loaded model into the batch",
  );
  const items = expectField(
    exchange,
    "items",
    (v) => Array.isArray(v) && v.length === sentTexts.length,
    `an array of ${sentTexts.length} items, one per item sent (a text sent twice is two items)`,
    hint,
  ) as BatchItem[];
  items.forEach((item, index) => {
    const where = `items[${index}]`;
    const wanted = sentTexts[index] as string;
    const got = (item ?? {}) as BatchItem;
    if (got.index !== index || got.text !== wanted) {
      const at = sentTexts.indexOf(got.text as string);
      fail({
        expected: `${where} to be the item sent at position ${index}: "index": ${index}, "text": ${JSON.stringify(wanted)}`,
        got: `"index": ${JSON.stringify(got.index)}, "text": ${JSON.stringify(got.text)}${at >= 0 && at !== index ? ` (the item sent at position ${at})` : ""}`,
        exchange,
        hint:
          at >= 0 && at !== index
            ? "keep the input order: store each item's position (0, 1, 2, ...) and read the items back ORDER BY that position; never rely on the order rows happen to come back in"
            : "index is the item's position in the request's items array, counting from 0; text is the item's text exactly as sent (stored and returned unchanged)",
      });
    }
    if (!known(index)) return;
    const expected = expectedPrediction(wanted);
    check(got.label === expected.label && typeof got.score === "number" && Math.abs(got.score - expected.score) < 1e-6, {
      expected: `${where} to carry the model's answer for its text: "label": "${expected.label}", "score": ${expected.score}`,
      got: `"label": ${JSON.stringify(got.label)}, "score": ${JSON.stringify(got.score)}`,
      exchange,
      hint: "each item's label and score are what model.predict(text) returned for that item's text, unchanged (stored as a float, not rounded)",
    });
  });
}

/** The four fields that make a batch, as JSON, for comparing two answers. */
function batchFields(exchange: Exchange): string {
  const body = expectJsonObject(exchange);
  return JSON.stringify([body.id, body.item_count, body.model_version, body.items]);
}

function expectSameBatch(later: Exchange, first: Exchange, what: string, hint: string): void {
  if (batchFields(later) === batchFields(first)) return;
  const a = expectJsonObject(first);
  const b = expectJsonObject(later);
  const differs = ["id", "item_count", "model_version", "items"].find((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])) ?? "items";
  fail({
    expected: `${what} to be the same batch as the first answer (the same id, item_count, model_version and items); "${differs}" was ${short(a[differs])}`,
    got: `"${differs}": ${short(b[differs])}`,
    exchange: later,
    hint,
  });
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? "nothing";
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

/** The path of a Location header (absolute URLs allowed), or undefined when it is missing. */
function locationPath(exchange: Exchange): string | undefined {
  const value = exchange.headers.get("location");
  if (value === null) return undefined;
  try {
    return new URL(value, "http://placeholder").pathname;
  } catch {
    return value;
  }
}

function expectNotReplay(exchange: Exchange, why: string): void {
  const value = exchange.headers.get("idempotent-replayed");
  check(value?.trim().toLowerCase() !== "true", {
    expected: `no "Idempotent-Replayed: true" on this answer: ${why}`,
    got: `Idempotent-Replayed: ${value}`,
    exchange,
    hint: "mark only answers that replay a batch stored by an earlier request with the same key",
  });
}

function expectReplay(exchange: Exchange, first: Exchange, why: string): void {
  expectStatus(exchange, 201, `a replay answers like the first request did: 201 with the same batch (${why})`);
  expectSameBatch(
    exchange,
    first,
    "the replay",
    "look the key up first; when it already created a batch (with the same items), read that batch and answer with it, instead of scoring and storing again",
  );
  const value = exchange.headers.get("idempotent-replayed");
  check(value === "true", {
    expected: `the header Idempotent-Replayed: true (${why})`,
    got: value === null ? "no Idempotent-Replayed header" : `Idempotent-Replayed: ${value}`,
    exchange,
    hint: 'set response.headers["Idempotent-Replayed"] = "true" when you answer from a stored batch, so the client knows nothing new was stored',
  });
  check(locationPath(exchange) === locationPath(first), {
    expected: `the same Location as the first answer: ${first.headers.get("location")}`,
    got: exchange.headers.get("location") === null ? "no Location header" : `Location: ${exchange.headers.get("location")}`,
    exchange,
    hint: "a replay points at the same stored batch",
  });
}

interface Stats {
  batches: number;
  items: number;
}

async function readStats(hint = NEEDS_STATS): Promise<{ stats: Stats; exchange: Exchange }> {
  const exchange = await http.get("/stats");
  expectStatus(exchange, 200, hint);
  const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  const batches = expectField(exchange, "batches", isCount, "a non-negative integer (batches in the database)", hint) as number;
  const items = expectField(exchange, "items", isCount, "a non-negative integer (items in the database)", hint) as number;
  return { stats: { batches, items }, exchange };
}

/**
 * The stats before some traffic, read without judging them: a requirement checks its own subject
 * first and the counts last, so a missing GET /stats does not hide what the requirement is about.
 */
async function statsBefore(): Promise<Stats | undefined> {
  const exchange = await http.get("/stats");
  const body = exchange.status === 200 ? (exchange.json as Partial<Stats> | undefined) : undefined;
  return typeof body?.batches === "number" && typeof body.items === "number" ? { batches: body.batches, items: body.items } : undefined;
}

/** The stats now, against `before` (from statsBefore). */
async function expectGrowthSince(before: Stats | undefined, wanted: Stats, traffic: string, hint: string): Promise<void> {
  const after = await readStats();
  if (!before) {
    fail({
      expected: "GET /stats to answer with the counts before this requirement's traffic as well as after it",
      got: `no counts before; now ${JSON.stringify(after.stats)}`,
      exchange: after.exchange,
      hint: NEEDS_STATS,
    });
  }
  expectGrowth(before, after, wanted, traffic, hint);
}

function expectGrowth(before: Stats, after: { stats: Stats; exchange: Exchange }, wanted: Stats, traffic: string, hint: string): void {
  const grown = { batches: after.stats.batches - before.batches, items: after.stats.items - before.items };
  check(grown.batches === wanted.batches && grown.items === wanted.items, {
    expected: `the stats to rise by exactly ${wanted.batches} batches and ${wanted.items} items after ${traffic}`,
    got: `they rose by ${grown.batches} batches and ${grown.items} items (before: ${JSON.stringify(before)}; after: ${JSON.stringify(after.stats)})`,
    exchange: after.exchange,
    hint,
  });
}

/** A 422 item error whose loc names `index` (and no other item). */
function expectItemError(exchange: Exchange, index: number, what: string, hint: string): void {
  expectStatus(exchange, 422, orNeedsSubmit(exchange, hint));
  const detail = expectJsonObject(exchange).detail;
  const shape = `{"detail": [{"loc": ["body", "items", ${index}, ...], "msg": "...", "type": "..."}]}`;
  if (!Array.isArray(detail)) {
    fail({
      expected: `an item error naming index ${index} (${what}): ${shape}`,
      got: `"detail": ${short(detail)}`,
      exchange,
      hint: `the body has FastAPI's validation-error shape: "detail" is an array of errors, each with a "loc" array that starts "body", "items", <index>. ${hint}`,
    });
  }
  const named = detail
    .map((entry) => (entry && typeof entry === "object" ? (entry as { loc?: unknown }).loc : undefined))
    .filter((loc): loc is unknown[] => Array.isArray(loc) && loc[0] === "body" && loc[1] === "items" && typeof loc[2] === "number")
    .map((loc) => loc[2] as number);
  check(named.includes(index) && named.every((n) => n === index), {
    expected: `an item error whose loc names index ${index} (${what}), and no other index: ${shape}`,
    got:
      named.length === 0
        ? `no entry with a loc starting "body", "items", <index>: ${short(detail)}`
        : `entries naming index ${[...new Set(named)].join(", ")}`,
    exchange,
    hint: `the index is the item's position in the items array, counting from 0. ${hint}`,
  });
}

const NOTHING_STORED =
  "score every item before you store anything, and store the batch and its items in one transaction: a rejected batch must leave no batch, no item and no key behind";

// --- the database the server was given -------------------------------------------------------

/** Where DATABASE_URL says the data lives, and whether something is there. */
async function databaseHoldsData(url: string): Promise<{ ok: boolean; where: string; found: string }> {
  const sqlite = /^sqlite(?:\+\w+)?:\/\/\/(.+)$/.exec(url);
  if (sqlite) {
    const path = (sqlite[1] as string).split("?")[0] as string;
    const sizeOf = (file: string) => (existsSync(file) ? statSync(file).size : -1);
    // In WAL mode new pages may still sit in the -wal file beside the database.
    const size = sizeOf(path) + Math.max(0, sizeOf(`${path}-wal`));
    return { ok: size > 0, where: `the SQLite file ${path}`, found: sizeOf(path) < 0 ? "no such file" : `${size} bytes` };
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({
    connectionString: url.replace(/^postgres(?:ql)?(?:\+\w+)?:/, "postgresql:"),
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    const result = await client.query<{ tables: string }>(
      "SELECT count(*) AS tables FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')",
    );
    const tables = Number(result.rows[0]?.tables ?? 0);
    const name = new URL(url.replace(/^postgres(?:ql)?(?:\+\w+)?:/, "postgresql:")).pathname.slice(1);
    return { ok: tables > 0, where: `the PostgreSQL database ${name}`, found: `${tables} tables` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

// --- timing ----------------------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function timedOneItem(): Promise<number> {
  const exchange = await submit([text()]);
  expectStatus(exchange, 201, NEEDS_SUBMIT);
  return exchange.durationMs;
}

// ---------------------------------------------------------------------------------------------

describe("02 batch processing", () => {
  it("R02.1 POST /batches scores and stores a batch", async () => {
    const repeated = text(0);
    // Six items: one text twice (two items), and one with characters beyond ASCII.
    const sentTexts = [repeated, text(1), text(2), repeated, text(5), `${text(0)} — 👍`];
    const hint =
      'POST /batches takes {"items": [{"text": ...}, ...]}, scores every item with the model and answers 201 with the stored batch';
    const first = await store(sentTexts, hint);
    expectBatch(first.exchange, sentTexts, "one item per item sent, in the order sent, each with index, text, label and score");

    const path = locationPath(first.exchange);
    check(path === `/batches/${first.id}`, {
      expected: `a Location header with the batch's path: /batches/${first.id}`,
      got: path === undefined ? "no Location header" : `Location: ${first.exchange.headers.get("location")}`,
      exchange: first.exchange,
      hint: 'set response.headers["Location"] (e.g. from request.app.url_path_for("read_batch", batch_id=...)): it tells the client where the new batch lives',
    });

    const second = await store([text()], hint);
    check(second.id !== first.id, {
      expected: `a new id for a second batch (the first one was ${first.id})`,
      got: `the same id: ${second.id}`,
      exchange: second.exchange,
      hint: "every stored batch gets its own id, e.g. uuid.uuid4() or the database's generated key",
    });

    const bad: Array<{ what: string; json?: unknown; raw?: string }> = [
      { what: "the body is not valid JSON", raw: '{"items": [' },
      { what: "there is no items field", json: {} },
      { what: "items is null", json: { items: null } },
      { what: "items is a string", json: { items: "great service" } },
    ];
    for (const body of bad) {
      const exchange =
        body.raw === undefined
          ? await http.post("/batches", body.json)
          : await http.request("POST", "/batches", { body: body.raw, headers: { "content-type": "application/json" } });
      expectStatus(exchange, 422, `${body.what}: declare the body as a Pydantic model with items: list[Item] and let FastAPI reject it`);
    }
  });

  it(
    "R02.2 GET /batches/{id} returns the stored batch as soon as it is created",
    async () => {
      for (let round = 0; round < 4; round++) {
        const sentTexts = texts(500);
        const created = await store(sentTexts, NEEDS_SUBMIT);
        const read = await http.get(`/batches/${encodeURIComponent(created.id)}`);
        expectStatus(
          read,
          200,
          "this GET was sent right after the 201: everything the 201 reports must already be committed. Commit inside the handler, before you return; a commit in a yield dependency's teardown, a BackgroundTask or a create_task runs after the answer is sent",
        );
        expectSameBatch(
          read,
          created.exchange,
          "GET /batches/{id}",
          "answer with the stored batch: the same fields, and the items in input order (ORDER BY the stored position)",
        );
        expectBatch(read, sentTexts, "the stored items, in input order");
      }

      const real = (await store([text()], NEEDS_SUBMIT)).id;
      for (const unknown of [randomUUID(), "no-such-batch", `${real}0`]) {
        const exchange = await http.get(`/batches/${encodeURIComponent(unknown)}`);
        expectStatus(
          exchange,
          404,
          "an id that was never issued is a 404 (raise HTTPException(404)); a malformed id is not a 422 or a 500 either, it is simply not found",
        );
      }
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it("R02.3 GET /stats counts the stored batches and items", async () => {
    const start = await readStats('add GET /stats: {"batches": n, "items": n}, counted in the database (SELECT count(*))');
    const hint =
      "count the rows of your batch and item tables in the database (select(func.count()).select_from(Table)); an in-process counter is wrong after a restart";
    const first = await store(texts(3), NEEDS_SUBMIT);
    expectGrowth(start.stats, await readStats(), { batches: 1, items: 3 }, "one batch of 3 items (read right after its 201)", hint);
    await store(texts(5), NEEDS_SUBMIT);
    const middle = await readStats();
    expectGrowth(start.stats, middle, { batches: 2, items: 8 }, "batches of 3 and 5 items", hint);

    expectStatus(await http.get(`/batches/${encodeURIComponent(first.id)}`), 200, NEEDS_READ);
    await readStats();
    expectGrowth(
      middle.stats,
      await readStats(),
      { batches: 0, items: 0 },
      "reading a batch and the stats",
      "reading must not store anything",
    );
  });

  it("R02.4 batches live in the DATABASE_URL database and survive a restart", async (ctx) => {
    needsControl(ctx);
    const plain = texts(4);
    const keyed = texts(3);
    const key = newKey();
    const a = await store(plain, NEEDS_SUBMIT);
    const b = await store(keyed, NEEDS_SUBMIT, key);
    const before = await statsBefore();

    const url = process.env.DATABASE_URL;
    if (url) {
      const held = await databaseHoldsData(url);
      check(held.ok, {
        expected: `your data in ${held.where} (DATABASE_URL)`,
        got: `${held.found} there after two batches were stored`,
        hint: "read DATABASE_URL in your settings (database_url: str) and create the engine from it; a hard-coded URL or one read from another variable stores the data somewhere drill did not give you",
      });
    }

    await server.restart();

    for (const [created, what] of [
      [a, "the batch stored without a key"],
      [b, "the batch stored with an Idempotency-Key"],
    ] as const) {
      const read = await http.get(`/batches/${encodeURIComponent(created.id)}`);
      expectStatus(
        read,
        200,
        `${what} must still be there after a restart: keep batches in the database (DATABASE_URL), not in memory, and do not drop or recreate the tables at startup (create_all leaves existing ones alone)`,
      );
      expectSameBatch(
        read,
        created.exchange,
        `${what}, read after the restart`,
        "store every field you answer with, and read it back the same way",
      );
    }
    await expectGrowthSince(
      before,
      { batches: 0, items: 0 },
      "a restart",
      "the stats count the rows in the database, so a restart changes nothing",
    );

    const again = await submit(keyed, { headers: key });
    expectReplay(
      again,
      b.exchange,
      "the keyed request sent again after a restart; keep each key in the database with the batch it created, not in a dict that dies with the process",
    );
    await expectGrowthSince(before, { batches: 0, items: 0 }, "a restart and a replay", "a replay stores nothing");
  });

  it(
    "R02.5 a batch holds 1 to BATCH_MAX_ITEMS items; a bigger one is 413",
    async () => {
      const limit = maxItems();
      const start = await statsBefore();
      const full = texts(limit);
      const exchange = await submit(full);
      expectStatus(
        exchange,
        201,
        orNeedsSubmit(
          exchange,
          `a batch of exactly BATCH_MAX_ITEMS (${limit}) items is allowed: the limit is inclusive (compare with >, not >=)`,
        ),
      );
      expectBatch(exchange, full, `all ${limit} items, in input order`);

      const over = await submit(texts(limit + 1));
      expectStatus(
        over,
        413,
        `a batch of ${limit + 1} items is over BATCH_MAX_ITEMS (${limit}): check len(items) against the setting and raise HTTPException(413, detail=...) before scoring anything`,
      );
      expectField(
        over,
        "detail",
        (v) => v !== undefined && v !== null && v !== "",
        "what the limit is",
        "HTTPException(413, detail=...) gives the JSON body",
      );

      const empty = await http.post("/batches", { items: [] });
      expectStatus(empty, 422, "an empty items array is invalid: Field(min_length=1) on the list");
      await expectGrowthSince(
        start,
        { batches: 1, items: limit },
        `a batch of ${limit} items, one of ${limit + 1} (413) and an empty one (422)`,
        "a rejected batch stores nothing",
      );
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it("R02.6 one invalid item rejects the whole batch: 422 naming its index", async () => {
    const start = await statsBefore();
    const cases: Array<{ what: string; size: number; index: number; item: unknown }> = [
      { what: "an empty text", size: 5, index: 3, item: { text: "" } },
      { what: "an item without text", size: 4, index: 0, item: {} },
      { what: "a text that is a number", size: 10, index: 7, item: { text: 42 } },
      { what: `a text of ${MAX_TEXT_LENGTH + 1} characters`, size: 3, index: 2, item: { text: "a".repeat(MAX_TEXT_LENGTH + 1) } },
      { what: "an item that is a bare string", size: 6, index: 5, item: "great service" },
    ];
    for (const bad of cases) {
      const items: unknown[] = texts(bad.size).map((t) => ({ text: t }));
      items[bad.index] = bad.item;
      const exchange = await http.post("/batches", { items });
      expectItemError(
        exchange,
        bad.index,
        `${bad.what} at index ${bad.index} of ${bad.size}`,
        `validate each item with a Pydantic model (text: Annotated[str, Field(min_length=1, max_length=${MAX_TEXT_LENGTH})]) inside the batch model: FastAPI then answers 422 with loc ["body", "items", <index>, ...] by itself`,
      );
    }
    await expectGrowthSince(start, { batches: 0, items: 0 }, "five batches that each had one invalid item", NOTHING_STORED);
  });

  it("R02.7 an item the model cannot classify rejects the whole batch: 422 naming its index", async () => {
    const start = await statsBefore();
    const modelHint =
      'catch ModelError while scoring, remember the index of the item that raised it, and answer 422 with {"detail": [{"loc": ["body", "items", index, "text"], "msg": ..., "type": ...}]}; an uncaught ModelError is a 500';
    const twenty = texts(20);
    twenty[13] = `${twenty[13]} ${FAILURE_MARKER}`;
    expectItemError(await submit(twenty), 13, `item 13 contains ${FAILURE_MARKER}`, modelHint);
    expectItemError(await submit([`great service ${FAILURE_MARKER}`]), 0, `the only item contains ${FAILURE_MARKER}`, modelHint);
    await expectGrowthSince(start, { batches: 0, items: 0 }, "two batches the model rejected", NOTHING_STORED);

    const five = texts(5);
    five[3] = `${five[3]} ${transientFailureMarker(1)} ${randomUUID()}`;
    const key = newKey();
    const rejected = await submit(five, { headers: key });
    expectItemError(rejected, 3, `item 3 contains ${transientFailureMarker(1)}: the model fails on it once`, modelHint);
    await expectGrowthSince(start, { batches: 0, items: 0 }, "a third batch the model rejected", NOTHING_STORED);

    const retry = await submit(five, { headers: key });
    expectStatus(
      retry,
      201,
      "the client retried the rejected request unchanged, with the same Idempotency-Key, and the model answers this time: a rejected batch must not use up its key (store the key only together with the batch it created, in the same transaction), and do not replay the rejection",
    );
    expectNotReplay(retry, "the first request with this key was rejected and stored nothing, so this one stored the batch");
    expectBatch(retry, five, "all 5 items, in input order", (index) => index !== 3);
    await expectGrowthSince(start, { batches: 1, items: 5 }, "three rejected batches and one stored", "only the stored batch counts");
    expectReplay(
      await submit(five, { headers: key }),
      retry,
      "the same request a third time: the retry stored the batch, so this is a replay",
    );
  });

  it("R02.8 the same Idempotency-Key and batch replay the stored answer", async () => {
    const start = await statsBefore();
    const sentTexts = texts(4);
    const key = newKey();
    const first = await store(sentTexts, NEEDS_SUBMIT, key);
    expectNotReplay(first.exchange, "this request stored the batch");
    for (const n of [2, 3]) {
      expectReplay(
        await submit(sentTexts, { headers: key }),
        first.exchange,
        `request ${n} with the same Idempotency-Key and the same items`,
      );
    }
    await expectGrowthSince(
      start,
      { batches: 1, items: 4 },
      "one keyed batch sent three times",
      "a replay stores nothing: look the key up before you score and store",
    );

    const plain1 = await store(sentTexts, NEEDS_SUBMIT);
    const plain2 = await store(sentTexts, NEEDS_SUBMIT);
    for (const plain of [plain1, plain2]) expectNotReplay(plain.exchange, "a request without an Idempotency-Key always stores a new batch");
    check(plain1.id !== plain2.id && plain1.id !== first.id && plain2.id !== first.id, {
      expected: "three different ids: a keyed batch, and the same items sent twice without a key",
      got: `${first.id}, ${plain1.id}, ${plain2.id}`,
      exchange: plain2.exchange,
      hint: "without the header there is nothing to replay: every request stores a new batch",
    });
    const other = await store(sentTexts, NEEDS_SUBMIT, newKey());
    expectNotReplay(other.exchange, "a new key stores a new batch, even for items another key already stored");
    check(other.id !== first.id, {
      expected: `a new batch for a new key (not ${first.id})`,
      got: `the batch of the other key: ${other.id}`,
      exchange: other.exchange,
      hint: "look batches up by their key, not by their items",
    });
    await expectGrowthSince(
      start,
      { batches: 4, items: 16 },
      "one keyed batch three times, the same items twice without a key and once with a new key",
      "only the requests that stored a batch count",
    );
  });

  it("R02.9 the same Idempotency-Key with a different batch is 422", async () => {
    const sentTexts = texts(4);
    const key = newKey();
    const first = await store(sentTexts, NEEDS_SUBMIT, key);
    const start = await statsBefore();
    const reuseHint =
      "store a fingerprint of the items (e.g. a SHA-256 of the items as canonical JSON) with the key; when the key comes back with a different fingerprint, answer 422 instead of replaying or storing";
    const variants: Array<{ what: string; items: string[] }> = [
      { what: "another text in item 2", items: sentTexts.map((t, i) => (i === 2 ? text() : t)) },
      { what: "the same texts in reverse order", items: [...sentTexts].reverse() },
      { what: "the first three items only", items: sentTexts.slice(0, 3) },
    ];
    for (const variant of variants) {
      const exchange = await submit(variant.items, { headers: key });
      expectStatus(exchange, 422, `the key already created a batch, and this request differs (${variant.what}): ${reuseHint}`);
      expectField(
        exchange,
        "detail",
        (v) => v !== undefined && v !== null && v !== "",
        "a description of the problem",
        "HTTPException(422, detail=...)",
      );
    }
    await expectGrowthSince(
      start,
      { batches: 0, items: 0 },
      "three requests that reused a key for different items",
      "a reused key stores nothing",
    );
    expectReplay(
      await submit(sentTexts, { headers: key }),
      first.exchange,
      "the original request sent again: the key still belongs to its batch",
    );
  });

  it("R02.10 requests with the same key at the same moment store one batch", async () => {
    const start = await statsBefore();
    const sentTexts = texts(200);
    const key = newKey();
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        submit(sentTexts, { headers: key }).catch((error: unknown) => {
          if (error instanceof TransportError) return error;
          throw error;
        }),
      ),
    );
    const raceHint =
      "a look-up followed by an insert lets two requests both find no batch and both store one: give the key a unique constraint in the database, and when the insert fails on it (IntegrityError), answer with the batch that won (or 409 while it is still being stored)";
    const answers = results.map((result) => {
      if (result instanceof TransportError)
        fail({ expected: "an answer to each of 5 concurrent requests", got: result.message, hint: raceHint });
      return result;
    });
    for (const exchange of answers) {
      expectStatus(
        exchange,
        [201, 409],
        orNeedsSubmit(
          exchange,
          `each of 5 concurrent requests with one key answers 201 (the batch, stored once) or 409 (still being processed); ${raceHint}`,
        ),
      );
    }
    const created = answers.filter((e) => e.status === 201);
    const originals = created.filter((e) => e.headers.get("idempotent-replayed") !== "true");
    const ids = new Set(created.map((e) => String(expectJsonObject(e).id)));
    const shown = created[1] ?? created[0];
    check(created.length > 0 && ids.size === 1 && originals.length === 1, {
      expected: "one batch: every 201 with the same id, exactly one of them without Idempotent-Replayed: true",
      got: `${created.length} answers 201 with ${ids.size} different ids (${[...ids].join(", ")}), ${originals.length} of them not marked as replays`,
      ...(shown ? { exchange: shown } : {}),
      hint: raceHint,
    });
    await expectGrowthSince(start, { batches: 1, items: 200 }, "5 concurrent requests with one key and the same 200 items", raceHint);
    expectReplay(await submit(sentTexts, { headers: key }), originals[0] as Exchange, "the same request once more, after the burst");
  });

  it("R02.11 a batch becomes visible all at once", async () => {
    const start = await readStats();
    const size = 300;
    let done = false;
    let reads = 0;
    const pending = submit(texts(size)).finally(() => {
      done = true;
    });
    const partialHint =
      "store all items of a batch in one transaction (async with sessionmaker.begin(): add the batch, flush, one bulk insert of the items): other connections then see none of them until the single commit, and all of them after. A commit per row lets readers watch the batch fill up";
    // Each count on its own: whether one GET /stats reads both at the same moment is not the point here.
    while (!done) {
      const read = await readStats();
      reads += 1;
      const items = read.stats.items - start.stats.items;
      const batches = read.stats.batches - start.stats.batches;
      if ((items !== 0 && items !== size) || (batches !== 0 && batches !== 1)) {
        await pending.catch(() => undefined);
        fail({
          expected: `every GET /stats while the batch of ${size} items was being stored to count none of its items or all ${size} (items ${start.stats.items} or ${start.stats.items + size}), and the batch itself 0 or 1 times`,
          got: `read ${reads} counted ${items} of its items and ${batches} batch(es) (${JSON.stringify(read.stats)}; before: ${JSON.stringify(start.stats)})`,
          exchange: read.exchange,
          hint: partialHint,
        });
      }
    }
    const exchange = await pending;
    expectStatus(exchange, 201, NEEDS_SUBMIT);
    expectGrowth(
      start.stats,
      await readStats(),
      { batches: 1, items: size },
      `a batch of ${size} items (read right after its 201)`,
      partialHint,
    );
  });

  it(
    "R02.12 1,000 items take at most 70 times as long as one",
    async () => {
      const size = maxItems();
      await timedOneItem();
      await timedOneItem();
      const tries: Array<{ single: number; full: number; ratio: number }> = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const around: number[] = [];
        for (let n = 0; n < 3; n++) around.push(await timedOneItem());
        const exchange = await submit(texts(size), { timeoutMs: BIG_REQUEST_TIMEOUT_MS });
        expectStatus(exchange, 201, NEEDS_SUBMIT);
        for (let n = 0; n < 3; n++) around.push(await timedOneItem());
        const single = median(around);
        const ratio = exchange.durationMs / single;
        tries.push({ single, full: exchange.durationMs, ratio });
        if (ratio <= RATIO_BOUND || ratio > 2 * RATIO_BOUND) break;
      }
      const best = tries.reduce((a, b) => (b.ratio < a.ratio ? b : a));
      check(best.ratio <= RATIO_BOUND, {
        expected: `a batch of ${size} items answered within ${RATIO_BOUND} times your server's one-item batch time`,
        got: tries
          .map(
            (t, n) =>
              `try ${n + 1}: one item ${Math.round(t.single)} ms (median of 6), ${size} items ${Math.round(t.full)} ms = ${Math.round(t.ratio)} times`,
          )
          .join("; "),
        hint: "store all items with one bulk insert in one transaction: await session.execute(insert(Item), [dict per item]) is one executemany, and one commit pays for all rows. A commit per row pays the commit (a flush to disk) a thousand times; one INSERT per row pays a thousand round trips",
      });
    },
    HEAVY_TEST_TIMEOUT_MS,
  );

  it(
    "R02.13 scoring a batch never blocks the event loop",
    async (ctx) => {
      needsControl(ctx);
      await server.restart({ env: { MODEL_LATENCY_MS: String(LOOP_LATENCY_MS) } });
      const sentTexts = texts(LOOP_BATCH_ITEMS);
      const { value: exchange, loop } = await watchEventLoop(() => submit(sentTexts, { timeoutMs: BIG_REQUEST_TIMEOUT_MS }), {
        intervalMs: 20,
      });
      const blocking =
        "model.predict() blocks its thread; called in an async def handler (or in a loop inside one) it blocks the event loop for the whole batch. Run the scoring in the threadpool: await run_in_threadpool(score_all, model, texts), or one run_in_threadpool call per item";
      expectLoopFree(loop, {
        limitMs: LOOP_LIMIT_MS,
        during: `a batch of ${LOOP_BATCH_ITEMS} items was scored with MODEL_LATENCY_MS=${LOOP_LATENCY_MS} (about ${(LOOP_BATCH_ITEMS * LOOP_LATENCY_MS) / 1000} s of model time)`,
        hint: blocking,
      });
      expectStatus(exchange, 201, NEEDS_SUBMIT);
      expectBatch(exchange, sentTexts, "all items, in input order");
    },
    HEAVY_TEST_TIMEOUT_MS,
  );
});
