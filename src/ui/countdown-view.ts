// What the countdown shows, as pure strings: a frame (clock, check status, one note, the
// requirements board, the keys) rendered from the cockpit's state for a terminal of a given
// size, every line cut to the width. The loop that reads keys, runs checks and records events
// is actions/countdown.ts; this file never touches the terminal, so it is tested at any size.
import { describeMutant } from "../core/modes/break.js";
import type { RunProgress } from "../core/modes/fire-drill.js";
import type { RequirementStatus, Session } from "../core/record/history.js";
import { PHASES } from "../core/catalog/phases.js";
import { practiceOf } from "../core/record/sessions.js";
import { elapsedMs, formatDuration, isPaused, lastCheck, remainingMs, sessionStatus, timeToGreenMs } from "../core/record/timeline.js";
import { fitWidth, reflow, wrapWidth } from "./fit.js";
import { highlight } from "./logger.js";
import { mockBoxLine, mockStatus } from "./mock.js";
import { mockProgress } from "../core/modes/mock.js";

export type Target = { kind: "session"; sessionId: string } | { kind: "run"; runId: string };

export interface View {
  session: Session | undefined;
  progress: RunProgress | undefined;
}

/** A requirement's place on the board: its last result, or "running" while a check runs it. */
type Mark = RequirementStatus | "running" | "unknown";

export interface BoardRow {
  id: string;
  /** The requirement's line of the spec, without its id. */
  text: string;
  mark: Mark;
  /** The first line of why it failed, when the last run said. */
  reason?: string | undefined;
}

type CheckActivity =
  | { phase: "idle" }
  | { phase: "starting" | "running"; scope: "failing" | "full"; count: number; done: number; startedAt: number };

export interface CockpitState {
  target: Target;
  view: View;
  now: Date;
  /** "03 API security" */
  title: string;
  board: BoardRow[];
  check: CheckActivity;
  /** The last check in words: "last check 3/12 in 4.2 s". */
  lastRun?: string | undefined;
  watching: boolean;
  polling: boolean;
  /** The watcher re-checks on saves of the Dockerfile and compose file too (practice 00). */
  watchingDocker?: boolean;
  /** A save arrived during the check: one more follows it. */
  queued: boolean;
  /** One line: the start's note, a warning, what a key did. */
  message?: string | undefined;
  /** Why the last check could not run (a server that did not start, and what to do), wrapped above the board. */
  alert?: string | undefined;
  /** A mock's boundary just passed: said in the note's place for a minute, over other messages. */
  signal?: { text: string; at: number } | undefined;
  /** A question waiting for y or n. */
  prompt?: string | undefined;
  /** Text shown over the board (a hint) until a key is pressed. */
  panel?: { title: string; body: string } | undefined;
}

export interface Size {
  columns: number;
  rows: number;
}

/** Said once, when the countdown starts. */
export const INTRO = "Edit in your own editor; every save re-runs the check here.";
export const BURST_NOTE = "this window is drill's; type in your editor";
/** How long a mock's boundary signal stays in the note's place. */
const SIGNAL_MS = 60_000;

function clock(left: number | undefined): string {
  if (left === undefined) return "no timer";
  return left >= 0 ? `${formatDuration(left)} left` : highlight.fail(`OVERTIME +${formatDuration(-left)}`);
}

function lastResult(session: Session): string {
  const last = lastCheck(session);
  if (!last) return "";
  return last.error ? " · last check: server did not start" : ` · last check ${last.passed}/${last.passed + last.failed + last.skipped}`;
}

function statusLine(current: View, now = new Date()): string {
  const { session, progress } = current;
  if (!session) return "";
  const paused = isPaused(session) ? `${highlight.warn("PAUSED")} · ` : "";
  if (progress) {
    const index = progress.run.practices.indexOf(session.practice) + 1;
    return `${paused}${clock(progress.remainingMs)} · ${session.practice.slice(0, 2)} (${index}/${progress.run.practices.length}) split ${formatDuration(elapsedMs(session, now))} · total ${formatDuration(progress.totalMs)}${lastResult(session)}`;
  }
  if (session.mode === "mock") return `${paused}${mockStatus(session, now)}`;
  const phase = PHASES[session.phase];
  // A debugging drill's target is its own, whatever phase it is recorded under.
  const target = practiceOf(session.practice).debug ? "fix the bug within the time box" : phase.target;
  return `${paused}${clock(remainingMs(session, now))} · elapsed ${formatDuration(elapsedMs(session, now))} · target: ${target}${lastResult(session)}`;
}

const MARKS: Record<Mark, string> = {
  passed: highlight.pass("✔"),
  failed: highlight.fail("✘"),
  skipped: highlight.skip("○"),
  running: highlight.dim("…"),
  unknown: highlight.dim("·"),
};

function boardLine(row: BoardRow): string {
  const skipped = row.mark === "skipped" ? highlight.skip(" (skipped)") : "";
  return `${MARKS[row.mark]} ${row.id} ${row.text}${skipped}`;
}

function checkLine(state: CockpitState): string {
  const { check } = state;
  const files = state.watchingDocker ? "*.py + Docker files" : "*.py";
  const watch = state.watching ? `watching ${files}${state.polling ? " (polling)" : ""}` : "not watching (w turns it on)";
  const queued = state.queued ? " · one more queued" : "";
  if (check.phase === "idle") return `${watch}${state.lastRun ? ` · ${state.lastRun}` : " · no check yet"}`;
  const seconds = Math.max(0, Math.floor((state.now.getTime() - check.startedAt) / 1000));
  const what = check.scope === "failing" ? `re-checking ${check.count} failing first` : `checking all ${check.count || ""}`.trimEnd();
  const progress = check.phase === "starting" ? "starting your server" : `${check.done}/${check.count}`;
  return highlight.warn(`${what} · ${progress} · ${seconds} s${queued}`);
}

function keyLine(state: CockpitState): string {
  if (state.panel) return highlight.dim("any key returns to the board");
  const skip = state.target.kind === "run" ? " [k]skip" : "";
  const quit = state.view.session?.mode === "mock" ? "[q]end the day" : "[q]uit";
  return highlight.dim(`[c]heck [h]int [r]eport [s]pec [w]atch [p]ause${skip} ${quit} · Ctrl-C leaves, \`drill resume\` returns`);
}

/** The board in `height` lines: every requirement when they fit, else a window around the first failure. */
function boardLines(board: BoardRow[], height: number): string[] {
  if (height <= 0) return [];
  const firstFailure = board.find((row) => row.mark === "failed" && row.reason);
  const lines: string[] = [];
  for (const row of board) {
    lines.push(boardLine(row));
    if (row === firstFailure && row.reason) lines.push(highlight.fail(`    ${row.reason}`));
  }
  if (lines.length <= height) return lines;
  // Too many for the screen: keep the first failure (and its reason) in view, summarise the rest.
  const counts: Partial<Record<Mark, number>> = {};
  for (const row of board) counts[row.mark] = (counts[row.mark] ?? 0) + 1;
  const summary = `${counts.passed ?? 0} ✔ · ${counts.failed ?? 0} ✘ · ${(counts.unknown ?? 0) + (counts.running ?? 0)} ·`;
  const room = height - 1;
  const anchor = firstFailure ? board.indexOf(firstFailure) : 0;
  const start = Math.max(0, Math.min(anchor - 1, lines.length - room));
  const shown = lines.slice(start, start + room);
  const hidden = lines.length - shown.length;
  return [...shown, highlight.dim(`… ${hidden} more lines · ${summary}`)];
}

/** One frame of the countdown for a terminal of `size`: at most `rows` lines, each at most `columns` wide. */
export function renderFrame(state: CockpitState, size: Size): string[] {
  const columns = Math.max(0, Math.floor(size.columns));
  const rows = Math.max(1, Math.floor(size.rows));
  const title = `${highlight.practice(state.title)} · ${statusLine(state.view, state.now)}`;
  const signal = state.signal && state.now.getTime() - state.signal.at < SIGNAL_MS ? highlight.warn(state.signal.text) : undefined;
  const note = state.prompt ? highlight.warn(`${state.prompt} [y/n]`) : (signal ?? state.message ?? "");
  // A mock's box (what it is for, what comes next) sits under the title.
  const mock = state.view.session?.mode === "mock" ? [mockBoxLine(mockProgress(state.view.session, state.now))] : [];
  const head = [title, ...mock, checkLine(state), note];
  const foot = [keyLine(state)];
  const room = rows - head.length - foot.length;
  let body: string[];
  if (state.panel) {
    body = [highlight.warn(state.panel.title), ...wrapWidth(reflow(state.panel.body), columns)];
    if (body.length > room && room > 0) body = [...body.slice(0, room - 1), highlight.dim("… (the rest: `drill hint` prints it in full)")];
  } else {
    // At most four lines of it, and never all of a small screen's board.
    const alert = state.alert ? wrapWidth(state.alert, columns).slice(0, Math.min(4, Math.max(0, room - 3))) : [];
    body = [...alert.map((line) => highlight.fail(line)), ...boardLines(state.board, room - alert.length)];
  }
  const lines = room >= 0 ? [...head, ...body.slice(0, Math.max(0, room)), ...foot] : [...head, ...foot].slice(0, rows);
  return lines.map((line) => fitWidth(line, columns));
}

/** What the countdown says when a single attempt is over; after green, what to do next. */
export function finalWords(session: Session): string {
  const status = sessionStatus(session);
  if (status !== "passed") return `This attempt is ${status}.`;
  const time = timeToGreenMs(session) ?? 0;
  const timer = session.timerMinutes === null ? undefined : session.timerMinutes * 60_000;
  const verdict =
    timer === undefined
      ? ""
      : time <= timer
        ? ` within the ${session.timerMinutes} min timer`
        : `, ${formatDuration(time - timer)} over the ${session.timerMinutes} min timer`;
  const fixed = session.mode === "break" && session.mutant ? describeMutant(practiceOf(session.practice), session.mutant) : undefined;
  const reveal = fixed ? `\nThe bug you fixed: ${fixed}.` : "";
  const id = session.practice.slice(0, 2);
  return [
    `${highlight.pass("✔ all requirements pass")} at ${formatDuration(time)}${verdict}.${reveal} \`drill stats\` shows how it compares.`,
    `Next: \`drill diff\` shows your files beside the reference solution; \`drill study ${id}\` walks through its key blocks.`,
  ].join("\n");
}
