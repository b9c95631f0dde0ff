// The learner's record: everything that happened, one JSON event per line, appended to
// $DRILL_HOME/history.jsonl. Appending (never rewriting) means two drill processes at once
// (a countdown in one terminal, `drill check` in another) never lose each other's events, and
// a torn last line costs one event, not the file. Sessions, runs and every time shown are
// derived from the events; nothing derived is stored.
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { describeFsError, DrillError } from "../../system/errors.js";
import { parseRecord } from "./history-records.js";
import type { Phase } from "../options.js";
import { drillHome, makeDirectory } from "../../system/paths.js";

const HISTORY_VERSION = 1;
const HEADER = { drill: "history", version: HISTORY_VERSION };

export type RequirementStatus = "passed" | "failed" | "skipped";

/** What kind of attempt a session is. */
type SessionMode = "drill" | "break" | "fire-drill" | "mock";

interface CheckFields {
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
  | { type: "end"; at: string; outcome: "abandoned" }
  /** `drill diff` showed the reference solution before the attempt was green. */
  | { type: "reference-seen"; at: string };

/** One line of history.jsonl. */
export type HistoryRecord =
  | (SessionEvent & { session: string })
  | { type: "run-start"; at: string; run: string; practices: string[]; dir: string; timerMinutes: number }
  | { type: "run-end"; at: string; run: string; outcome: "finished" | "abandoned" }
  | { type: "study"; at: string; practice: string }
  | ({ type: "explain"; at: string } & Explanation)
  /** `drill plan --interview`: the interview's local date, YYYY-MM-DD (the latest one holds). */
  | { type: "interview"; at: string; date: string }
  /** `drill plan --daily-cap`: full rebuilds a day the schedule plans (the latest one holds). */
  | { type: "daily-cap"; at: string; rebuilds: number }
  /** After a green check: how many notes `drill review` had on the code (advice, not the verdict). */
  | { type: "review"; at: string; session: string; notes: number };

/** `drill explain`: the learner's own rating of how they explained one key block aloud. */
export type ExplainRating = "missed" | "partly" | "fully";

interface Explanation {
  practice: string;
  /** The key block's title (key-blocks.json), which names it across edits of the reference. */
  block: string;
  rating: ExplainRating;
}

export interface Session extends StartFields {
  id: string;
  startedAt: string;
  events: SessionEvent[];
  /** The review after each green check (kept apart from the events: it is advice, not the attempt). */
  reviews?: Array<{ at: string; notes: number }>;
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
  /** `drill explain` ratings, oldest first; absent until the first one is read. */
  explanations?: Array<{ at: string } & Explanation>;
  // Present once such an event is recorded: absent means none (so a History made by hand, in a
  // fallback or a test, need not name them).
  interviews?: Array<{ at: string; date: string }>;
  dailyCaps?: Array<{ at: string; rebuilds: number }>;
  /** The most recently started session, if any. */
  activeSessionId: string | null;
  /** Lines that could not be read: left in the file, left out of the record. */
  damaged: number[];
}

export function historyPath(home = drillHome()): string {
  return join(home, "history.jsonl");
}

/** What a command that only reads does with a history it cannot use: say so, change nothing. */
function refuseToRead(path: string, problem: string, newer: boolean): never {
  throw new DrillError(newer ? "history-newer" : "corrupt-state", `the history file ${path} ${problem}; nothing was changed`, {
    hint: newer
      ? "Update drill to read it. A command that records (start, check, break, ...) would move it aside and begin a fresh record."
      : "A command that records (start, check, break, ...) moves it aside (renamed, never deleted) and begins a fresh record.",
  });
}

/** What a command about to record does with it: rename it (never delete it) and say where. */
function moveAside(path: string, problem: string, newer: boolean): never {
  const aside = `${path}.${new Date().toISOString().replace(/[:.]/g, "-")}.bad`;
  try {
    renameSync(path, aside);
  } catch (error) {
    throw new DrillError(
      "home-unusable",
      `the history file ${path} ${problem}, and drill could not move it aside: ${describeFsError(error)}`,
    );
  }
  throw new DrillError("corrupt-state", `the history file ${path} ${problem}; it was moved aside to ${aside}`, {
    hint: newer
      ? "Nothing was deleted. Run the command again to begin a fresh record, or update drill and rename the file back to history.jsonl."
      : "Nothing was deleted. Run the command again to begin a fresh record; the old file stays where it was moved, to inspect or restore.",
  });
}

export interface LoadOptions {
  /**
   * The command is about to record: a history this drill cannot add to (a newer version, or no
   * readable line) is moved aside. Without it (a command that only reads) it is reported and
   * left where it is.
   */
  forWriting?: boolean;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new DrillError("home-unusable", `drill cannot read its history file ${path}: ${describeFsError(error)}`, {
      hint: "Set DRILL_HOME to a folder you can read and write, or fix the file's permissions.",
    });
  }
}

/** Reads the history: an empty one when there is no file yet. */
export function loadHistory(home = drillHome(), options: LoadOptions = {}): History {
  const history: History = { sessions: [], runs: [], studies: [], activeSessionId: null, damaged: [] };
  if (existsSync(home) && !statSync(home).isDirectory()) throw homeIsAFile(home);
  const path = historyPath(home);
  if (!existsSync(path)) return history;
  const unusable = (problem: string, newer: boolean): never =>
    options.forWriting ? moveAside(path, problem, newer) : refuseToRead(path, problem, newer);
  const lines = readText(path).split("\n");
  const byId = new Map<string, Session>();
  let readable = 0;
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      history.damaged.push(index + 1);
      return;
    }
    const header = value as { drill?: unknown; version?: unknown } | null;
    if (header && typeof header === "object" && header.drill === "history") {
      readable += 1;
      if (header.version !== HISTORY_VERSION) {
        const newer = typeof header.version === "number" && header.version > HISTORY_VERSION;
        unusable(
          newer
            ? `was written by a newer drill (history version ${header.version}; this drill reads version ${HISTORY_VERSION})`
            : `has version ${JSON.stringify(header.version)}, and this drill reads version ${HISTORY_VERSION}`,
          newer,
        );
      }
      return;
    }
    const record = parseRecord(value);
    if (!record || !apply(history, byId, record)) {
      history.damaged.push(index + 1);
      return;
    }
    readable += 1;
  });
  if (readable === 0) unusable("does not look like drill's history (no line of it can be read)", false);
  return history;
}

/** Adds one (well-formed) record to the history; false when it does not fit what came before. */
function apply(history: History, byId: Map<string, Session>, record: HistoryRecord): boolean {
  switch (record.type) {
    case "run-start":
      if (history.runs.some((r) => r.id === record.run)) return false;
      history.runs.push({
        id: record.run,
        practices: record.practices,
        dir: record.dir,
        timerMinutes: record.timerMinutes,
        startedAt: record.at,
      });
      return true;
    case "run-end": {
      const run = history.runs.find((r) => r.id === record.run);
      if (!run || run.end) return false;
      run.end = { at: record.at, outcome: record.outcome };
      return true;
    }
    case "study":
      history.studies.push({ at: record.at, practice: record.practice });
      return true;
    case "explain": {
      const explanation = { at: record.at, practice: record.practice, block: record.block, rating: record.rating };
      if (history.explanations) history.explanations.push(explanation);
      else history.explanations = [explanation];
      return true;
    }
    case "interview":
      history.interviews ??= [];
      history.interviews.push({ at: record.at, date: record.date });
      return true;
    case "daily-cap":
      history.dailyCaps ??= [];
      history.dailyCaps.push({ at: record.at, rebuilds: record.rebuilds });
      return true;
    case "review": {
      const session = byId.get(record.session);
      if (!session) return false;
      session.reviews = [...(session.reviews ?? []), { at: record.at, notes: record.notes }];
      return true;
    }
    case "start": {
      const { session: id, ...start } = record;
      if (byId.has(id)) return false;
      const session: Session = {
        id,
        practice: start.practice,
        workspace: start.workspace,
        phase: start.phase,
        timerMinutes: start.timerMinutes,
        mode: start.mode,
        ...(start.run ? { run: start.run } : {}),
        ...(start.mutant ? { mutant: start.mutant } : {}),
        startedAt: start.at,
        events: [start],
      };
      byId.set(id, session);
      history.sessions.push(session);
      history.activeSessionId = id;
      return true;
    }
    default: {
      const { session: id, ...event } = record;
      const session = byId.get(id);
      if (!session) return false;
      session.events.push(event);
      return true;
    }
  }
}

function homeIsAFile(home: string): DrillError {
  return new DrillError("home-unusable", `drill keeps your record in ${home}, which is a file, not a folder`, {
    hint: "Point DRILL_HOME at a folder (or unset it to use ~/.local/share/drill), or move that file away.",
  });
}

/**
 * Before a command records anything, and before it starts any work: drill's data folder is a
 * folder drill can write to (made if absent), and the history in it is one this drill can add
 * to (else it is moved aside, and the command stops to say so).
 */
export function prepareHistoryForWriting(home = drillHome()): void {
  if (existsSync(home) && !statSync(home).isDirectory()) throw homeIsAFile(home);
  const hint = "Set DRILL_HOME to a folder you can write to (or unset it to use ~/.local/share/drill).";
  try {
    makeDirectory(home);
  } catch (error) {
    throw new DrillError("home-unusable", `drill cannot create its data folder ${home}: ${describeFsError(error)}`, { hint });
  }
  const path = historyPath(home);
  try {
    accessSync(home, constants.W_OK);
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) throw Object.assign(new Error("EISDIR"), { code: "EISDIR" });
      accessSync(path, constants.R_OK | constants.W_OK);
    }
  } catch (error) {
    const where = existsSync(path) ? `its history file ${path}` : `its data folder ${home}`;
    throw new DrillError("home-unusable", `drill cannot write to ${where}: ${describeFsError(error)}`, { hint });
  }
  loadHistory(home, { forWriting: true });
}

/** Appends records in one write, starting the file with its header when it is new. */
export function appendHistory(records: HistoryRecord[], home = drillHome()): void {
  const path = historyPath(home);
  try {
    makeDirectory(home);
    const fresh = !existsSync(path);
    if (!fresh) assertSameVersion(path);
    let text = `${records.map((r) => JSON.stringify(r)).join("\n")}\n`;
    if (fresh) text = `${JSON.stringify(HEADER)}\n${text}`;
    else if (!endsWithNewline(path)) text = `\n${text}`; // a torn last line stays alone on its line
    const fd = openSync(path, "a");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof DrillError) throw error;
    // Commands check the record before they start; this is the folder changing under them.
    throw new DrillError("record-failed", `drill could not write to its history file ${path}: ${describeFsError(error)}`, {
      hint: "Set DRILL_HOME to a folder you can write to (or unset it to use ~/.local/share/drill).",
    });
  }
}

/** Never adds this version's records to a file another version wrote (its first line says which). */
function assertSameVersion(path: string): void {
  const fd = openSync(path, "r");
  let first: string;
  try {
    const head = Buffer.alloc(256);
    first =
      head
        .subarray(0, readSync(fd, head, 0, head.length, 0))
        .toString("utf8")
        .split("\n")[0] ?? "";
  } finally {
    closeSync(fd);
  }
  let header: { drill?: unknown; version?: unknown } | undefined;
  try {
    header = JSON.parse(first) as typeof header;
  } catch {
    return; // not a header: a damaged first line, which loading reports
  }
  if (header?.drill === "history" && header.version !== HISTORY_VERSION) {
    throw new DrillError(
      "corrupt-state",
      `the history file ${path} has version ${JSON.stringify(header.version)}, and this drill writes version ${HISTORY_VERSION}; nothing was added to it`,
    );
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
  // The global Web Crypto: importing node:crypto would load all of it for every command that reads the record.
  return globalThis.crypto.randomUUID();
}

export function findSession(history: History, id: string): Session | undefined {
  return history.sessions.find((s) => s.id === id);
}

export function findRun(history: History, id: string): FireDrillRun | undefined {
  return history.runs.find((r) => r.id === id);
}
