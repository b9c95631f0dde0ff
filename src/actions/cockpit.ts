// The countdown's controller: it owns the cockpit's state, turns input events into what they
// mean (a check, a hint, a pause, a quit), runs checks through the same core functions as
// `drill check` (runCheck, recordCheck) without printing, and re-checks on save, failing-first.
// The terminal (screen, raw keys, the pager) is the host's, in actions/countdown.ts.
import { readFileSync } from "node:fs";
import { runCheck, type CheckOutcome } from "../core/check/run-check.js";
import { stopAll } from "../core/check/processes.js";
import type { TestResult } from "../core/check/hidden-suite.js";
import { hintFor, hints, requirementLines } from "../core/catalog/spec.js";
import { practiceLabel, type Practice } from "../core/catalog/practices.js";
import { abandonRun, advanceFireDrill, runProgress } from "../core/modes/fire-drill.js";
import { boundaryCheck, mockProgress, mockReport } from "../core/modes/mock.js";
import { appendHistory, findRun, findSession, type Session } from "../core/record/history.js";
import { recordCheck } from "../core/record/record-check.js";
import { appendEvent, practiceOf, readHistory, type ActiveSession } from "../core/record/sessions.js";
import { formatDuration, isGreen, isOpen, isPaused, lastCheck, remainingMs, timeToGreenMs } from "../core/record/timeline.js";
import { CheckQueue, type CheckTrigger } from "../core/watch/check-queue.js";
import { watchWorkspace, type WorkspaceWatcher } from "../core/watch/workspace-watcher.js";
import { DOCKER_FILES } from "../core/docker/files.js";
import { DrillError } from "../system/errors.js";
import { formatFailures, formatVerdict } from "../ui/check-report.js";
import { BURST_NOTE, finalWords, INTRO, type BoardRow, type CockpitState, type Target, type View } from "../ui/countdown-view.js";
import { formatSplits } from "../ui/fire-drill-report.js";
import type { InputEvent } from "../ui/keys.js";
import { formatReviewNotes, reviewSummary } from "../ui/review.js";
import { afterGreenLines, isGreenOutcome, reviewAfterGreen } from "./review.js";
import { boundaryMessage, formatMockReport, greenMessage } from "../ui/mock.js";

/** The keys the cockpit acts on; any other key starts "typing" (see ui/keys.ts). */
export const COMMAND_KEYS: ReadonlySet<string> = new Set(["c", "h", "r", "s", "w", "p", "k", "q", "y", "n", "escape"]);

/**
 * Failures after which the learner's own code ran, so a full check counts (as in `drill
 * check`): the server crashed or never got ready.
 */
const LEARNER_CODE_RAN = new Set(["server-exited", "server-not-ready"]);

export interface CockpitHost {
  /** The state changed: draw a frame. */
  changed(): void;
  /** A bell: the clock reached zero, the practice went green. */
  bell(): void;
  /** Long text through the pager (the host leaves its screen meanwhile). */
  page(title: string, text: string): void;
  /** The countdown is over: `words` to print after the screen is gone, or an error to raise. */
  end(outcome: { words?: string; error?: unknown }): void;
}

export interface CockpitOptions {
  watch: boolean;
}

function readView(target: Target, now = new Date()): View {
  const history = readHistory();
  if (target.kind === "session") return { session: findSession(history, target.sessionId), progress: undefined };
  const run = findRun(history, target.runId);
  if (!run) throw new DrillError("no-session", "the fire drill disappeared from the record");
  const progress = runProgress(history, run, now);
  return { session: progress.current, progress };
}

/** The first line of why a test failed, for the board. */
function reasonOf(result: TestResult): string {
  const text = result.errors.join("\n").trim() || "failed without a message";
  return `${
    text
      .split("\n")
      .find((line) => line.trim())
      ?.trim() ?? text
  }`;
}

function boardFor(practice: Practice, session: Session): BoardRow[] {
  const last = lastCheck(session);
  const recorded = last && !last.error ? last.requirements : {};
  const rows: BoardRow[] = requirementLines(practice).map((line) => {
    const [id = "", ...text] = line.split(" ");
    return { id, text: text.join(" "), mark: recorded[id] ?? "unknown" };
  });
  // A requirement the suite checks but the spec's lines do not name still gets a row.
  for (const [id, mark] of Object.entries(recorded)) if (!rows.some((row) => row.id === id)) rows.push({ id, text: "", mark });
  return rows;
}

export class Cockpit {
  readonly state: CockpitState;
  private practice: Practice | undefined;
  private shownSessionId: string | undefined;
  private watcher: WorkspaceWatcher | undefined;
  private readonly queue: CheckQueue;
  private lastReport: string | undefined;
  private onYes: (() => void) | undefined;
  private timeUp = false;
  /** The review after the last green check, until it is shown. */
  private review: Awaited<ReturnType<typeof reviewAfterGreen>> | undefined;
  private closing = false;
  /** A mock's boundaries passed at the last refresh (undefined before the first). */
  private mockPassed: number | undefined;
  /** A mock went green while this countdown watched (said once). */
  private mockGreen: boolean | undefined;
  /** A mock's boundaries whose check this countdown asked for (each at most once). */
  private readonly boundariesAsked = new Set<number>();

  constructor(
    private readonly target: Target,
    private readonly host: CockpitHost,
    options: CockpitOptions,
  ) {
    const view = readView(target);
    this.state = {
      target,
      view,
      now: new Date(),
      title: "",
      board: [],
      check: { phase: "idle" },
      watching: options.watch,
      polling: false,
      queued: false,
      message: INTRO,
    };
    this.queue = new CheckQueue(
      (trigger) => this.runChecks(trigger),
      (error) => this.fail(error),
    );
  }

  get checking(): boolean {
    return this.queue.busy;
  }

  async start(): Promise<void> {
    await this.refresh();
  }

  /** Once a second: the clock, and the record (another terminal may have checked or paused). */
  async tick(): Promise<void> {
    if (this.closing) return;
    await this.refresh();
  }

  async stop(): Promise<void> {
    this.closing = true;
    this.queue.clear();
    await this.watcher?.close();
    this.watcher = undefined;
    // A check still running belongs to a countdown that is over: its server and suite stop now.
    if (this.queue.busy) await stopAll();
  }

  /** Re-reads the record and ends the countdown when the attempt (or the fire drill) is over. */
  private async refresh(): Promise<void> {
    const state = this.state;
    state.now = new Date();
    state.view = readView(this.target, state.now);
    if (this.target.kind === "run") {
      if (state.view.progress?.finished) return this.finish(formatSplits(state.view.progress));
      if (!state.view.session) {
        const advanced = await advanceFireDrill(this.target.runId);
        state.view = readView(this.target);
        if (advanced.kind === "finished") return this.finish(formatSplits(advanced.progress));
      }
    } else if (state.view.session?.mode === "mock") {
      // A mock's day goes on after green: it ends with its clock (or q), not with the attempt.
      if (this.followMockDay(state.view.session)) return;
    } else if (state.view.session && !isOpen(state.view.session)) {
      return this.finish();
    }
    const session = state.view.session;
    if (session && session.id !== this.shownSessionId) await this.show(session);
    const left = session ? (state.view.progress?.remainingMs ?? remainingMs(session, state.now)) : undefined;
    if (left !== undefined && left < 0 && !this.timeUp && session?.mode !== "mock") {
      this.timeUp = true;
      state.message = "Time is up: the clock keeps running as overtime; finish the practice.";
      this.host.bell();
    }
    this.host.changed();
  }

  /** A (new) session on screen: its board, and the watcher on its workspace. */
  private async show(session: Session): Promise<void> {
    const first = this.shownSessionId === undefined;
    this.shownSessionId = session.id;
    this.practice = practiceOf(session.practice);
    this.state.title = practiceLabel(this.practice);
    this.state.board = boardFor(this.practice, session);
    this.lastReport = undefined;
    const last = lastCheck(session);
    const total = last ? last.passed + last.failed + last.skipped : 0;
    this.state.lastRun = last ? (last.error ? "last check: the server did not start" : `last check ${last.passed}/${total}`) : undefined;
    if (!first) this.state.message = `✔ fire drill: next up ${this.state.title} in ${session.workspace}`;
    await this.watcher?.close();
    this.watcher = undefined;
    if (this.state.watching) this.startWatching(session.workspace);
    const left = remainingMs(session, this.state.now);
    this.timeUp = left !== undefined && left < 0 && !this.state.view.progress;
  }

  private startWatching(workspace: string): void {
    // A practice that grades Docker files (00's docker milestone) re-checks when they are saved too.
    const docker = this.practice?.milestones?.docker !== undefined;
    const onSave = () => {
      if (!this.closing && this.state.watching) {
        this.queue.request("save");
        this.state.queued = this.queue.waiting !== undefined;
        this.host.changed();
      }
    };
    const watcher = watchWorkspace(workspace, onSave, docker ? { alsoNamed: DOCKER_FILES } : {});
    this.watcher = watcher;
    this.state.polling = watcher.polling;
    this.state.watchingDocker = docker;
  }

  private finish(words?: string): void {
    const session = this.state.view.session;
    const green = session ? lastCheck(session) : undefined;
    if (green && isGreen(green)) this.host.bell();
    const review = this.review ? `\n${afterGreenLines(this.review).join("\n")}` : "";
    this.review = undefined;
    this.host.end({ words: (words ?? (session ? finalWords(session) : "")) + review });
  }

  /**
   * A fire drill goes on after green: the review of the practice just finished in the check line
   * (the note line says what is next), every note under r.
   */
  private showReviewInRun(review: NonNullable<Cockpit["review"]>, practice: string): void {
    this.review = undefined;
    this.state.lastRun = `${practice} green · ${"notes" in review ? reviewSummary(review.notes) : "review could not run"}`;
    if ("notes" in review && review.notes.length) this.lastReport = formatReviewNotes(review.notes).join("\n");
    this.host.changed();
  }

  private fail(error: unknown): void {
    if (error instanceof DrillError) {
      this.state.message = `✘ ${error.message}`;
      this.host.changed();
    } else this.host.end({ error });
  }

  private active(): ActiveSession | undefined {
    const session = this.state.view.session;
    if (!session || !this.practice) return undefined;
    return { session, practice: this.practice, workspace: session.workspace };
  }

  // --- checks ---------------------------------------------------------------------------

  /** A save re-runs what failed last time first; only when that passes does the full suite run. */
  private async runChecks(trigger: CheckTrigger): Promise<void> {
    this.state.queued = false;
    const failing = this.state.board.filter((row) => row.mark === "failed").map((row) => row.id);
    const known = this.state.board.every((row) => row.mark !== "unknown");
    if (trigger === "save" && known && failing.length > 0 && failing.length < this.state.board.length) {
      const outcome = await this.runOnce(failing, false);
      if (!outcome || outcome.failed > 0 || outcome.skipped > 0 || outcome.run.timedOut || this.closing) return;
    }
    await this.runOnce(undefined, true);
  }

  private async runOnce(only: string[] | undefined, record: boolean): Promise<CheckOutcome | undefined> {
    await this.refresh();
    const active = this.active();
    if (!active || this.closing) return undefined;
    const at = new Date();
    const state = this.state;
    const inScope = (id: string) => !only || only.includes(id);
    const before = new Map(state.board.map((row) => [row.id, { mark: row.mark, reason: row.reason }]));
    for (const row of state.board) if (inScope(row.id)) Object.assign(row, { mark: "running", reason: undefined });
    const seen = new Map<string, TestResult[]>();
    state.check = {
      phase: "starting",
      scope: only ? "failing" : "full",
      count: only?.length ?? state.board.length,
      done: 0,
      startedAt: Date.now(),
    };
    state.alert = undefined;
    if (!only) state.message = undefined;
    this.host.changed();
    const restore = () => {
      for (const row of state.board) if (row.mark === "running") Object.assign(row, before.get(row.id) ?? { mark: "unknown" });
    };
    let outcome: CheckOutcome;
    try {
      outcome = await runCheck({
        practice: active.practice,
        workspace: active.workspace,
        ...(only ? { only } : {}),
        onServerReady: () => {
          if (state.check.phase !== "idle") state.check = { ...state.check, phase: "running" };
          this.host.changed();
        },
        onPlanned: (names) => {
          if (state.check.phase !== "idle") state.check = { ...state.check, count: names.length };
          this.host.changed();
        },
        onResult: (result) => {
          const results = [...(seen.get(result.requirement) ?? []), result];
          seen.set(result.requirement, results);
          const row = state.board.find((r) => r.id === result.requirement);
          const failed = results.find((r) => r.state === "failed");
          if (row) {
            row.mark = failed ? "failed" : results.some((r) => r.state === "skipped") ? "skipped" : "passed";
            row.reason = failed ? reasonOf(failed) : undefined;
          }
          if (state.check.phase !== "idle") state.check = { ...state.check, done: state.check.done + 1 };
          this.host.changed();
        },
      });
    } catch (error) {
      state.check = { phase: "idle" };
      restore();
      if (this.closing) return undefined;
      if (!(error instanceof DrillError)) throw error;
      this.lastReport = [`✘ ${error.message}`, error.details, error.hint].filter(Boolean).join("\n\n");
      state.alert = [`✘ ${error.message}`, error.hint].filter(Boolean).join("\n");
      state.lastRun = "last check: the server did not start (r shows why)";
      if (record && LEARNER_CODE_RAN.has(error.code)) {
        const recorded = await recordCheck(active, { kind: "server-failed", mode: "managed", error: error.message }, at);
        if (recorded.notRecorded)
          state.message = `✘ this attempt was not recorded: ${String((recorded.notRecorded as Error).message ?? recorded.notRecorded)}`;
      }
      await this.refresh();
      return undefined;
    }
    state.check = { phase: "idle" };
    if (this.closing) return undefined;
    // The outcome is the whole truth (tests the time limit cut short count as failed).
    for (const row of state.board) {
      const verdict = outcome.requirements[row.id];
      if (verdict) {
        row.mark = verdict;
        const failed = outcome.run.results.find((r) => r.requirement === row.id && r.state === "failed");
        row.reason = failed ? reasonOf(failed) : undefined;
      }
    }
    restore();
    const total = outcome.passed + outcome.failed + outcome.skipped;
    const seconds = (outcome.durationMs / 1000).toFixed(1);
    state.lastRun = only
      ? `failing first: ${outcome.passed}/${total} now pass in ${seconds} s${outcome.failed === 0 && outcome.skipped === 0 ? ", the full check follows" : " (not recorded)"}`
      : `last check ${outcome.passed}/${total} in ${seconds} s`;
    const failures = formatFailures(outcome);
    this.lastReport = [failures, formatVerdict(outcome)].filter(Boolean).join("\n");
    for (const note of outcome.cleanupNotes) state.message = `note: ${note}`;
    if (record) {
      const recorded = await recordCheck(
        { ...active, session: this.state.view.session ?? active.session },
        { kind: "verdict", outcome },
        at,
      );
      if (recorded.notRecorded) {
        const reason = recorded.notRecorded instanceof Error ? recorded.notRecorded.message : String(recorded.notRecorded);
        state.message = `✘ this check was not recorded: ${reason}; make drill's data folder writable and check again`;
      } else if (recorded.snapshotSkipped) state.message = `snapshot skipped: ${recorded.snapshotSkipped}`;
      if (recorded.fireDrill?.kind === "failed")
        state.message = `fire drill: could not start the next practice (${recorded.fireDrill.error.message})`;
      // After green: the review's notes in the last words (or, in a fire drill, under r).
      if (!recorded.notRecorded && !only && isGreenOutcome(outcome)) this.review = await reviewAfterGreen(active);
    }
    await this.refresh();
    if (this.review && this.target.kind === "run") this.showReviewInRun(this.review, active.practice.id);
    return outcome;
  }

  // --- keys -----------------------------------------------------------------------------

  onInput(event: InputEvent): void {
    if (this.closing) return;
    const state = this.state;
    if (event.kind === "interrupt") {
      this.host.end({
        error: new DrillError(
          "interrupted",
          "left the countdown; the clock keeps running. `drill resume` brings it back, `drill status` shows it",
          { exitCode: 130 },
        ),
      });
      return;
    }
    if (event.kind === "burst") {
      state.prompt = undefined;
      this.onYes = undefined;
      state.message = BURST_NOTE;
      this.host.changed();
      return;
    }
    const key = event.name;
    if (state.panel) {
      state.panel = undefined;
      this.host.changed();
      return;
    }
    if (state.prompt) {
      const yes = this.onYes;
      state.prompt = undefined;
      this.onYes = undefined;
      if (key === "y") yes?.();
      else state.message = "Nothing changed.";
      this.host.changed();
      return;
    }
    const session = state.view.session;
    const practice = this.practice;
    if (!session || !practice) return;
    switch (key) {
      case "c":
        this.queue.request("key");
        state.queued = this.queue.waiting !== undefined;
        break;
      case "w":
        this.toggleWatching(session);
        break;
      case "r":
        if (this.queue.busy) state.message = "A check is running; r shows its report when it ends.";
        else if (this.lastReport) this.host.page("the last check's report", this.lastReport);
        else state.message = "No check in this countdown yet: save a file, or press c.";
        break;
      case "s":
        if (this.queue.busy) state.message = "A check is running; s opens the spec when it ends.";
        else this.host.page("the spec", readFileSync(practice.specPath, "utf8"));
        break;
      case "h":
        this.offerHint(session, practice);
        break;
      case "p": {
        const type = isPaused(session) ? "resume" : "pause";
        appendEvent(session.id, { type, at: new Date().toISOString() });
        state.message = type === "pause" ? "Paused: the clock is stopped. Press p to resume." : "Resumed.";
        void this.refresh().catch((error) => this.fail(error));
        break;
      }
      case "k":
        if (this.target.kind === "run") {
          this.ask(`Skip ${practiceLabel(practice)}? It is recorded as skipped.`, () => {
            appendEvent(session.id, { type: "skip", at: new Date().toISOString() });
            void this.refresh().catch((error) => this.fail(error));
          });
        }
        break;
      case "q":
      case "escape":
        if (session.mode === "mock") {
          this.ask("End the day now? What is green stays recorded; the report follows.", () => {
            appendHistory([{ type: "end", at: new Date().toISOString(), outcome: "abandoned", session: session.id }]);
            this.finishMock(session.id);
          });
          break;
        }
        this.ask("Quit? The attempt is kept, recorded as abandoned.", () => {
          const progress = state.view.progress;
          if (this.target.kind === "run" && progress) abandonRun(progress.run, session);
          else appendHistory([{ type: "end", at: new Date().toISOString(), outcome: "abandoned", session: session.id }]);
          this.host.end({ words: "Quit. The attempt is recorded as abandoned; `drill stats` shows it." });
        });
        break;
      default:
        return;
    }
    this.host.changed();
  }

  // --- the interview mock ---------------------------------------------------------------

  /**
   * A mock's day: a bell and a message as each boundary passes, a recorded check at each one
   * (taken late, once, when the countdown was closed as it passed), and the report once the
   * day is over and its last check is done. True when the countdown is over.
   */
  private followMockDay(session: Session): boolean {
    const progress = mockProgress(session, this.state.now);
    const seen = this.mockPassed;
    this.mockPassed = progress.passed;
    if (progress.endedEarly) {
      this.finishMock(session.id);
      return true;
    }
    const green = timeToGreenMs(session) !== undefined;
    if (this.mockGreen === false && green) {
      this.host.bell();
      this.state.signal = { text: greenMessage(session), at: this.state.now.getTime() };
    }
    this.mockGreen = green;
    if (seen !== undefined && progress.passed > seen) {
      this.host.bell();
      this.state.signal = { text: boundaryMessage(progress), at: this.state.now.getTime() };
    }
    const due = progress.passed - 1;
    const box = progress.boxes[due];
    if (box && !this.boundariesAsked.has(due) && !boundaryCheck(session, progress.boxes, due)) {
      this.boundariesAsked.add(due);
      if (seen === undefined) {
        const text = `The countdown was closed at the end of ${box.name} (${formatDuration(box.endMs)}): taking that boundary's check now.`;
        this.state.signal = { text, at: this.state.now.getTime() };
      }
      this.queue.request("key");
      this.state.queued = this.queue.waiting !== undefined;
    }
    if (progress.over && !this.queue.busy && this.queue.waiting === undefined) {
      this.finishMock(session.id);
      return true;
    }
    return false;
  }

  /** The day is over: an attempt still open at its end is recorded as ended; the report is the last word. */
  private finishMock(sessionId: string): void {
    let session = findSession(readHistory(), sessionId);
    if (!session) {
      this.host.end({ error: new DrillError("no-session", "the mock disappeared from the record") });
      return;
    }
    if (isOpen(session)) session = appendEvent(session.id, { type: "end", at: new Date().toISOString(), outcome: "abandoned" });
    this.host.bell();
    this.host.end({ words: formatMockReport(mockReport(session)) });
  }

  private ask(question: string, onYes: () => void): void {
    this.state.prompt = question;
    this.onYes = onYes;
  }

  private toggleWatching(session: Session): void {
    const state = this.state;
    state.watching = !state.watching;
    if (state.watching) {
      this.startWatching(session.workspace);
      state.message = "Watching: every save re-runs the check.";
    } else {
      void this.watcher?.close();
      this.watcher = undefined;
      this.queue.clear();
      state.queued = false;
      state.message = "Not watching: press c to check, w to watch again.";
    }
  }

  /** The hint of the first failing requirement (else the next one not yet taken), after a y. */
  private offerHint(session: Session, practice: Practice): void {
    const all = hints(practice);
    const taken = new Set(session.events.flatMap((event) => (event.type === "hint" ? [event.index] : [])));
    const failing = this.state.board.find((row) => row.mark === "failed");
    const forFailing = failing ? hintFor(practice, failing.id) : undefined;
    const index = forFailing?.index ?? all.findIndex((_, i) => !taken.has(i));
    const hint = all[index];
    if (!hint) {
      this.state.message = "No more hints for this practice.";
      return;
    }
    const show = () => {
      this.state.panel = { title: `hint ${index + 1}/${all.length}: ${hint.title}`, body: hint.body };
    };
    if (taken.has(index)) {
      show();
      this.state.message = "A hint you already took: shown again, not counted again.";
      return;
    }
    const why = forFailing && failing ? ` for ${failing.id}, the first failing requirement` : "";
    this.ask(`Take hint ${index + 1}/${all.length}${why}? It is counted in your record.`, () => {
      appendEvent(session.id, { type: "hint", at: new Date().toISOString(), index });
      show();
      this.state.message = undefined;
      void this.refresh().catch((error) => this.fail(error));
    });
  }
}
