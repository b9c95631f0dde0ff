// The harness every hidden suite imports. See hidden-tests/README.md for the conventions.
import { beforeEach } from "vitest";
import { describeExchange, recheckStall, recorded, setCurrentTest, stalledAt } from "./http.js";

export { http, baseUrl, request, toCurl, TransportError, ServerStoppedAnswering, type Exchange, type RequestOptions } from "./http.js";
export { watchEventLoop, expectLoopFree, type LoopWatch } from "./event-loop.js";
export { settle, answered } from "./concurrent.js";
export { check, expectField, expectHeader, expectJsonObject, expectStatus, fail, isNonEmptyString, ReviewError } from "./review.js";
export { eventually, sleep } from "./eventually.js";
export { server, needsControl, SKIP_NO_CONTROL } from "./server.js";
export { startReceiver, type Receiver, type ReceivedRequest } from "./receiver.js";

/** A knob drill passed to the server (from the practice's drill.json), as a number. */
export function knob(name: string): number {
  const raw = process.env[name];
  const value = Number(raw);
  if (raw === undefined || !Number.isFinite(value)) {
    throw new Error(`the knob ${name} is not set to a number (drill passes the practice's knobs from drill.json)`);
  }
  return value;
}

/** A knob as a string. */
export function knobText(name: string): string {
  const raw = process.env[name];
  if (raw === undefined) throw new Error(`the knob ${name} is not set (drill passes the practice's knobs from drill.json)`);
  return raw;
}

// Each test starts with an empty exchange log; when a test fails, its last exchanges travel
// to drill's reporter so that even a plain assertion failure shows what was sent and received.
// A test that fails while the server has stopped answering carries where it stopped, so drill
// says it once instead of repeating a timeout per requirement.
beforeEach(async (ctx) => {
  recorded.length = 0;
  setCurrentTest(ctx.task.name);
  await recheckStall();
  ctx.onTestFailed(() => {
    const meta = ctx.task.meta as Record<string, unknown>;
    meta.exchanges = recorded.slice(-2).map(describeExchange);
    const at = stalledAt();
    if (at) meta.stalledAt = at;
  });
});
