// Parsing of option values the learner types. Each returns a value or throws a DrillError
// whose message says what was wrong and what would be right.
import { DrillError } from "./errors.js";

export const MAX_TIMER_MINUTES = 24 * 60;

export function parseTimer(value: string): number {
  const trimmed = value.trim();
  const minutes = Number(trimmed);
  if (!/^\d+(\.\d+)?$/.test(trimmed) || !Number.isFinite(minutes) || minutes <= 0 || minutes > MAX_TIMER_MINUTES) {
    throw new DrillError("bad-timer", `--timer takes a positive number of minutes (at most ${MAX_TIMER_MINUTES}), not "${value}"`, {
      hint: "For example: drill start 03 --timer 60",
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
  return port;
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
  return url.toString().replace(/\/+$/, "");
}
