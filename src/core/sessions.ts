// Finding the session a command is about, and recording what happens in it.
import { existsSync } from "node:fs";
import { DrillError } from "./errors.js";
import { practiceBySlug, type Practice } from "./practices.js";
import { findSession, loadState, updateState, type Session, type SessionEvent, type State } from "./state.js";
import { findWorkspace, WORKSPACE_FILE, type WorkspaceMarker } from "./workspace.js";

export interface ActiveSession {
  session: Session;
  practice: Practice;
  workspace: string;
}

/**
 * The session for `--dir` (or the workspace around the current directory); failing that, the
 * most recently started session. A workspace whose session is missing from the record (state
 * moved aside, another machine) gets its session record back from the workspace marker.
 */
export function resolveSession(dir: string | undefined, cwd = process.cwd()): ActiveSession {
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
  if (found) return fromMarker(found.dir, found.marker);

  const state = loadState();
  const active = state.activeSessionId ? findSession(state, state.activeSessionId) : undefined;
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

function practiceOf(slug: string): Practice {
  const practice = practiceBySlug(slug);
  if (!practice) {
    throw new DrillError("unknown-practice", `this workspace is for practice "${slug}", which this drill does not have`, {
      hint: "Update drill, or start a practice from `drill list`.",
    });
  }
  return practice;
}

function fromMarker(workspace: string, marker: WorkspaceMarker): ActiveSession {
  const practice = practiceOf(marker.practice);
  const session = updateState((state) => {
    let session = findSession(state, marker.sessionId);
    if (!session) {
      session = {
        id: marker.sessionId,
        practice: marker.practice,
        workspace,
        phase: 3,
        timerMinutes: null,
        startedAt: marker.createdAt,
        events: [{ type: "start", at: marker.createdAt }],
      };
      state.sessions.push(session);
    }
    session.workspace = workspace;
    return session;
  });
  return { session, practice, workspace };
}

export function addSession(session: Session): void {
  updateState((state: State) => {
    state.sessions.push(session);
    state.activeSessionId = session.id;
  });
}

export function appendEvent(sessionId: string, event: SessionEvent): Session {
  return updateState((state) => {
    const session = findSession(state, sessionId);
    if (!session) throw new DrillError("no-session", `session ${sessionId} is not in the record`);
    session.events.push(event);
    return session;
  });
}
