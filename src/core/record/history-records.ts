// The shape of every line of history.jsonl, checked where it is read. A line that is not one of
// these records (a `start` with phase 9, a check without counts, a session without its
// workspace) is left out and reported as damaged, never shown half-understood ("p9",
// "workspace undefined is gone"). Records written before a field existed read with its default.
import * as v from "valibot";
import { parseData, text } from "../schema.js";
import type { HistoryRecord } from "./history.js";

/** A git commit as drill records it: hex only, so it can never be read as a git option. */
export const COMMIT_PATTERN = /^[0-9a-f]{4,64}$/;

const time = v.pipe(
  v.string(),
  v.check((value) => !Number.isNaN(Date.parse(value)), "not a time"),
);
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const minutes = v.pipe(v.number(), v.finite(), v.gtValue(0));
const status = v.picklist(["passed", "failed", "skipped"]);

const event = <T extends string, E extends v.ObjectEntries>(type: T, entries: E) =>
  v.object({ type: v.literal(type), at: time, session: text, ...entries });

const historyRecord = v.variant("type", [
  event("start", {
    practice: text,
    workspace: text,
    phase: v.picklist([1, 2, 3, 4]),
    // Records from before the timer was optional carry no field: no timer.
    timerMinutes: v.optional(v.nullable(minutes), null),
    mode: v.optional(v.picklist(["drill", "break", "fire-drill", "mock"]), "drill"),
    run: v.exactOptional(text),
    mutant: v.exactOptional(text),
  }),
  event("pause", {}),
  event("resume", {}),
  event("hint", { index: count }),
  event("check", {
    mode: v.picklist(["managed", "url"]),
    passed: count,
    failed: count,
    skipped: count,
    requirements: v.record(text, status),
    error: v.exactOptional(text),
    commit: v.exactOptional(v.pipe(v.string(), v.regex(COMMIT_PATTERN))),
  }),
  event("skip", {}),
  event("end", { outcome: v.literal("abandoned") }),
  event("reference-seen", {}),
  v.object({
    type: v.literal("run-start"),
    at: time,
    run: text,
    practices: v.pipe(v.array(text), v.minLength(1)),
    dir: text,
    timerMinutes: v.optional(minutes, 240),
  }),
  v.object({ type: v.literal("run-end"), at: time, run: text, outcome: v.picklist(["finished", "abandoned"]) }),
  v.object({ type: v.literal("study"), at: time, practice: text }),
  v.object({ type: v.literal("explain"), at: time, practice: text, block: text, rating: v.picklist(["missed", "partly", "fully"]) }),
  v.object({ type: v.literal("interview"), at: time, date: v.pipe(v.string(), v.isoDate()) }),
  v.object({ type: v.literal("daily-cap"), at: time, rebuilds: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)) }),
  v.object({ type: v.literal("review"), at: time, session: text, notes: count }),
]);

// The schema's output is a HistoryRecord: tsc fails here if the two ever disagree.
const schema: v.GenericSchema<unknown, HistoryRecord> = historyRecord;

/** The record on one line of the history, or undefined when the line is not a record drill knows. */
export function parseRecord(value: unknown): HistoryRecord | undefined {
  const parsed = parseData(schema, value);
  return parsed.ok ? parsed.value : undefined;
}
