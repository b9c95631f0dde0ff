// The suites' HTTP client. Every exchange is recorded so that a failing requirement can show
// the request as a curl command together with what came back.

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Exchange {
  request: SentRequest;
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
  durationMs: number;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as-is (for malformed bodies). */
  body?: string;
  timeoutMs?: number;
}

/** A request that never got an HTTP answer (refused, reset, timed out). */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly request: SentRequest,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

/**
 * A request not sent because the server had already stopped answering altogether (a request
 * timed out and GET /health got no answer either). Failing at once keeps a hung server from
 * stretching the check by one timeout per request.
 */
export class ServerStoppedAnswering extends TransportError {
  constructor(
    readonly stalledAt: string,
    request: SentRequest,
  ) {
    super(`not sent: your server stopped answering at ${stalledAt} (GET /health got no answer either)`, request);
    this.name = "ServerStoppedAnswering";
  }
}

/** Where the server stopped answering (the test then running), while it has not recovered. */
interface Stall {
  at: string;
}
let stall: Stall | undefined;
let currentTest = "the check";

export function stalledAt(): string | undefined {
  return stall?.at;
}

/** Called by the harness before each test. */
export function setCurrentTest(name: string): void {
  // The requirement-id pattern of src/core/catalog/requirement-id.ts (the harness ships on its own).
  currentTest = /^R(?:\d{2}|D\d)\.\d+/.exec(name)?.[0] ?? name;
}

/** Does GET /health answer at all within `timeoutMs`? Not recorded: it is the harness's own probe. */
async function healthAnswers(timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl()}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

/** Before each test: a stalled server that answers again (it was restarted, or recovered) is trusted again. */
export async function recheckStall(): Promise<void> {
  if (!stall) return;
  // One probe at a time runs in the background and clears the stall when /health answers; a test
  // waits for it only briefly, so a server that stays hung costs each later requirement ~150 ms,
  // not a probe's full timeout.
  probe ??= healthAnswers(1000).then((answers) => {
    if (answers) stall = undefined;
    probe = undefined;
  });
  await Promise.race([probe, new Promise((resolve) => setTimeout(resolve, 150))]);
}
let probe: Promise<void> | undefined;

/** After a restart through drill's control the new process starts with a clean slate. */
export function clearStall(): void {
  stall = undefined;
}

const DEFAULT_TIMEOUT_MS = Number(process.env.DRILL_REQUEST_TIMEOUT_MS ?? 5000);

export function baseUrl(): string {
  const url = process.env.DRILL_BASE_URL;
  if (!url) {
    throw new Error("DRILL_BASE_URL is not set: hidden suites are run by `drill check`, which sets it.");
  }
  assertLoopback(url);
  return url.replace(/\/+$/, "");
}

/** Suites only ever talk to this machine. */
function assertLoopback(url: string): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
  if (!loopback) throw new Error(`refusing to send a request to ${host}: hidden suites reach loopback addresses only`);
}

/** Exchanges of the current test, oldest first; the harness clears it before each test. */
export const recorded: Array<Exchange | TransportError> = [];

export async function request(method: string, path: string, options: RequestOptions = {}): Promise<Exchange> {
  const url = path.startsWith("http") ? path : `${baseUrl()}${path}`;
  assertLoopback(url);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  let body: string | undefined = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["content-type"] = "application/json";
    }
  }
  const sent: SentRequest = { method, url, headers, ...(body === undefined ? {} : { body }) };
  if (stall) {
    const skipped = new ServerStoppedAnswering(stall.at, sent);
    recorded.push(skipped);
    throw skipped;
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const exchange: Exchange = {
      request: sent,
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      text,
      json: parseJson(text),
      durationMs: performance.now() - started,
    };
    recorded.push(exchange);
    return exchange;
  } catch (error) {
    const failure = new TransportError(friendlyTransportError(error, url, timeoutMs), sent);
    recorded.push(failure);
    if (isTimeout(error) && !stall && !(await healthAnswers(1000))) stall = { at: currentTest };
    throw failure;
  }
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === "TimeoutError" || name === "AbortError";
}

function friendlyTransportError(error: unknown, url: string, timeoutMs: number): string {
  const err = error as { name?: string; cause?: { code?: string }; message?: string };
  if (isTimeout(error)) {
    return `no response from ${url} within ${timeoutMs / 1000} s: the server accepted the connection but never answered (is a handler blocking or waiting forever?)`;
  }
  const code = err.cause?.code;
  if (code === "ECONNREFUSED") return `connection refused at ${url}: the server is not listening (did it crash or exit?)`;
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") {
    return `the connection to ${url} was closed before a response came back (did the server crash mid-request?)`;
  }
  return `request to ${url} failed: ${err.message ?? String(error)}${code ? ` (${code})` : ""}`;
}

export const http = {
  get: (path: string, options?: RequestOptions) => request("GET", path, options),
  delete: (path: string, options?: RequestOptions) => request("DELETE", path, options),
  post: (path: string, json?: unknown, options?: RequestOptions) =>
    request("POST", path, { ...options, ...(json === undefined ? {} : { json }) }),
  put: (path: string, json?: unknown, options?: RequestOptions) =>
    request("PUT", path, { ...options, ...(json === undefined ? {} : { json }) }),
  patch: (path: string, json?: unknown, options?: RequestOptions) =>
    request("PATCH", path, { ...options, ...(json === undefined ? {} : { json }) }),
  options: (path: string, options?: RequestOptions) => request("OPTIONS", path, options),
  request,
};

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * A header value quoted so that curl sends the bytes fetch sent: header values go out as one
 * byte per character (Latin-1), so anything outside printable ASCII is written as $'\\xHH'.
 */
function headerQuote(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return shellQuote(value);
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x20 && code < 0x7f && char !== "'" && char !== "\\") out += char;
    else if (code <= 0xff) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else for (const byte of Buffer.from(char, "utf8")) out += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return `$'${out}'`;
}

/** The request as a command the learner can paste into a terminal. */
export function toCurl(request: SentRequest): string {
  const parts = ["curl", "-i", "-X", request.method, shellQuote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) parts.push("-H", headerQuote(`${name}: ${value}`));
  if (request.body !== undefined) parts.push("--data-raw", shellQuote(truncate(request.body, 2000)));
  return parts.join(" ");
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** What came back, as a reviewer would paste it: status line, headers, body. */
function describeResponse(exchange: Exchange): string {
  const lines = [`HTTP ${exchange.status} ${exchange.statusText}`.trimEnd()];
  exchange.headers.forEach((value, name) => {
    if (name !== "date" && name !== "server") lines.push(`${name}: ${value}`);
  });
  lines.push("", exchange.text.length ? truncate(exchange.text, 1200) : "(empty body)");
  return lines.join("\n");
}

export function describeExchange(item: Exchange | TransportError): string {
  if (item instanceof TransportError) {
    return `sent:\n  ${toCurl(item.request)}\ngot: ${item.message}`;
  }
  return `sent:\n  ${toCurl(item.request)}\ngot (${Math.round(item.durationMs)} ms):\n${indent(describeResponse(item), "  ")}`;
}

export function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line.length ? prefix + line : line))
    .join("\n");
}
