// Watching the learner's event loop directly: while some work runs (predictions, callbacks to a
// slow receiver, ...), GET /health is polled at a short interval. An async server answers it in a
// few milliseconds whatever else it is doing; one that runs blocking code on its event loop
// cannot answer until that code returns, and the longest wait is how long the loop was blocked.
import { baseUrl } from "./http.js";
import { fail } from "./review.js";
import { sleep } from "./eventually.js";

export interface LoopWatch {
  /** How many GET /health probes answered (or timed out) while the work ran. */
  probes: number;
  /** The longest a probe waited for its answer, in ms. */
  worstMs: number;
  /** When that probe was sent, in ms after the work started. */
  worstAtMs: number;
  /** How long the work took, in ms. */
  workMs: number;
}

export interface WatchOptions {
  /** Pause between one probe's answer and the next probe. */
  intervalMs?: number;
  /** A probe still unanswered after this long is counted at this length and polling goes on. */
  probeTimeoutMs?: number;
}

/**
 * Runs `work` while polling GET /health; returns the work's value and what the polls saw. The
 * probes are the harness's own and are not recorded as exchanges of the test.
 */
export async function watchEventLoop<T>(work: () => Promise<T>, options: WatchOptions = {}): Promise<{ value: T; loop: LoopWatch }> {
  const intervalMs = options.intervalMs ?? 20;
  const probeTimeoutMs = options.probeTimeoutMs ?? 5000;
  const url = `${baseUrl()}/health`;
  const started = performance.now();
  let done = false;
  const loop: LoopWatch = { probes: 0, worstMs: 0, worstAtMs: 0, workMs: 0 };
  const poller = (async () => {
    while (!done) {
      const sentAt = performance.now();
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(probeTimeoutMs) });
        await response.body?.cancel();
      } catch {
        // Unanswered within the probe's own limit: counted at its full length below.
      }
      const waited = performance.now() - sentAt;
      loop.probes += 1;
      if (waited > loop.worstMs) {
        loop.worstMs = Math.round(waited);
        loop.worstAtMs = Math.round(sentAt - started);
      }
      if (!done) await sleep(intervalMs);
    }
  })();
  try {
    const value = await work();
    return { value, loop };
  } finally {
    loop.workMs = Math.round(performance.now() - started);
    done = true;
    await poller;
  }
}

/**
 * Fails with "your event loop was blocked for N ms" when a probe waited longer than `limitMs`,
 * or when no probe got through while the work ran (so nothing was watched).
 */
export function expectLoopFree(loop: LoopWatch, options: { limitMs: number; during: string; hint: string }): void {
  if (loop.probes === 0) {
    fail({
      expected: `GET /health to be answered while ${options.during}`,
      got: `the work was over after ${loop.workMs} ms, before a single GET /health could be sent`,
      hint: options.hint,
    });
  }
  if (loop.worstMs > options.limitMs) {
    fail({
      expected: `GET /health answered within ${options.limitMs} ms at every probe while ${options.during}`,
      got: `your event loop was blocked for about ${loop.worstMs} ms: a GET /health sent ${loop.worstAtMs} ms into the work waited that long for its answer (${loop.probes} probes, the work took ${loop.workMs} ms)`,
      hint: options.hint,
    });
  }
}
