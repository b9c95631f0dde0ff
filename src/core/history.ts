// The learner's record: everything that happened, one JSON event per line, appended to
// $DRILL_HOME/history.jsonl. Appending (never rewriting) means two drill processes at once
// (a countdown in one terminal, `drill check` in another) never lose each other's events, and
// a torn last line costs one event, not the file. Sessions, runs and every time shown are
// derived from the events; nothing derived is stored.
import { randomUUID } from "node:crypto";
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DrillError } from "./errors.js";
import type { Phase } from "./options.js";
import { drillHome } from "./paths.js";

export const HISTORY_VERSION = 1;
const HEADER = { drill: "history", version: HISTORY_VERSION };

export type RequirementStatus = "passed" | "failed" | "skipped";

/** What kind of attempt a session is. */
export type SessionMode = "drill" | "break" | "fire-drill";

export interface CheckFields {
  /** "managed": drill started the server; "url": the learner's own server. */
  mode: "managed" | "url";
  passed: number;
  failed: number;
  skipped: number;
  requirements: Record<string, RequirementStatus>;
  /** Set when the check never reached the suite (server crashed, never ready, ...). */
  error?: string;
  commit?: string;
}

export interface StartFields {
  practice: string;
  workspace: string;
  phase: Phase;
  timerMinutes: number | null;
  mode: SessionMode;
  /** The fire-drill run this session belongs to. */
  run?: string;
  /** drill break: the mutant injected (not shown to the learner until the fix). */
  mutant?: string;
}

/** Events of one session, in order. */
export type SessionEvent =
  | ({ type: "start"; at: string } & StartFields)
  | { type: "pause"; at: string }
  | { type: "resume"; at: string }
  | { type: "hint"; at: string; index: number }
  | ({ type: "check"; at: string } & CheckFields)
  | { type: "skip"; at: string }
  | { type: "end"; at: string; outcome: "abandoned" };

/** One line of history.jsonl. */
export type HistoryRecord =
  | (SessionEvent & { session: string })
  | { type: "run-start"; at: string; run: string; practices: string[]; dir: string; timerMinutes: number }
  | { type: "run-end"; at: string; run: string; outcome: "finished" | "abandoned" }
  | { type: "study"; at: string; practice: string };

export interface Session extends StartFields {
  id: string;
  startedAt: string;
  events: SessionEvent[];
}

export interface FireDrillRun {
  id: string;
  practices: string[];
  dir: string;
  timerMinutes: number;
  startedAt: string;
  end?: { at: string; outcome: "finished" | "abandoned" };
}

export interface History {
  sessions: Session[];
  runs: FireDrillRun[];
  studies: Array<{ at: string; practice: string }>;
  /** The most recently started session, if any. */
  activeSessionId: string | null;
  /** Lines that could not be read: left in the file, left out of the record. */
  damaged: number[];
}

export function historyPath(home = drillHome()): string {
  return join(home, "history.jsonl");
}

function moveAside(path: string, problem: string): never {
  const aside = `${path}.${new Date().toISOString().replace(/[:.]/g, "-")}.bad`;
  renameSync(path, aside);
  throw new DrillError("corrupt-state", `the history file ${path} ${problem}; it was moved aside to ${aside}`, {
    hint: "Nothing was deleted. Run the command again to start a fresh record; the old file stays where it was moved, to inspect or restore.",
  });
}

/** Reads the history: an empty one when there is no file yet. */
export function loadHistory(home = drillHome()): History {
  const history: History = { sessions: [], runs: [], studies: [], activeSessionId: null, damaged: [] };
  const path = historyPath(home);
  if (!existsSync(path)) return history;
  const lines = readFileSync(path, "utf8").split("\n");
  const byId = new Map<string, Session>();
  let readable = 0;
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
      if (!record || typeof record !== "object" || Array.isArray(record)) throw new Error("not an object");
    } catch {
      history.damaged.push(index + 1);
      return;
    }
    readable += 1;
    if (record.drill === "history") {
      if (record.version !== HISTORY_VERSION) {
        moveAside(path, `has version ${JSON.stringify(record.version)}, and this drill reads version ${HISTORY_VERSION}`);
      }
      return;
    }
    if (!apply(history, byId, record)) history.damaged.push(index + 1);
  });
  if (readable === 0) moveAside(path, "does not look like drill's history (no line of it can be read)");
  return history;
}

function isString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0;
}

/** Adds one record to the history; false when it is not a record drill knows. */
function apply(history: History, byId: Map<string, Session>, record: Record<string, unknown>): boolean {
  const { type, at } = record;
  if (!isString(type) || !isString(at) || Number.isNaN(Date.parse(at))) return false;
  if (type === "run-start") {
    if (!isString(record.run) || !Array.isArray(record.practices)) return false;
    history.runs.push({
      id: record.run,
      practices: record.practices as string[],
      dir: String(record.dir ?? ""),
      timerMinutes: Number(record.timerMinutes ?? 240),
      startedAt: at,
    });
    return true;
  }
  if (type === "run-end") {
    const run = history.runs.find((r) => r.id === record.run);
    if (!run) return false;
    run.end = { at, outcome: record.outcome === "finished" ? "finished" : "abandoned" };
    return true;
  }
  if (type === "study") {
    if (!isString(record.practice)) return false;
    history.studies.push({ at, practice: record.practice });
    return true;
  }
  const sessionId = record.session;
  if (!isString(sessionId)) return false;
  const { session: _omit, ...event } = record;
  if (type === "start") {
    if (!isString(record.practice) || byId.has(sessionId)) return false;
    const start = event as unknown as Extract<SessionEvent, { type: "start" }>;
    const session: Session = {
      id: sessionId,
      practice: start.practice,
      workspace: start.workspace,
      phase: start.phase,
      timerMinutes: start.timerMinutes ?? null,
      mode: start.mode ?? "drill",
      ...(start.run ? { run: start.run } : {}),
      ...(start.mutant ? { mutant: start.mutant } : {}),
      startedAt: at,
      events: [start],
    };
    byId.set(sessionId, session);
    history.sessions.push(session);
    history.activeSessionId = sessionId;
    return true;
  }
  const session = byId.get(sessionId);
  if (!session || !["pause", "resume", "hint", "check", "skip", "end"].includes(type)) return false;
  session.events.push(event as unknown as SessionEvent);
  return true;
}

/** Appends records in one write, starting the file with its header when it is new. */
export function appendHistory(records: HistoryRecord[], home = drillHome()): void {
  mkdirSync(home, { recursive: true });
  const path = historyPath(home);
  const fresh = !existsSync(path);
  let text = records.map((r) => JSON.stringify(r)).join("\n") + "\n";
  if (fresh) text = `${JSON.stringify(HEADER)}\n${text}`;
  else if (!endsWithNewline(path)) text = `\n${text}`; // a torn last line stays alone on its line
  const fd = openSync(path, "a");
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function endsWithNewline(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const { size } = fstatSync(fd);
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    closeSync(fd);
  }
}

export function newSessionId(): string {
  return randomUUID();
}

export function findSession(history: History, id: string): Session | undefined {
  return history.sessions.find((s) => s.id === id);
}

export function findRun(history: History, id: string): FireDrillRun | undefined {
  return history.runs.find((r) => r.id === id);
}
