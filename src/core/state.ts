// The learner's record: sessions and everything that happened in them, as events. Kept in one
// small JSON file under the data directory ($DRILL_HOME), written atomically (temp file, fsync,
// rename). Times are never stored as results: they are derived from the events.
import { randomUUID } from "node:crypto";
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import { DrillError } from "./errors.js";
import type { Phase } from "./options.js";
import { drillHome } from "./paths.js";

export const STATE_VERSION = 1;

export type RequirementStatus = "passed" | "failed" | "skipped";

export type SessionEvent =
  | { type: "start"; at: string }
  | { type: "hint"; at: string; index: number }
  | {
      type: "check";
      at: string;
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
  | { type: "end"; at: string; outcome: "abandoned" };

export interface Session {
  id: string;
  practice: string;
  workspace: string;
  phase: Phase;
  timerMinutes: number | null;
  startedAt: string;
  events: SessionEvent[];
}

export interface State {
  version: typeof STATE_VERSION;
  activeSessionId: string | null;
  sessions: Session[];
}

export function statePath(home = drillHome()): string {
  return join(home, "state.json");
}

function emptyState(): State {
  return { version: STATE_VERSION, activeSessionId: null, sessions: [] };
}

/**
 * Reads the state. A file that is not valid JSON, or of a version this drill does not know,
 * is moved aside (never deleted) and reported as a DrillError, so nothing recorded is lost.
 */
export function loadState(home = drillHome()): State {
  const path = statePath(home);
  if (!existsSync(path)) return emptyState();
  const text = readFileSync(path, "utf8");
  let problem: string | undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    problem = "is not valid JSON";
  }
  if (!problem) {
    const candidate = parsed as Partial<State> | null;
    if (!candidate || typeof candidate !== "object" || !Array.isArray(candidate.sessions)) {
      problem = "does not look like drill's state";
    } else if (candidate.version !== STATE_VERSION) {
      problem = `has version ${JSON.stringify(candidate.version)}, and this drill reads version ${STATE_VERSION}`;
    }
  }
  if (!problem) return parsed as State;
  const aside = `${path}.${new Date().toISOString().replace(/[:.]/g, "-")}.bad`;
  renameSync(path, aside);
  throw new DrillError("corrupt-state", `the state file ${path} ${problem}; it was moved aside to ${aside}`, {
    hint: "Nothing was deleted. Run the command again to start a fresh record; the old file stays where it was moved for you to inspect or restore.",
  });
}

export function saveState(state: State, home = drillHome()): void {
  mkdirSync(home, { recursive: true });
  const path = statePath(home);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w");
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Read, change and write back in one step. */
export function updateState<T>(change: (state: State) => T, home = drillHome()): T {
  const state = loadState(home);
  const result = change(state);
  saveState(state, home);
  return result;
}

export function newSession(fields: Omit<Session, "id" | "events" | "startedAt">, now = new Date()): Session {
  const startedAt = now.toISOString();
  return { id: randomUUID(), startedAt, events: [{ type: "start", at: startedAt }], ...fields };
}

export function findSession(state: State, id: string): Session | undefined {
  return state.sessions.find((s) => s.id === id);
}
