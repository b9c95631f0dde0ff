// Data that enters drill from disk or a pipe (history lines, drill.json, mutants, key blocks,
// suite events, a workspace's .drill files) is parsed by a valibot schema where it is read,
// never cast. The schema is the one statement of the shape; the TypeScript type follows from it.
import * as v from "valibot";

/** Non-empty text. */
export const text = v.pipe(v.string(), v.minLength(1));

/** The issues of a failed parse as one line a person can act on: `phase: expected (1 | 2 | 3 | 4), got 9`. */
function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path?.map((item) => String(item.key)).join(".") ?? "";
      const where = path || "the value";
      if (issue.expected === "never") return `${where} is not a field drill knows here`;
      if (issue.received === "undefined") return `${where} is missing`;
      if (issue.type === "min_length" && issue.expected === ">=1") return `${where} is empty`;
      if (issue.expected === null) return `${where}: ${issue.message}`;
      return `${where}: expected ${issue.expected}, got ${issue.received}`;
    })
    .join("; ");
}

/** The value as the schema reads it, or the reason it does not fit. Never throws. */
export function parseData<T extends v.GenericSchema>(
  schema: T,
  value: unknown,
): { ok: true; value: v.InferOutput<T> } | { ok: false; problem: string } {
  const result = v.safeParse(schema, value);
  return result.success ? { ok: true, value: result.output } : { ok: false, problem: describeIssues(result.issues) };
}

/** JSON text parsed and checked; throws an Error naming `what` and the problem (for shipped files: a bug). */
export function parseJsonText<T extends v.GenericSchema>(schema: T, raw: string, what: string): v.InferOutput<T> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new Error(`${what} is not JSON: ${(error as Error).message}`);
  }
  const parsed = parseData(schema, value);
  if (!parsed.ok) throw new Error(`${what} does not have the expected shape: ${parsed.problem}`);
  return parsed.value;
}
