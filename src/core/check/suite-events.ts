// The protocol between drill's Vitest reporter (hidden-tests/harness/reporter.ts, run inside
// the suite's child process) and the hidden-suite runner (./hidden-suite.ts): one line per
// event on the child's stdout, `@@drill ` and then the event as JSON.
//
// The reporter imports only the types from here (`import type`, erased when Vitest loads it),
// because the npm package ships hidden-tests/ and dist/ but not src/; its prefix is typed as
// `SuiteEventPrefix`, so the two copies of the prefix cannot drift apart without tsc failing.

import * as v from "valibot";
import { parseData } from "../schema.js";

export type SuiteEventPrefix = "@@drill ";
export const EVENT_PREFIX: SuiteEventPrefix = "@@drill ";

const suiteEvent = v.variant("type", [
  /** The suite's tests, in order, once it is collected. */
  v.object({ type: v.literal("planned"), tests: v.array(v.string()) }),
  v.object({
    type: v.literal("result"),
    name: v.string(),
    /** Vitest's state: passed, failed, skipped (anything else counts as failed). */
    state: v.string(),
    durationMs: v.pipe(v.number(), v.finite()),
    errors: v.exactOptional(v.array(v.string())),
    /** The test's last exchanges, added to a plain assertion's failure. */
    exchanges: v.exactOptional(v.array(v.string())),
    /** Why a test was skipped. */
    note: v.exactOptional(v.string()),
    /** The requirement at which the server stopped answering altogether. */
    stalledAt: v.exactOptional(v.string()),
  }),
  /** An error outside any test (a suite that fails to load, an unhandled rejection). */
  v.object({ type: v.literal("error"), message: v.string() }),
  v.object({ type: v.literal("end"), reason: v.string() }),
]);

export type SuiteEvent = v.InferOutput<typeof suiteEvent>;

/** What one line of the child's stdout is: not an event, an event, or an event line that is broken. */
export type ParsedLine = { kind: "output" } | { kind: "event"; event: SuiteEvent } | { kind: "malformed"; problem: string };

/** Reads one line of the reporter's stdout. Never throws: a broken event line is `malformed`. */
export function parseEventLine(line: string): ParsedLine {
  if (!line.startsWith(EVENT_PREFIX)) return { kind: "output" };
  const body = line.slice(EVENT_PREFIX.length);
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { kind: "malformed", problem: `an event line that is not JSON: ${body.slice(0, 200)}` };
  }
  const parsed = parseData(suiteEvent, value);
  return parsed.ok
    ? { kind: "event", event: parsed.value }
    : { kind: "malformed", problem: `an event line that does not fit: ${parsed.problem}` };
}
