// Finding the session a command is about, and recording what happens in it.
import { existsSync } from "node:fs";
import { DrillError } from "../../system/errors.js";
import {
  appendHistory,
  findSession,
  historyPath,
  loadHistory,
  newSessionId,
  type History,
  type Session,
  type SessionEvent,
  type StartFields,
} from "./history.js";
import { notice } from "../../system/notices.js";
import { practiceBySlug, type Practice } from "../catalog/practices.js";
import { findWorkspace, WORKSPACE_FILE, type WorkspaceMarker } from "../workspace/workspace.js";
import { isOpen } from "./timeline.js";

export interface ActiveSession {
  session: Session;
  practice: Practice;
  workspace: string;
}

let warnedAbout = "";

/** The history, with a one-time warning about lines that could not be read. */
export function readHistory(): History {
  const history = loadHistory();
  const key = history.damaged.join(",");
  if (key && key !== warnedAbout) {
    warnedAbout = key;
    const lines = history.damaged.length === 1 ? `line ${key}` : `lines ${history.damaged.join(", ")}`;
    notice(
      `${historyPath()}: ${lines} could not be read and ${history.damaged.length === 1 ? "was" : "were"} left out (still in the file)`,
    );
  }
  return history;
}

/**
 * The session for `--dir` (or the workspace around the current directory); failing that, the
 * most recently started session. A workspace whose session is missing from the record (history
 * moved aside, another machine) gets a session record back from the workspace marker.
 */
export function resolveSession(dir: string | undefined, cwd = process.cwd(), options: { restartClock?: boolean } = {}): ActiveSession {
  let found: { dir: string; marker: WorkspaceMarker } | undefined;
  if (dir !== undefined) {
    found = findWorkspace(dir, true);
  } else {
    try {
      found = findWorkspace(cwd, false);
    } catch (error) {
      if (!(error instanceof DrillError) || error.code !== "no-workspace") throw error;
    }
  }
  if (found) return fromMarker(found.dir, found.marker, options.restartClock ?? false);

  const history = readHistory();
  const active = history.activeSessionId ? findSession(history, history.activeSessionId) : undefined;
  if (!active) {
    throw new DrillError("no-session", "there is no active drill session here", {
      hint: "Start one with `drill start <practice>`, or run inside a workspace (or pass --dir).",
    });
  }
  if (!existsSync(`${active.workspace}/${WORKSPACE_FILE}`)) {
    throw new DrillError("no-workspace", `the active session's workspace ${active.workspace} is gone`, {
      hint: "Start a new session with `drill start <practice>`; the recorded attempts are kept.",
    });
  }
  return { session: active, practice: practiceOf(active.practice), workspace: active.workspace };
}

export function practiceOf(slug: string): Practice {
  const practice = practiceBySlug(slug);
  if (!practice) {
    throw new DrillError("unknown-practice", `this workspace is for practice "${slug}", which this drill does not have`, {
      hint: "Update drill, or start a practice from `drill list`.",
    });
  }
  return practice;
}

/**
 * `restartClock` (drill setup): a workspace whose session never reached the record (a `drill
 * start` stopped while readying Python, or a record moved aside) gets its start now, paused,
 * waiting for setup to finish, rather than a clock that ran since the folder was made.
 */
function fromMarker(workspace: string, marker: WorkspaceMarker, restartClock: boolean): ActiveSession {
  const practice = practiceOf(marker.practice);
  let session = findSession(readHistory(), marker.sessionId);
  if (!session && restartClock) {
    const now = new Date().toISOString();
    const start: Extract<SessionEvent, { type: "start" }> = {
      type: "start",
      at: now,
      practice: marker.practice,
      workspace,
      phase: 3,
      timerMinutes: null,
      mode: "drill",
    };
    try {
      appendHistory([
        { ...start, session: marker.sessionId },
        { type: "pause", at: now, session: marker.sessionId },
      ]);
    } catch {
      // A record drill cannot write to: setup still readies Python, and says so when it records.
    }
    session = { id: marker.sessionId, ...start, startedAt: now, events: [start, { type: "pause", at: now }] };
  }
  if (!session) {
    const start: Extract<SessionEvent, { type: "start" }> = {
      type: "start",
      at: marker.createdAt,
      practice: marker.practice,
      workspace,
      phase: 3,
      timerMinutes: null,
      mode: "drill",
    };
    try {
      appendHistory([{ ...start, session: marker.sessionId }]);
    } catch {
      // A command that only reads (status) may meet a record it cannot write to: it still
      // shows the workspace's session; a command that records checked the record up front.
    }
    session = { id: marker.sessionId, ...start, startedAt: marker.createdAt, events: [start] };
  }
  return { session, practice, workspace };
}

/** Records the start of a new session and returns it. */
export function startSession(fields: StartFields, id = newSessionId(), now = new Date()): Session {
  const at = now.toISOString();
  const start: Extract<SessionEvent, { type: "start" }> = { type: "start", at, ...fields };
  appendHistory([{ ...start, session: id }]);
  return { id, ...fields, startedAt: at, events: [start] };
}

/** Appends an event to a session and returns the session as recorded now. */
export function appendEvent(sessionId: string, event: SessionEvent): Session {
  appendHistory([{ ...event, session: sessionId }]);
  const session = findSession(readHistory(), sessionId);
  if (!session) throw new DrillError("no-session", `session ${sessionId} is not in the record`);
  return session;
}

/** Is `workspace` still the folder of `session` (there, and its marker names the session)? */
function holds(workspace: string, session: Session): boolean {
  if (!existsSync(`${workspace}/${WORKSPACE_FILE}`)) return false;
  try {
    return findWorkspace(workspace, true).marker.sessionId === session.id;
  } catch {
    return false;
  }
}

/**
 * The practice's latest plain attempt (not a break, not a fire drill's) whose folder is still
 * there, or undefined. `openOnly`: only one that is still running or paused.
 */
export function latestAttempt(history: History, slug: string, openOnly: boolean): Session | undefined {
  return history.sessions
    .filter((s) => s.practice === slug && s.mode === "drill" && !s.run && (!openOnly || isOpen(s)))
    .reverse()
    .find((s) => holds(s.workspace, s));
}

/** Records the session as abandoned (kept in the record and on disk; never green after this). */
export function abandonSession(sessionId: string, now = new Date()): void {
  appendHistory([{ type: "end", at: now.toISOString(), outcome: "abandoned", session: sessionId }]);
}

/**
 * A start recorded with its pause at the same instant: `drill start` laid out the workspace but
 * could not ready its Python, so the clock never ran. `drill setup` resumes it once it succeeds.
 */
export function isWaitingForSetup(session: Session): boolean {
  const [start, pause, ...rest] = session.events;
  return rest.length === 0 && start?.type === "start" && pause?.type === "pause" && pause.at === start.at;
}
