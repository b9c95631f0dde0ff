// Practice 09: a monitoring dashboard. Every test is named after the README requirement it checks.
//
// Nothing here depends on what happened before a test: counts are compared as differences between
// two reads of the summary, paths and notes carry this run's own number, and the percentiles are
// read after the suite has filled the whole latency window with requests of its own.
import { randomInt } from "node:crypto";
import { type DefaultTreeAdapterTypes, parse } from "parse5";
import { describe, it } from "vitest";
import {
  answered,
  check,
  type Exchange,
  expectField,
  expectJsonObject,
  expectLoopFree,
  expectStatus,
  fail,
  http,
  knob,
  settle,
  watchEventLoop,
} from "./harness/index.js";
import { expectedPrediction, FAILURE_MARKER, MODEL_VERSION } from "./harness/model.js";

type Element = DefaultTreeAdapterTypes.Element;
type ParentNode = DefaultTreeAdapterTypes.ParentNode;

const TEXTS = [
  "great service, would recommend",
  "Terrible support and a slow refund.",
  "I love how fast and reliable this is!",
  "worst update ever: broken, buggy, awful",
] as const;

const latencyMs = () => knob("MODEL_LATENCY_MS");
/**
 * While 4 predictions of 300 ms run, a free event loop answers GET /health in milliseconds (under
 * 200 ms on a loaded machine); a blocked one runs them one after another, and a probe waits behind
 * at least three of them (900 ms or more).
 */
const LOOP_LIMIT_MS = 400;
/** Server-side durations may be rounded; this much beyond the exact bound is allowed. */
const ROUNDING_MS = 5;
/** error_rate may be rounded to 4 decimal places. */
const RATE_TOLERANCE = 0.0001;

const UNMATCHED = "unmatched";
const LATENCY_ROUTE = "/debug/latency/{delay_ms}";
const UNCOUNTED = ["/dashboard", "/dashboard/summary", "/health"];

// --- names that are new to this run ----------------------------------------------------------

const RUN = String(randomInt(100_000_000, 1_000_000_000));
let sequence = 0;
const next = () => {
  sequence += 1;
  return String(sequence);
};
const unmatchedPath = () => `/no-such-route-${RUN}-${next()}/page`;
const text = (index: number) => `${TEXTS[index % TEXTS.length]} #${RUN}${next()}`;
const failingText = () => `great service ${FAILURE_MARKER} #${RUN}${next()}`;
const latency = (delayMs: number, status?: number) =>
  http.get(`/debug/latency/${delayMs}${status === undefined ? "" : `?status=${status}`}`, { timeoutMs: 15_000 });

const NEEDS_PREDICT = 'this needs POST /predict (R09.1): it takes {"text": ...} and answers 200 with the prediction';
const NEEDS_LATENCY = "this needs GET /debug/latency/{delay_ms} (R09.1): it waits delay_ms with asyncio.sleep, then answers";
const NEEDS_SUMMARY = "this needs GET /dashboard/summary (R09.4): the figures as JSON";
const NEEDS_DASHBOARD = "this needs GET /dashboard (R09.9): the figures as server-rendered HTML";
const BLOCKING =
  "model.predict() blocks its thread; called from an async def handler it blocks the event loop. Run it with `await run_in_threadpool(model.predict, text)` (or anyio/asyncio to_thread)";

/**
 * GET /debug/error. After an exception escapes the app, uvicorn closes the connection even though
 * the 500 was sent; asking for that up front keeps the client from reusing a closing connection.
 */
function crash(): Promise<Exchange> {
  return http.get("/debug/error", { headers: { connection: "close" } });
}

function expectPrediction(exchange: Exchange, sent: string, version: string): void {
  const expected = expectedPrediction(sent.replace(/ #\d+$/, ""));
  const hint = "return model.predict(text)'s label and score unchanged, plus the active model version";
  expectField(exchange, "label", (v) => v === expected.label, JSON.stringify(expected.label), hint);
  expectField(exchange, "score", (v) => typeof v === "number" && Math.abs(v - expected.score) < 1e-6, `${expected.score}`, hint);
  expectField(
    exchange,
    "model_version",
    (v) => v === version,
    `${JSON.stringify(version)} (the active version, as GET /model reports it)`,
    "read the active version when the prediction is made, from the one place PUT /model changes",
  );
}

// --- the summary -------------------------------------------------------------------------------

interface RouteRow {
  method: string;
  route: string;
  requests: number;
  errors: number;
  error_rate: number;
  p50_ms: number;
  p95_ms: number;
}

interface Summary {
  exchange: Exchange;
  model: { version: string; note: string };
  totals: { requests: number; errors: number; error_rate: number };
  routes: RouteRow[];
}

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isMs = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;
const isRate = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 1;

/** Reads GET /dashboard/summary; fails with a reviewer's note unless it has the README's shape. */
async function readSummary(hint = NEEDS_SUMMARY): Promise<Summary> {
  const exchange = await http.get("/dashboard/summary");
  expectStatus(exchange, 200, hint);
  const body = expectJsonObject(exchange, "answer the summary as a JSON object (a Pydantic model or a dict)");
  // Typed explicitly so that TypeScript knows a call never returns (and narrows after it).
  const bad: (field: string, wanted: string, got: unknown) => never = (field, wanted, got) =>
    fail({
      expected: `"${field}" to be ${wanted}`,
      got: got === undefined ? `no "${field}"` : `"${field}": ${JSON.stringify(got)}`,
      exchange,
      hint: "the README's Shapes section gives every field of the summary",
    });
  const model = body.model as Record<string, unknown> | undefined;
  if (!model || typeof model !== "object") bad("model", 'an object {"version", "note"}', model);
  if (typeof model.version !== "string") bad("model.version", "a string", model.version);
  if (typeof model.note !== "string") bad("model.note", 'a string ("" when none was given)', model.note);
  const totals = body.totals as Record<string, unknown> | undefined;
  if (!totals || typeof totals !== "object") bad("totals", 'an object {"requests", "errors", "error_rate"}', totals);
  if (!isCount(totals.requests)) bad("totals.requests", "a whole number", totals.requests);
  if (!isCount(totals.errors)) bad("totals.errors", "a whole number", totals.errors);
  if (!isRate(totals.error_rate)) bad("totals.error_rate", "a number from 0 to 1", totals.error_rate);
  if (!Array.isArray(body.routes)) bad("routes", "an array", body.routes);
  const routes: RouteRow[] = [];
  for (const [index, raw] of (body.routes as unknown[]).entries()) {
    const row = (raw ?? {}) as Record<string, unknown>;
    const at = (field: string) => `routes[${index}].${field}`;
    if (typeof row.method !== "string") bad(at("method"), "the method, upper case", row.method);
    if (typeof row.route !== "string") bad(at("route"), "the route template", row.route);
    if (!isCount(row.requests)) bad(at("requests"), "a whole number", row.requests);
    if (!isCount(row.errors)) bad(at("errors"), "a whole number", row.errors);
    if (!isRate(row.error_rate)) bad(at("error_rate"), "a number from 0 to 1", row.error_rate);
    if (!isMs(row.p50_ms)) bad(at("p50_ms"), "a number of milliseconds", row.p50_ms);
    if (!isMs(row.p95_ms)) bad(at("p95_ms"), "a number of milliseconds", row.p95_ms);
    routes.push(row as unknown as RouteRow);
  }
  return {
    exchange,
    model: { version: model.version as string, note: model.note as string },
    totals: { requests: totals.requests as number, errors: totals.errors as number, error_rate: totals.error_rate as number },
    routes,
  };
}

const rowKey = (method: string, route: string) => `${method} ${route}`;

function rowOf(summary: Summary, method: string, route: string): RouteRow | undefined {
  return summary.routes.find((row) => row.method === method && row.route === route);
}

interface Delta {
  method: string;
  route: string;
  requests: number;
  errors: number;
}

/** Rows whose requests or errors changed between two reads (a new row counts from 0). */
function deltas(before: Summary, after: Summary): Map<string, Delta> {
  const changed = new Map<string, Delta>();
  for (const row of after.routes) {
    const old = rowOf(before, row.method, row.route);
    const delta = {
      method: row.method,
      route: row.route,
      requests: row.requests - (old?.requests ?? 0),
      errors: row.errors - (old?.errors ?? 0),
    };
    if (delta.requests !== 0 || delta.errors !== 0) changed.set(rowKey(row.method, row.route), delta);
  }
  for (const row of before.routes) {
    if (!rowOf(after, row.method, row.route)) {
      changed.set(rowKey(row.method, row.route), { method: row.method, route: row.route, requests: -row.requests, errors: -row.errors });
    }
  }
  return changed;
}

function showDeltas(list: Iterable<Delta>, field: "requests" | "errors"): string {
  const lines = [...list].filter((d) => d[field] !== 0).map((d) => `${d.method} ${d.route}: ${d[field] > 0 ? "+" : ""}${d[field]}`);
  return lines.length ? lines.sort().join("\n  ") : "(none)";
}

/** Fails unless the rows changed by exactly `expected` in `field` and nothing else changed in it. */
function expectDeltas(before: Summary, after: Summary, expected: Map<string, Delta>, field: "requests" | "errors", hint: string): void {
  const actual = deltas(before, after);
  const mismatched = [...new Set([...expected.keys(), ...actual.keys()])].filter(
    (key) => (expected.get(key)?.[field] ?? 0) !== (actual.get(key)?.[field] ?? 0),
  );
  if (mismatched.length === 0) return;
  const raw = [...actual.values()].find((d) => d.route.includes(RUN) || /\/\d+(\?|$)/.test(d.route));
  fail({
    expected: `between two reads of /dashboard/summary, "${field}" to change by exactly:\n  ${showDeltas(expected.values(), field)}`,
    got: `these changes:\n  ${showDeltas(actual.values(), field)}`,
    exchange: after.exchange,
    hint: raw
      ? `count by route template (request.scope["route"].path, or "unmatched" when no route matched), never the raw path: ${JSON.stringify(raw.route)} is a URL, not a route`
      : hint,
  });
}

function addDelta(map: Map<string, Delta>, method: string, route: string, status: number): void {
  const key = rowKey(method, route);
  const delta = map.get(key) ?? { method, route, requests: 0, errors: 0 };
  delta.requests += 1;
  if (status >= 500) delta.errors += 1;
  map.set(key, delta);
}

function expectConsistent(summary: Summary): void {
  const rows = summary.routes;
  const sum = (field: "requests" | "errors") => rows.reduce((total, row) => total + row[field], 0);
  check(summary.totals.requests === sum("requests") && summary.totals.errors === sum("errors"), {
    expected: "totals.requests and totals.errors to be the sums of the rows' requests and errors",
    got: `totals ${summary.totals.requests} requests, ${summary.totals.errors} errors; the rows add up to ${sum("requests")} and ${sum("errors")}`,
    exchange: summary.exchange,
    hint: "derive the totals from the same per-route counts, in the same read",
  });
  const rate = (errors: number, requests: number) => (requests === 0 ? 0 : errors / requests);
  for (const [what, errors, requests, given] of [
    ["totals", summary.totals.errors, summary.totals.requests, summary.totals.error_rate] as const,
    ...rows.map((row) => [`the row ${row.method} ${row.route}`, row.errors, row.requests, row.error_rate] as const),
  ]) {
    check(Math.abs(given - rate(errors, requests)) <= RATE_TOLERANCE, {
      expected: `error_rate of ${what} to be errors / requests = ${errors} / ${requests} = ${rate(errors, requests).toFixed(4)}`,
      got: `error_rate ${given}`,
      exchange: summary.exchange,
      hint: "error_rate is a fraction from 0 to 1 (not a percentage), errors / requests, 0 when there are no requests",
    });
  }
  for (const row of rows) {
    check(row.p50_ms <= row.p95_ms, {
      expected: `p50_ms <= p95_ms for ${row.method} ${row.route}`,
      got: `p50_ms ${row.p50_ms}, p95_ms ${row.p95_ms}`,
      exchange: summary.exchange,
      hint: "sort the window's durations ascending before picking ranks",
    });
  }
}

// --- the page ----------------------------------------------------------------------------------

function isElement(node: DefaultTreeAdapterTypes.Node): node is Element {
  return "tagName" in node;
}

/** Every element under `root`, in document order (template contents included). */
function elementsOf(root: ParentNode): Element[] {
  const found: Element[] = [];
  const walk = (node: ParentNode) => {
    for (const child of node.childNodes) {
      if (!isElement(child)) continue;
      found.push(child);
      walk(child);
      if (child.tagName === "template") walk((child as DefaultTreeAdapterTypes.Template).content);
    }
  };
  walk(root);
  return found;
}

function attrOf(element: Element, name: string): string | undefined {
  return element.attrs.find((attr) => attr.name === name)?.value;
}

/** The element's text as a person reads it: every text node inside it, whitespace collapsed, trimmed. */
function textOf(node: ParentNode): string {
  let out = "";
  const walk = (parent: ParentNode) => {
    for (const child of parent.childNodes) {
      if (child.nodeName === "#text") out += (child as DefaultTreeAdapterTypes.TextNode).value;
      else if (isElement(child)) walk(child);
    }
  };
  walk(node);
  return out.replace(/\s+/g, " ").trim();
}

function hasClass(element: Element, name: string): boolean {
  return (attrOf(element, "class") ?? "").split(/\s+/).includes(name);
}

interface Page {
  exchange: Exchange;
  elements: Element[];
}

async function readPage(hint = NEEDS_DASHBOARD): Promise<Page> {
  const exchange = await http.get("/dashboard");
  expectStatus(exchange, 200, hint);
  const contentType = exchange.headers.get("content-type") ?? "";
  check(contentType.startsWith("text/html"), {
    expected: "Content-Type: text/html…",
    got: `Content-Type: ${contentType || "(none)"}`,
    exchange,
    hint: "return an HTMLResponse (or response_class=HTMLResponse): a browser shows JSON or text/plain as source, not as a page",
  });
  return { exchange, elements: elementsOf(parse(exchange.text)) };
}

/** The one element with this id; fails when there is none or more than one. */
function byId(page: Page, id: string): Element {
  const found = page.elements.filter((element) => attrOf(element, "id") === id);
  check(found.length === 1, {
    expected: `exactly one element with id="${id}" on the page`,
    got: found.length === 0 ? `no element with id="${id}"` : `${found.length} elements with id="${id}"`,
    exchange: page.exchange,
    hint: "the README's table names the id of each figure; an id is unique in a document",
  });
  return found[0] as Element;
}

interface PageRow {
  method: string;
  route: string;
  cells: Record<string, string>;
}

const ROW_CELLS = ["requests", "errors", "error-rate", "p50", "p95"] as const;

function pageRows(page: Page): PageRow[] {
  const table = byId(page, "routes");
  check(table.tagName === "table", {
    expected: 'id="routes" on a <table>',
    got: `id="routes" on a <${table.tagName}>`,
    exchange: page.exchange,
    hint: 'one <table id="routes"> with one <tr data-method=… data-route=…> per row of the summary',
  });
  const rows: PageRow[] = [];
  for (const tr of elementsOf(table).filter((element) => element.tagName === "tr")) {
    const method = attrOf(tr, "data-method");
    const route = attrOf(tr, "data-route");
    if (method === undefined || route === undefined) continue;
    const cells: Record<string, string> = {};
    for (const name of ROW_CELLS) {
      const found = elementsOf(tr).filter((element) => hasClass(element, name));
      check(found.length === 1, {
        expected: `exactly one cell with class="${name}" in the row of ${method} ${route}`,
        got: `${found.length}`,
        exchange: page.exchange,
        hint: 'each row holds <td class="requests">, <td class="errors">, <td class="error-rate">, <td class="p50"> and <td class="p95">',
      });
      cells[name] = textOf(found[0] as Element);
    }
    rows.push({ method, route, cells });
  }
  return rows;
}

const COUNT_TEXT = /^\d+$/;
const PERCENT_TEXT = /^(\d+)\.(\d)%$/;
const MS_TEXT = /^(\d+) ms$/;

function expectCountText(page: Page, what: string, shown: string, low: number, high: number): void {
  const value = COUNT_TEXT.test(shown) ? Number(shown) : Number.NaN;
  check(value >= low && value <= high, {
    expected: `${what} to read ${low === high ? low : `between ${low} and ${high}`} (the summary's figure, digits only)`,
    got: JSON.stringify(shown),
    exchange: page.exchange,
    hint: "render the summary's figures, read in the same request, as plain decimal digits",
  });
}

function expectPercentText(page: Page, what: string, shown: string, rate: number): void {
  const match = PERCENT_TEXT.exec(shown);
  const value = match ? Number(`${match[1]}.${match[2]}`) : Number.NaN;
  check(Math.abs(value - rate * 100) <= 0.05 + 1e-9, {
    expected: `${what} to read ${(rate * 100).toFixed(1)}% (error_rate × 100, one decimal, then %)`,
    got: JSON.stringify(shown),
    exchange: page.exchange,
    hint: 'format it as f"{error_rate * 100:.1f}%"',
  });
}

function expectMsText(page: Page, what: string, shown: string, ms: number): void {
  const match = MS_TEXT.exec(shown);
  const value = match ? Number(match[1]) : Number.NaN;
  check(Math.abs(value - ms) <= 0.5 + 1e-6, {
    expected: `${what} to read ${Math.round(ms)} ms (the summary's ${ms}, a whole number of milliseconds, then " ms")`,
    got: JSON.stringify(shown),
    exchange: page.exchange,
    hint: 'format it as f"{p50_ms:.0f} ms"',
  });
}

// --- percentiles -------------------------------------------------------------------------------

/**
 * The delays of the 20 requests that fill the latency window, ascending. Well apart where the
 * ranks matter (9, 10, 11 for p50; 18, 19, 20 for p95), and skewed so that the mean is neither.
 */
const WINDOW_DELAYS = [20, 40, 60, 80, 100, 120, 140, 160, 200, 400, 600, 650, 700, 720, 740, 760, 780, 800, 1000, 3000];

/** The k-th smallest (1-based) of `values`. */
function kth(values: number[], k: number): number {
  return [...values].sort((a, b) => a - b)[k - 1] as number;
}

function shuffled<T>(values: T[]): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("09 monitoring dashboard", () => {
  // --- the API -------------------------------------------------------------------------------

  it("R09.1 the API answers", async () => {
    const model = await http.get("/model");
    expectStatus(model, 200, "add GET /model: the active model version and its note");
    // At start-up the active version is the loaded model's (MODEL_VERSION); under --url an earlier
    // PUT /model may have changed it, so any version is taken here and must then be reported.
    const version = expectField(
      model,
      "version",
      (v) => typeof v === "string" && v.length > 0,
      `a non-empty string ("${MODEL_VERSION}", model.version, until PUT /model changes it)`,
    ) as string;
    expectField(model, "note", (v) => typeof v === "string", 'a string ("" until PUT /model sets one)');
    for (const sent of [text(0), text(1)]) {
      const exchange = await http.post("/predict", { text: sent });
      expectStatus(exchange, 200, 'add POST /predict: it takes {"text": ...} and answers 200 with the prediction');
      expectPrediction(exchange, sent, version);
    }
    const failing = await http.post("/predict", { text: failingText() });
    expectStatus(failing, 503, "the model raises ModelError for a [fail] text: register a handler that answers 503");

    for (const [delay, status] of [
      [150, undefined],
      [10, 503],
      [10, 404],
    ] as const) {
      const exchange = await latency(delay, status);
      expectStatus(exchange, status ?? 200, NEEDS_LATENCY);
      expectField(exchange, "delay_ms", (v) => v === delay, String(delay));
      expectField(exchange, "status", (v) => v === (status ?? 200), String(status ?? 200));
      check(exchange.durationMs >= delay, {
        expected: `GET /debug/latency/${delay} to take at least ${delay} ms`,
        got: `it answered after ${Math.round(exchange.durationMs)} ms`,
        exchange,
        hint: "await asyncio.sleep(delay_ms / 1000) before answering",
      });
    }
    const tooLong = await latency(5001);
    expectStatus(tooLong, 422, "delay_ms is 0 to 5000: Path(ge=0, le=5000)");
  });

  it("R09.2 predictions never block the event loop", async () => {
    const texts = [0, 1, 2, 3].map(text);
    const { value: results, loop } = await watchEventLoop(
      () => settle(texts.map((sent) => http.post("/predict", { text: sent }, { timeoutMs: 20_000 }))),
      { intervalMs: 20 },
    );
    for (const result of results) {
      expectStatus(answered(result, "each of 4 concurrent POST /predict", BLOCKING), 200, NEEDS_PREDICT);
    }
    expectLoopFree(loop, {
      limitMs: LOOP_LIMIT_MS,
      during: `4 POST /predict ran (each model call blocks ${latencyMs()} ms)`,
      hint: BLOCKING,
    });
  });

  it("R09.3 the active model version can be switched", async () => {
    const version = `sentiment-1.5.0-rc${RUN}`;
    const note = `canary for run ${RUN}`;
    const put = await http.put("/model", { version, note });
    expectStatus(put, 200, 'add PUT /model: it takes {"version", "note"} and makes that version active');
    expectField(put, "version", (v) => v === version, JSON.stringify(version));
    expectField(put, "note", (v) => v === note, JSON.stringify(note));
    const read = await http.get("/model");
    expectField(
      read,
      "version",
      (v) => v === version,
      `${JSON.stringify(version)} (the version just activated)`,
      "GET /model reads what PUT /model stored",
    );
    expectField(read, "note", (v) => v === note, JSON.stringify(note));
    const sent = text(2);
    const prediction = await http.post("/predict", { text: sent });
    expectStatus(prediction, 200, NEEDS_PREDICT);
    expectPrediction(prediction, sent, version);

    const plain = `sentiment-1.4.1-${RUN}`;
    const noNote = await http.put("/model", { version: plain });
    expectStatus(noNote, 200, "note is optional");
    expectField(noNote, "note", (v) => v === "", '"" (the default when no note is given)');

    for (const [what, body] of [
      ["no version", { note: "x" }],
      ["an empty version", { version: "" }],
      ["a version of 101 characters", { version: "v".repeat(101) }],
      ["a note of 501 characters", { version: "v1", note: "n".repeat(501) }],
      ["a version that is not a string", { version: 42 }],
    ] as const) {
      const exchange = await http.put("/model", body);
      expectStatus(
        exchange,
        422,
        `PUT /model with ${what} is invalid: Field(min_length=1, max_length=100) on version, max_length=500 on note`,
      );
    }
    const after = await http.get("/model");
    expectField(after, "version", (v) => v === plain, `${JSON.stringify(plain)} (invalid requests change nothing)`);
  });

  // --- the summary ---------------------------------------------------------------------------

  it("R09.4 GET /dashboard/summary has the README's shape", async () => {
    await http.get("/model");
    await latency(5);
    const summary = await readSummary();
    const contentType = summary.exchange.headers.get("content-type") ?? "";
    check(contentType.startsWith("application/json"), {
      expected: "Content-Type: application/json",
      got: `Content-Type: ${contentType || "(none)"}`,
      exchange: summary.exchange,
      hint: "return a Pydantic model or a dict from the handler",
    });
    const model = await http.get("/model");
    const active = (model.json ?? {}) as { version?: unknown; note?: unknown };
    check(active.version === summary.model.version && active.note === summary.model.note, {
      expected: `"model" to be the active model, as GET /model reports it: ${model.text}`,
      got: `"model": ${JSON.stringify(summary.model)}`,
      exchange: summary.exchange,
      hint: "read the active version from the one place PUT /model changes, not from the loaded model",
    });
    check(summary.routes.length > 0 && rowOf(summary, "GET", "/model") !== undefined, {
      expected: 'a row {"method": "GET", "route": "/model", …} after GET /model was requested',
      got: `rows: ${summary.routes.map((row) => `${row.method} ${row.route}`).join(", ") || "(none)"}`,
      exchange: summary.exchange,
      hint: "one row per method and route template with at least one counted request",
    });
    const keys = summary.routes.map((row) => rowKey(row.method, row.route));
    check(new Set(keys).size === keys.length, {
      expected: "one row per method and route",
      got: `rows: ${keys.join(", ")}`,
      exchange: summary.exchange,
      hint: "key the statistics by (method, route template)",
    });
    expectConsistent(summary);
  });

  it("R09.5 counts rise by exactly the traffic, by method and route template", async () => {
    const before = await readSummary();
    const expected = new Map<string, Delta>();
    const count = (route: string, exchange: Exchange) => addDelta(expected, exchange.request.method, route, exchange.status);
    count("/model", await http.get("/model"));
    count("/model", await http.get("/model"));
    count("/model", await http.put("/model", { version: `sentiment-1.4.2-${RUN}` }));
    count("/model", await http.delete("/model"));
    const predicted = await http.post("/predict", { text: text(3) });
    expectStatus(predicted, 200, NEEDS_PREDICT);
    count("/predict", predicted);
    count("/predict", await http.post("/predict", { text: "" }));
    for (const delay of [5, 10, 15]) count(LATENCY_ROUTE, await latency(delay));
    const concurrent = await settle([7, 8, 9, 11, 12, 13].map((delay) => latency(delay)));
    for (const result of concurrent) count(LATENCY_ROUTE, answered(result, "6 concurrent GET /debug/latency/{delay_ms}", NEEDS_LATENCY));
    count(UNMATCHED, await http.get(unmatchedPath()));
    count(UNMATCHED, await http.get(unmatchedPath()));
    count(UNMATCHED, await http.post(unmatchedPath(), { text: "great" }));
    const after = await readSummary();
    expectDeltas(
      before,
      after,
      expected,
      "requests",
      'count each request once, when its response goes out, under its method and route template (a 405 under the template whose path matched, a 404 from the router under "unmatched")',
    );
    const total = [...expected.values()].reduce((sum, delta) => sum + delta.requests, 0);
    check(after.totals.requests - before.totals.requests === total, {
      expected: `totals.requests to rise by ${total}`,
      got: `it rose by ${after.totals.requests - before.totals.requests}`,
      exchange: after.exchange,
      hint: "the totals are the sums of the rows",
    });
    expectConsistent(after);
  });

  it("R09.6 errors are the 5xx responses, raised exceptions included", async () => {
    const before = await readSummary();
    const expected = new Map<string, Delta>();
    const count = (route: string, exchange: Exchange) => addDelta(expected, exchange.request.method, route, exchange.status);
    for (const status of [200, 201, 400, 404, 409, 499, 500, 502, 503, 599]) {
      const exchange = await latency(1, status);
      expectStatus(exchange, status, NEEDS_LATENCY);
      count(LATENCY_ROUTE, exchange);
    }
    const crashed = await crash();
    expectStatus(crashed, 500, 'add GET /debug/error: its handler raises RuntimeError("debug: deliberate failure") and nothing catches it');
    count("/debug/error", crashed);
    const failed = await http.post("/predict", { text: failingText() });
    expectStatus(failed, 503, "a [fail] text makes the model raise ModelError: answer 503");
    count("/predict", failed);
    count("/predict", await http.post("/predict", {}));
    const after = await readSummary();
    const hint =
      "an error is a response with status 500 or more; 4xx are the client's mistakes and are not errors. A request whose handler raised is a 500 that ServerErrorMiddleware sends after your middleware saw the exception: count it in a finally, as status 500";
    expectDeltas(before, after, expected, "requests", hint);
    expectDeltas(before, after, expected, "errors", hint);
    const errors = [...expected.values()].reduce((sum, delta) => sum + delta.errors, 0);
    check(after.totals.errors - before.totals.errors === errors, {
      expected: `totals.errors to rise by ${errors}`,
      got: `it rose by ${after.totals.errors - before.totals.errors}`,
      exchange: after.exchange,
      hint,
    });
    const row = rowOf(after, "GET", LATENCY_ROUTE);
    check(row !== undefined && row.errors > 0 && row.errors < row.requests, {
      expected: `a row for GET ${LATENCY_ROUTE} with some errors and some successes`,
      got: JSON.stringify(row),
      exchange: after.exchange,
      hint,
    });
    expectConsistent(after);
  });

  it("R09.7 the dashboard's own requests and /health are not counted", async () => {
    await http.get("/model");
    const first = await readSummary();
    await http.get("/dashboard");
    await http.get("/dashboard");
    await readSummary();
    await http.get("/health");
    await http.get("/health");
    await http.get("/dashboard");
    const last = await readSummary();
    const changed = deltas(first, last);
    const seen = [...first.routes, ...last.routes].filter((row) => UNCOUNTED.includes(row.route));
    check(changed.size === 0 && last.totals.requests === first.totals.requests && seen.length === 0, {
      expected:
        "no row for /dashboard, /dashboard/summary or /health, and no change between two reads of the summary with only those requested in between",
      got: `${seen.length ? `rows ${[...new Set(seen.map((row) => `${row.method} ${row.route}`))].join(", ")}; ` : ""}changes:\n  ${showDeltas(changed.values(), "requests")}\n  totals.requests ${first.totals.requests} -> ${last.totals.requests}`,
      exchange: last.exchange,
      hint: "skip the statistics when the request's route is /dashboard, /dashboard/summary or /health: watching the service must not change what it shows",
    });
  });

  it("R09.8 p50 and p95 are nearest-rank percentiles of the latest requests, in milliseconds", async () => {
    const window = knob("LATENCY_WINDOW");
    check(window === WINDOW_DELAYS.length, {
      expected: `LATENCY_WINDOW to be ${WINDOW_DELAYS.length}`,
      got: String(window),
      hint: "drill passes LATENCY_WINDOW from drill.json",
    });
    // First a window of fast requests, so that a server keeping every duration (not only the
    // latest LATENCY_WINDOW) is seen: its ranks would fall among these.
    const fast = await settle(WINDOW_DELAYS.map(() => latency(1)));
    for (const result of fast)
      expectStatus(answered(result, `GET /debug/latency/1 (${window} at once)`, NEEDS_LATENCY), 200, NEEDS_LATENCY);
    // Then the window itself, in two waves: the slower half, and once it has answered, the faster
    // half. Requests sent at once finish in the order of their delays, so a window kept in arrival
    // order would look sorted after one wave; after these two it is not, and an unsorted window
    // shows. Each wave is sent in a random order.
    const half = WINDOW_DELAYS.length / 2;
    const waits: number[] = [];
    for (const wave of [WINDOW_DELAYS.slice(half), WINDOW_DELAYS.slice(0, half)]) {
      const results = await settle(shuffled(wave).map((delay) => latency(delay)));
      for (const result of results) {
        const exchange = answered(result, `GET /debug/latency/{delay_ms} (${wave.length} at once)`, NEEDS_LATENCY);
        expectStatus(exchange, 200, NEEDS_LATENCY);
        waits.push(exchange.durationMs);
      }
    }
    // One request of another route last: it belongs to its own row's window, not to this one.
    expectStatus(await http.get("/model"), 200, "this needs GET /model (R09.1)");
    const summary = await readSummary();
    const row = rowOf(summary, "GET", LATENCY_ROUTE);
    if (!row) {
      fail({
        expected: `a row for GET ${LATENCY_ROUTE}`,
        got: `rows: ${summary.routes.map((r) => `${r.method} ${r.route}`).join(", ") || "(none)"}`,
        exchange: summary.exchange,
        hint: "one row per method and route template",
      });
    }
    // Each request took the server at least its delay and at most what the suite waited for it, so
    // the k-th smallest duration lies between the k-th smallest delay and the k-th smallest wait.
    const sentLine = `the last ${window} requests slept ${WINDOW_DELAYS.slice(half).join(", ")} ms (at once), then ${WINDOW_DELAYS.slice(0, half).join(", ")} ms (at once)`;
    for (const [field, percent] of [
      ["p50_ms", 50],
      ["p95_ms", 95],
    ] as const) {
      const rank = Math.ceil((percent / 100) * window);
      const least = kth(WINDOW_DELAYS, rank);
      const most = kth(waits, rank) + ROUNDING_MS;
      const value = row[field];
      let hint = `sort the durations of the latest ${window} requests of this route ascending and take the value at 1-based rank ceil(${percent} / 100 × n) = ${rank}: not the mean, not the maximum, no interpolation`;
      if (value < 10) hint = "durations are in milliseconds: (time.perf_counter() - start) * 1000";
      else if (value < least - ROUNDING_MS) {
        hint = `${hint}. Only the latest LATENCY_WINDOW (${window}) requests of the route count: a collections.deque(maxlen=window) drops the oldest`;
      }
      check(value >= least - ROUNDING_MS && value <= most, {
        expected: `${field} of GET ${LATENCY_ROUTE} between ${least} (the ${rank}th smallest delay) and ${Math.round(most)} (the ${rank}th smallest time the suite waited): ${sentLine}`,
        got: `${field}: ${value}`,
        exchange: summary.exchange,
        hint,
      });
    }
  });

  // --- the page ------------------------------------------------------------------------------

  it("R09.9 GET /dashboard shows the summary's figures as HTML", async () => {
    await http.get("/model");
    await latency(30);
    await http.post("/predict", { text: "" });
    const before = await readSummary();
    const page = await readPage();
    const after = await readSummary();

    const version = textOf(byId(page, "model-version"));
    check(version === after.model.version, {
      expected: `id="model-version" to read ${JSON.stringify(after.model.version)} (the active version)`,
      got: JSON.stringify(version),
      exchange: page.exchange,
      hint: "render the active version, escaped, as the element's only text",
    });
    const low = (field: "requests" | "errors") => Math.min(before.totals[field], after.totals[field]);
    const high = (field: "requests" | "errors") => Math.max(before.totals[field], after.totals[field]);
    expectCountText(page, 'id="total-requests"', textOf(byId(page, "total-requests")), low("requests"), high("requests"));
    expectCountText(page, 'id="total-errors"', textOf(byId(page, "total-errors")), low("errors"), high("errors"));
    expectPercentText(page, 'id="total-error-rate"', textOf(byId(page, "total-error-rate")), after.totals.error_rate);

    const rows = pageRows(page).filter((row) => !UNCOUNTED.includes(row.route));
    const expectedRows = after.routes.filter((row) => !UNCOUNTED.includes(row.route));
    const shown = rows.map((row) => rowKey(row.method, row.route)).sort();
    const wanted = expectedRows.map((row) => rowKey(row.method, row.route)).sort();
    check(JSON.stringify(shown) === JSON.stringify(wanted), {
      expected: `one <tr data-method data-route> per row of the summary:\n  ${wanted.join("\n  ")}`,
      got: shown.length ? `rows:\n  ${shown.join("\n  ")}` : "no <tr> with data-method and data-route",
      exchange: page.exchange,
      hint: 'a row per (method, route): <tr data-method="GET" data-route="/model">, the same strings as the summary\'s',
    });
    for (const row of expectedRows) {
      const shownRow = rows.find((r) => r.method === row.method && r.route === row.route) as PageRow;
      const where = `the ${row.method} ${row.route} row's`;
      expectCountText(page, `${where} class="requests"`, shownRow.cells.requests ?? "", row.requests, row.requests);
      expectCountText(page, `${where} class="errors"`, shownRow.cells.errors ?? "", row.errors, row.errors);
      expectPercentText(page, `${where} class="error-rate"`, shownRow.cells["error-rate"] ?? "", row.error_rate);
      expectMsText(page, `${where} class="p50"`, shownRow.cells.p50 ?? "", row.p50_ms);
      expectMsText(page, `${where} class="p95"`, shownRow.cells.p95 ?? "", row.p95_ms);
    }
  });

  it("R09.10 the dashboard shows the active model and escapes what users sent", async () => {
    const version = `<script>alert("v${RUN}")</script>`;
    const note = `<img src=x onerror="alert('${RUN}')"> & <b>bold</b> "quoted" 'single' </dd></dl><p id="model-version">forged</p>`;
    const put = await http.put("/model", { version, note });
    expectStatus(put, 200, "PUT /model takes any version of 1 to 100 characters and any note up to 500 (R09.3)");
    const page = await readPage();
    const injected = page.elements.filter(
      (element) =>
        ["script", "img", "b"].includes(element.tagName) &&
        (textOf(element).includes(RUN) || element.attrs.some((a) => a.value.includes(RUN))),
    );
    const handlers = page.elements.filter((element) => element.attrs.some((attr) => attr.name.startsWith("on")));
    const made = [...new Set([...injected, ...handlers])];
    check(made.length === 0, {
      expected: "the version and the note shown as text: no element or attribute made from them",
      got: `the page has ${made.map((e) => `<${[e.tagName, ...e.attrs.map((a) => a.name)].join(" ")}>`).join(", ")} built from what PUT /model sent`,
      exchange: page.exchange,
      hint: "escape every string that came from a request before it goes into HTML: html.escape(value) (quote=True also makes it safe in attribute values), or a template engine with autoescape on",
    });
    for (const [id, sent] of [
      ["model-version", version],
      ["model-note", note],
    ] as const) {
      const shown = textOf(byId(page, id));
      check(shown === sent.replace(/\s+/g, " ").trim(), {
        expected: `id="${id}" to read exactly what PUT /model sent: ${JSON.stringify(sent)}`,
        got: JSON.stringify(shown),
        exchange: page.exchange,
        hint: "escape it (html.escape), do not strip or filter it: a person must read what was sent, as text",
      });
    }

    const plain = `sentiment-2.0.0-${RUN}`;
    const switched = await http.put("/model", { version: plain, note: `promoted in run ${RUN}` });
    expectStatus(switched, 200, "PUT /model makes a version active (R09.3)");
    const again = await readPage();
    const shown = textOf(byId(again, "model-version"));
    check(shown === plain, {
      expected: `id="model-version" to read ${JSON.stringify(plain)} right after PUT /model activated it`,
      got: JSON.stringify(shown),
      exchange: again.exchange,
      hint: "render the page from the current state on every request: no version typed in, none cached at start-up",
    });
  });
});
