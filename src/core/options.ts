// Parsing of option values the learner types. Each returns a value or throws a DrillError
// whose message says what was wrong and what would be right.
import { DrillError } from "../system/errors.js";
import { FETCH_BAD_PORTS } from "./check/ports.js";

/** Codes of the check loop's refusals of input that can never work (exit 2, never recorded). */
export type RefusalCode = "bad-port" | "url-not-loopback" | "server-unreachable";

export function refusal(code: RefusalCode, message: string, hint: string): DrillError {
  return new DrillError(code, message, { hint });
}

const MAX_TIMER_MINUTES = 24 * 60;

export function parseTimer(value: string): number {
  const trimmed = value.trim();
  const minutes = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || !Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_TIMER_MINUTES) {
    throw new DrillError("bad-timer", `--timer takes a positive number of minutes (at most ${MAX_TIMER_MINUTES}), not "${value}"`, {
      hint: "For example: --timer 60 (minutes; drill start, drill break)",
    });
  }
  return minutes;
}

export type Phase = 1 | 2 | 3 | 4;

export function parsePhase(value: string): Phase {
  const phase = Number(value.trim());
  if (phase === 1 || phase === 2 || phase === 3 || phase === 4) return phase;
  throw new DrillError("bad-phase", `--phase takes 1, 2, 3 or 4, not "${value}"`, {
    hint: "Phases: 1 understand, 2 muscle memory, 3 speed drills, 4 fire drill.",
  });
}

export function parsePort(value: string): number {
  const port = Number(value.trim());
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new DrillError("usage", `--port takes a port number from 1 to 65535, not "${value}"`);
  }
  assertReachablePort(port, "--port");
  return port;
}

/** A port the hidden suite's HTTP client can reach, or a DrillError that says why not. */
export function assertReachablePort(port: number, option: "--port" | "--url"): void {
  if (FETCH_BAD_PORTS.has(port)) {
    throw refusal(
      "bad-port",
      `${option}: port ${port} is one that HTTP clients refuse to connect to, so the hidden suite could never reach a server there`,
      `Pick another port (8000 or 8080 work)${option === "--port" ? ", or leave --port out and drill picks a free one" : ""}. Browsers and fetch block ${port} for safety (the Fetch standard's "bad ports").`,
    );
  }
}

export function parseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DrillError("usage", `--url takes a base URL such as http://127.0.0.1:8000, not "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DrillError("usage", `--url must start with http:// or https://, not "${value}"`);
  }
  assertCheckableUrl(url);
  return url.toString().replace(/\/+$/, "");
}

/** Hidden suites talk to this machine only, on a port fetch accepts. */
export function assertCheckableUrl(value: string | URL): void {
  const url = typeof value === "string" ? new URL(value) : value;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!isLoopbackHost(host)) {
    throw refusal(
      "url-not-loopback",
      `--url must point at this machine (127.0.0.1, localhost or [::1]), not ${host}`,
      "Hidden suites only send requests to loopback addresses. For a server elsewhere, forward a local port to it (ssh -L 8000:localhost:8000 host) and use --url http://127.0.0.1:8000.",
    );
  }
  assertReachablePort(Number(url.port || (url.protocol === "https:" ? 443 : 80)), "--url");
}

/** The same rule as the hidden suites' HTTP client (hidden-tests/harness/http.ts). */
function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** How long a study plan runs: the kit's week, or the short variant. */
export type PlanLength = 7 | 4;

export function parsePlanDays(value: string): PlanLength {
  const days = Number(value.trim());
  if (days === 7 || days === 4) return days;
  throw new DrillError("usage", `--days takes 7 (the kit's week) or 4 (the short variant), not "${value}"`, {
    hint: "For example: drill plan --days 4",
  });
}

const MAX_EXPLAIN_SECONDS = 15 * 60;

/** `drill explain --seconds`: how long the learner talks about one key block. */
export function parseSeconds(value: string): number {
  const trimmed = value.trim();
  const seconds = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || seconds < 5 || seconds > MAX_EXPLAIN_SECONDS) {
    throw new DrillError("usage", `--seconds takes a whole number of seconds from 5 to ${MAX_EXPLAIN_SECONDS}, not "${value}"`);
  }
  return seconds;
}

/** --interview: a calendar date, YYYY-MM-DD, that exists (no 2026-02-30). */
export function parseInterviewDate(value: string): string {
  const date = value.trim();
  const time = Date.parse(`${date}T00:00:00Z`);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(date);
  if (valid) return date;
  throw new DrillError("usage", `--interview takes the interview's date as YYYY-MM-DD, not "${value}"`, {
    hint: "For example: drill plan --interview 2026-12-14",
  });
}

/** --daily-cap: full rebuilds a day, 1 to 10. */
export function parseDailyCap(value: string): number {
  const cap = Number(value.trim());
  if (Number.isInteger(cap) && cap >= 1 && cap <= 10) return cap;
  throw new DrillError("usage", `--daily-cap takes a whole number of rebuilds a day from 1 to 10, not "${value}"`, {
    hint: "For example: drill plan --daily-cap 3",
  });
}
