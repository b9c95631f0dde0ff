// Assertions that fail like a reviewer's note: what was expected, what came back, what was
// sent (as curl), and a hint. Never a bare "expected 401 to be 403".
import { describeExchange, indent, type Exchange } from "./http.js";

export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReviewError";
  }
}

export interface ReviewNote {
  /** What the requirement asks for, in words. */
  expected: string;
  /** What actually happened, in words. */
  got: string;
  /** The exchange that shows it, if any. */
  exchange?: Exchange;
  /** Where to look in one's own code. */
  hint?: string;
}

export function isNonEmptyString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

export function fail(note: ReviewNote): never {
  const lines = [`expected: ${note.expected}`, `got:      ${note.got}`];
  if (note.exchange) lines.push(indent(describeExchange(note.exchange), ""));
  if (note.hint) lines.push(`hint: ${note.hint}`);
  throw new ReviewError(lines.join("\n"));
}

/** Fails with the note unless `condition` holds. */
export function check(condition: unknown, note: ReviewNote): asserts condition {
  if (!condition) fail(note);
}

export function expectStatus(exchange: Exchange, expected: number | number[], hint?: string): void {
  const allowed = Array.isArray(expected) ? expected : [expected];
  if (allowed.includes(exchange.status)) return;
  fail({
    expected: `status ${allowed.join(" or ")} for ${exchange.request.method} ${new URL(exchange.request.url).pathname}`,
    got: `status ${exchange.status}`,
    exchange,
    ...(hint ? { hint } : {}),
  });
}

/** Returns the header's value; fails when it is absent or does not match. */
export function expectHeader(
  exchange: Exchange,
  name: string,
  matcher?: string | RegExp | ((value: string) => boolean),
  hint?: string,
): string {
  const value = exchange.headers.get(name);
  const wanted =
    matcher === undefined
      ? `a ${name} header`
      : typeof matcher === "string"
        ? `header ${name}: ${matcher}`
        : matcher instanceof RegExp
          ? `header ${name} matching ${matcher}`
          : `a valid ${name} header`;
  if (value === null) fail({ expected: wanted, got: `no ${name} header`, exchange, ...(hint ? { hint } : {}) });
  const ok =
    matcher === undefined ||
    (typeof matcher === "string" ? value === matcher : matcher instanceof RegExp ? matcher.test(value) : matcher(value));
  if (!ok) fail({ expected: wanted, got: `${name}: ${value}`, exchange, ...(hint ? { hint } : {}) });
  return value;
}

/** Returns the parsed JSON body as an object; fails when the body is not a JSON object. */
export function expectJsonObject(exchange: Exchange, hint?: string): Record<string, unknown> {
  const body = exchange.json;
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    fail({
      expected: "a JSON object in the response body",
      got: exchange.text.length ? "a body that is not a JSON object" : "an empty body",
      exchange,
      ...(hint ? { hint } : {}),
    });
  }
  return body as Record<string, unknown>;
}

/** Fails unless the JSON body has `field` and `predicate(value)` holds. Returns the value. */
export function expectField(
  exchange: Exchange,
  field: string,
  predicate: (value: unknown) => boolean,
  expected: string,
  hint?: string,
): unknown {
  const body = expectJsonObject(exchange, hint);
  const value = field.split(".").reduce<unknown>((node, key) => {
    if (node && typeof node === "object") return (node as Record<string, unknown>)[key];
    return undefined;
  }, body);
  if (!predicate(value)) {
    fail({
      expected: `"${field}" to be ${expected}`,
      got: value === undefined ? `no "${field}" in the body` : `"${field}": ${JSON.stringify(value)}`,
      exchange,
      ...(hint ? { hint } : {}),
    });
  }
  return value;
}
