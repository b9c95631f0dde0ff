// The shape of every line of history.jsonl, checked where it is read. A line that is not one of
// these records (a `start` with phase 9, a check without counts, a session without its
// workspace) is left out and reported as damaged, never shown half-understood ("p9",
// "workspace undefined is gone"). Hand-written rather than a schema library: the record is
// small, and a dependency for it would outweigh it.
import type { HistoryRecord, RequirementStatus } from "./history.js";

type Fields = Record<string, unknown>;

/** A git commit as drill records it: hex only, so it can never be read as a git option. */
export const COMMIT_PATTERN = /^[0-9a-f]{4,64}$/;

const PHASES = new Set([1, 2, 3, 4]);
const SESSION_MODES = new Set(["drill", "break", "fire-drill"]);
const STATUSES = new Set<RequirementStatus>(["passed", "failed", "skipped"]);

const isText = (value: unknown): value is string => typeof value === "string" && value.length > 0;
const isTime = (value: unknown): value is string => isText(value) && !Number.isNaN(Date.parse(value));
const isCount = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;
const isMinutes = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value > 0;
const optional = (value: unknown, test: (value: unknown) => boolean): boolean => value === undefined || test(value);

function isRequirements(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  return Object.entries(value).every(([id, status]) => id.length > 0 && STATUSES.has(status as RequirementStatus));
}

/** Field checks per session event type (the `session` and `at` fields are checked for all). */
const SESSION_EVENTS = new Map<string, (r: Fields) => boolean>(
  Object.entries({
    start: (r: Fields) =>
      isText(r.practice) &&
      isText(r.workspace) &&
      PHASES.has(r.phase as number) &&
      // Records from before the timer was optional carry no field: no timer.
      optional(r.timerMinutes, (v) => v === null || isMinutes(v)) &&
      optional(r.mode, (v) => SESSION_MODES.has(v as string)) &&
      optional(r.run, isText) &&
      optional(r.mutant, isText),
    pause: () => true,
    resume: () => true,
    hint: (r: Fields) => isCount(r.index),
    check: (r: Fields) =>
      (r.mode === "managed" || r.mode === "url") &&
      isCount(r.passed) &&
      isCount(r.failed) &&
      isCount(r.skipped) &&
      isRequirements(r.requirements) &&
      optional(r.error, isText) &&
      optional(r.commit, (v) => typeof v === "string" && COMMIT_PATTERN.test(v)),
    skip: () => true,
    end: (r: Fields) => r.outcome === "abandoned",
  }),
);

const OTHER_RECORDS = new Map<string, (r: Fields) => boolean>(
  Object.entries({
    "run-start": (r: Fields) =>
      isText(r.run) &&
      Array.isArray(r.practices) &&
      r.practices.length > 0 &&
      r.practices.every(isText) &&
      isText(r.dir) &&
      optional(r.timerMinutes, isMinutes),
    "run-end": (r: Fields) => isText(r.run) && (r.outcome === "finished" || r.outcome === "abandoned"),
    study: (r: Fields) => isText(r.practice),
  }),
);

/** The record on one line of the history, or undefined when the line is not a record drill knows. */
export function parseRecord(value: unknown): HistoryRecord | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const record = value as Fields;
  if (!isText(record.type) || !isTime(record.at)) return undefined;
  // Maps, not object lookups: a type named "constructor" must not find Object's.
  const sessionCheck = SESSION_EVENTS.get(record.type);
  if (sessionCheck) return isText(record.session) && sessionCheck(record) ? (record as HistoryRecord) : undefined;
  const otherCheck = OTHER_RECORDS.get(record.type);
  return otherCheck?.(record) ? (record as HistoryRecord) : undefined;
}
