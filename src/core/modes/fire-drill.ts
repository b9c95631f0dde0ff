// Phase 4, the fire drill: practices 01, 03, 05 and 07 rebuilt in sequence in one 4-hour run.
// The run is a record of its own (run-start, run-end); each practice is a session of the run,
// created when its turn comes. A practice's split is its session's clock, from its start to
// its first green check (or its skip); the run's time is the sum of the splits.
import { existsSync, lstatSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { createAttempt } from "../record/attempts.js";
import { appendHistory, findRun, newSessionId, type FireDrillRun, type History, type Session } from "../record/history.js";
import { makeDirectory } from "../../system/paths.js";
import { FIRE_DRILL_PRACTICES, PHASES } from "../catalog/phases.js";
import { loadPractices, practiceBySlug, type Practice } from "../catalog/practices.js";
import { readHistory } from "../record/sessions.js";
import { elapsedMs, isOpen, sessionStatus } from "../record/timeline.js";
import { describeFsError, DrillError } from "../../system/errors.js";
import { assertWorkspacePlace, isOccupied } from "../workspace/workspace.js";
import { setupWorkspace, skipPython } from "../workspace/setup.js";
import { notice } from "../../system/notices.js";

interface Split {
  practice: string;
  session: Session;
  outcome: "passed" | "skipped" | "abandoned" | "open";
  ms: number;
}

export interface RunProgress {
  run: FireDrillRun;
  splits: Split[];
  current: Session | undefined;
  /** Practices whose turn has not come yet. */
  waiting: string[];
  totalMs: number;
  remainingMs: number;
  finished: boolean;
}

export function fireDrillPractices(): { available: Practice[]; missing: string[] } {
  const all = loadPractices();
  const available = FIRE_DRILL_PRACTICES.map((id) => all.find((p) => p.id === id)).filter((p): p is Practice => Boolean(p));
  const missing = FIRE_DRILL_PRACTICES.filter((id) => !all.some((p) => p.id === id));
  return { available, missing };
}

function runSessions(history: History, runId: string): Session[] {
  return history.sessions.filter((s) => s.run === runId);
}

export function runProgress(history: History, run: FireDrillRun, now = new Date()): RunProgress {
  const sessions = runSessions(history, run.id);
  const splits: Split[] = sessions.map((session) => {
    const status = sessionStatus(session);
    const outcome = status === "passed" || status === "skipped" || status === "abandoned" ? status : "open";
    return { practice: session.practice, session, outcome, ms: elapsedMs(session, now) };
  });
  const started = new Set(sessions.map((s) => s.practice));
  const current = sessions.find(isOpen);
  const totalMs = splits.reduce((sum, s) => sum + s.ms, 0);
  return {
    run,
    splits,
    current,
    waiting: run.practices.filter((slug) => !started.has(slug)),
    totalMs,
    remainingMs: run.timerMinutes * 60_000 - totalMs,
    finished: Boolean(run.end),
  };
}

function workspaceFor(run: FireDrillRun, slug: string): string {
  return join(run.dir, `drill-${slug}`);
}

/** 20261126-051228: when a workspace was moved aside. */
function archiveStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
}

/**
 * Where a practice's earlier workspace goes (renamed, never deleted), or undefined when there
 * is nothing to move. Throws, before anything moves, when the place holds a file (it is not a
 * workspace, so it is not drill's to move) or the archive name is already taken.
 */
function archiveTarget(dir: string, stamp: string): string | undefined {
  if (!existsSync(dir) && !isSymlink(dir)) return undefined;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DrillError("dir-unusable", `${dir} is a file where the fire drill puts a workspace; drill never moves or overwrites it`, {
      hint: "Rename or move that file, or run the fire drill in another folder with --dir.",
    });
  }
  if (!isOccupied(dir)) return undefined;
  const aside = `${dir}.before-fire-drill-${stamp}`;
  if (existsSync(aside) || isSymlink(aside)) {
    throw new DrillError("archive-taken", `cannot archive ${dir}: ${aside} already exists, and drill never overwrites it`, {
      hint: "Move that folder away (or wait a second for a new time stamp), then start again.",
    });
  }
  return aside;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

export interface FireDrillStart {
  run: FireDrillRun;
  archived: Array<{ from: string; to: string }>;
  first: Session;
}

export async function startFireDrill(dir: string, practices: Practice[], now = new Date()): Promise<FireDrillStart> {
  const stamp = archiveStamp(now);
  const run: FireDrillRun = {
    id: newSessionId(),
    practices: practices.map((p) => p.slug),
    dir,
    timerMinutes: PHASES[4].timerMinutes ?? 240,
    startedAt: now.toISOString(),
  };
  // Everything that could stop the run is found before anything moves or is recorded: a run
  // recorded without its first workspace would block the next fire drill.
  assertWorkspacePlace(dir, "the fire drill's workspaces");
  try {
    makeDirectory(dir);
  } catch (error) {
    throw new DrillError("dir-unusable", `drill could not create the fire drill's folder ${dir}: ${describeFsError(error)}`, {
      hint: "Pick a folder you can write to with --dir.",
    });
  }
  const moves = run.practices.flatMap((slug) => {
    const from = workspaceFor(run, slug);
    const to = archiveTarget(from, stamp);
    return to ? [{ from, to }] : [];
  });
  for (const { from, to } of moves) renameSync(from, to);
  appendHistory([{ type: "run-start", at: run.startedAt, run: run.id, practices: run.practices, dir, timerMinutes: run.timerMinutes }]);
  try {
    const first = await beginPractice(run, practices[0] as Practice);
    return { run, archived: moves, first };
  } catch (error) {
    // A run without its first practice is over before it began (and must not block the next).
    appendHistory([{ type: "run-end", at: new Date().toISOString(), run: run.id, outcome: "abandoned" }]);
    throw error;
  }
}

async function beginPractice(run: FireDrillRun, practice: Practice): Promise<Session> {
  const session = await createAttempt({
    practice,
    dir: workspaceFor(run, practice.slug),
    fields: { phase: 4, timerMinutes: null, mode: "fire-drill", run: run.id },
    commitMessage: `drill fire-drill: ${practice.slug} (scaffold)`,
  });
  // The environments were built before the run's clock started (`drill fire-drill` readies them
  // all), so this only links one. The run's clock is already running: a failure is said, and
  // never stops the run.
  if (!skipPython()) {
    try {
      await setupWorkspace(session.workspace);
    } catch (error) {
      notice(
        `the Python of ${practice.slug} is not ready (${error instanceof Error ? error.message : String(error)}); \`drill setup --dir ${session.workspace}\` readies it`,
      );
    }
  }
  return session;
}

export type Advance =
  | { kind: "none" }
  | { kind: "next"; practice: Practice; session: Session }
  | { kind: "finished"; progress: RunProgress };

/**
 * When the run's current practice is closed (green or skipped), starts the next one, or ends
 * the run after the last. Safe to call at any time: it does nothing while a practice is open.
 */
export async function advanceFireDrill(runId: string): Promise<Advance> {
  const history = readHistory();
  const run = findRun(history, runId);
  if (!run || run.end) return { kind: "none" };
  const progress = runProgress(history, run);
  if (progress.current) return { kind: "none" };
  const nextSlug = progress.waiting[0];
  if (nextSlug) {
    const practice = practiceBySlug(nextSlug);
    if (practice) {
      const place = workspaceFor(run, nextSlug);
      const aside = archiveTarget(place, archiveStamp(new Date()));
      if (aside) renameSync(place, aside);
      return { kind: "next", practice, session: await beginPractice(run, practice) };
    }
  }
  const at = new Date().toISOString();
  appendHistory([{ type: "run-end", at, run: run.id, outcome: "finished" }]);
  const ended = { ...run, end: { at, outcome: "finished" as const } };
  return { kind: "finished", progress: runProgress(readHistory(), ended) };
}

export function abandonRun(run: FireDrillRun, current: Session | undefined): void {
  const at = new Date().toISOString();
  appendHistory([
    ...(current ? [{ type: "end" as const, at, outcome: "abandoned" as const, session: current.id }] : []),
    { type: "run-end", at, run: run.id, outcome: "abandoned" },
  ]);
}
