// The protocol between drill's Vitest reporter (hidden-tests/harness/reporter.ts, run inside
// the suite's child process) and the hidden-suite runner (./hidden-suite.ts): one line per
// event on the child's stdout, `@@drill ` and then the event as JSON.
//
// The reporter imports only the types from here (`import type`, erased when Vitest loads it),
// because the npm package ships hidden-tests/ and dist/ but not src/; its prefix is typed as
// `SuiteEventPrefix`, so the two copies of the prefix cannot drift apart without tsc failing.

export type SuiteEventPrefix = "@@drill ";
export const EVENT_PREFIX: SuiteEventPrefix = "@@drill ";

export type SuiteEvent =
  /** The suite's tests, in order, once it is collected. */
  | { type: "planned"; tests: string[] }
  | {
      type: "result";
      name: string;
      /** Vitest's state: passed, failed, skipped (anything else counts as failed). */
      state: string;
      durationMs: number;
      errors?: string[];
      /** The test's last exchanges, added to a plain assertion's failure. */
      exchanges?: string[];
      /** Why a test was skipped. */
      note?: string;
      /** The requirement at which the server stopped answering altogether. */
      stalledAt?: string;
    }
  /** An error outside any test (a suite that fails to load, an unhandled rejection). */
  | { type: "error"; message: string }
  | { type: "end"; reason: string };

/** What one line of the child's stdout is: not an event, an event, or an event line that is broken. */
export type ParsedLine = { kind: "output" } | { kind: "event"; event: SuiteEvent } | { kind: "malformed"; problem: string };

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");
const optional = (value: unknown, check: (value: unknown) => boolean): boolean => value === undefined || check(value);
const isString = (value: unknown): value is string => typeof value === "string";

function problemWith(event: Record<string, unknown>): string | undefined {
  switch (event.type) {
    case "planned":
      return isStringArray(event.tests) ? undefined : "a planned event without its list of test names";
    case "result":
      if (!isString(event.name) || !isString(event.state)) return "a result event without a test name and state";
      if (typeof event.durationMs !== "number" || !Number.isFinite(event.durationMs))
        return `the result of "${event.name}" has no duration`;
      if (!optional(event.errors, isStringArray) || !optional(event.exchanges, isStringArray))
        return `the result of "${event.name}" has errors or exchanges that are not text`;
      if (!optional(event.note, isString) || !optional(event.stalledAt, isString))
        return `the result of "${event.name}" has a note or stalledAt that is not text`;
      return undefined;
    case "error":
      return isString(event.message) ? undefined : "an error event without a message";
    case "end":
      return isString(event.reason) ? undefined : "an end event without a reason";
    default:
      return `an event of unknown type ${JSON.stringify(event.type)}`;
  }
}

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
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { kind: "malformed", problem: `an event that is not an object: ${body.slice(0, 200)}` };
  const problem = problemWith(value as Record<string, unknown>);
  return problem ? { kind: "malformed", problem } : { kind: "event", event: value as SuiteEvent };
}
