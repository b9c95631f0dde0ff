// Polling for things that become true later (a job finishing, a callback arriving).
export interface EventuallyOptions {
  /** Give up after this long; the last failure is reported. */
  timeout?: number;
  /** Wait this long between tries. */
  interval?: number;
  /** What we were waiting for, for the failure message. */
  what?: string;
}

import { ServerStoppedAnswering } from "./http.js";

export async function eventually<T>(fn: () => Promise<T> | T, options: EventuallyOptions = {}): Promise<T> {
  const timeout = options.timeout ?? 5000;
  const interval = options.interval ?? 50;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      return await fn();
    } catch (error) {
      // A server that stopped answering will not start again by waiting: say so at once.
      if (error instanceof ServerStoppedAnswering) throw error;
      lastError = error;
    }
    if (Date.now() + interval > deadline) break;
    await sleep(interval);
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  const error = new Error(
    `still not true after ${timeout / 1000} s${options.what ? ` (waiting for ${options.what})` : ""}; the last try said:\n${reason}`,
  );
  error.name = lastError instanceof Error ? lastError.name : "Error";
  throw error;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
