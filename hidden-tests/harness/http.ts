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
export function assertLoopback(url: string): void {
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

function friendlyTransportError(error: unknown, url: string, timeoutMs: number): string {
  const err = error as { name?: string; cause?: { code?: string }; message?: string };
  if (err.name === "TimeoutError" || err.name === "AbortError") {
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

/** The request as a command the learner can paste into a terminal. */
export function toCurl(request: SentRequest): string {
  const parts = ["curl", "-i", "-X", request.method, shellQuote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) parts.push("-H", shellQuote(`${name}: ${value}`));
  if (request.body !== undefined) parts.push("--data-raw", shellQuote(truncate(request.body, 2000)));
  return parts.join(" ");
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** What came back, as a reviewer would paste it: status line, headers, body. */
export function describeResponse(exchange: Exchange): string {
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
