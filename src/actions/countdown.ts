// The live countdown shown by `drill start`, `drill break`, `drill fire-drill` and `drill
// resume` in a terminal: time left (then overtime), elapsed, the phase's target, and keys to
// check now, take a hint, read the spec, pause, skip (fire drill) or quit. Every key press that
// matters is an event in the history, so closing the terminal loses nothing.
import { readFileSync } from "node:fs";
import { emitKeypressEvents } from "node:readline";
import { checkSession } from "./check.js";
import { DrillError } from "../system/errors.js";
import { abandonRun, advanceFireDrill, runProgress } from "../core/modes/fire-drill.js";
import { appendHistory, findRun, findSession, type Session } from "../core/record/history.js";
import { highlight, logger } from "../ui/logger.js";
import { appendEvent, practiceOf, readHistory } from "../core/record/sessions.js";
import { hints } from "../core/catalog/spec.js";
import { hintsUsed, isOpen, isPaused, remainingMs } from "../core/record/timeline.js";
import { announceWorkspace } from "../ui/announce.js";
import { finalWords, keyLine, statusLine, type Target, type View } from "../ui/countdown-view.js";
import { formatNextUp, formatSplits } from "../ui/fire-drill-report.js";
import { page } from "../ui/pager.js";
import { isInteractive } from "../ui/prompts.js";
import { practiceLabel } from "../core/catalog/practices.js";

function view(target: Target, now = new Date()): View {
  const history = readHistory();
  if (target.kind === "session") return { session: findSession(history, target.sessionId), progress: undefined };
  const run = findRun(history, target.runId);
  if (!run) throw new DrillError("no-session", "the fire drill disappeared from the record");
  const progress = runProgress(history, run, now);
  return { session: progress.current, progress };
}

export async function runCountdown(sessionId: string): Promise<void> {
  await countdown({ kind: "session", sessionId });
}

/** After starting an attempt: the live countdown in a terminal, else the deadline in words. */
export async function countdownOrDeadline(session: Session): Promise<void> {
  const left = remainingMs(session);
  if (left === undefined) return;
  if (isInteractive()) {
    await runCountdown(session.id);
    return;
  }
  const due = new Date(Date.now() + left);
  logger.info(
    `timer: ${session.timerMinutes} min, due at ${due.toLocaleTimeString()} (${due.toISOString()}); \`drill status\` shows the time left, \`drill resume\` the countdown`,
  );
}

export async function runFireDrillCountdown(runId: string): Promise<void> {
  await countdown({ kind: "run", runId });
}

async function countdown(target: Target): Promise<void> {
  const { stdin, stdout } = process;
  let current = view(target);
  let busy = false;
  let shownSessionId = current.session?.id;
  let confirming: { question: string; onYes: () => Promise<boolean> } | undefined;
  const clear = () => stdout.write("\r\u001b[2K");
  const draw = () => {
    if (busy) return;
    clear();
    stdout.write(confirming ? `${confirming.question} [y/N] ` : statusLine(current));
  };
  const announce = (text: string) => {
    clear();
    logger.info(text);
  };

  logger.break();
  logger.info(keyLine(target));
  emitKeypressEvents(stdin);
  stdin.setRawMode(true);
  stdin.resume();

  await new Promise<void>((resolve, reject) => {
    let finished = false;
    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      clearInterval(ticker);
      stdin.off("keypress", onKey);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      clear();
      if (error) reject(error);
      else resolve();
    };

    /** Re-reads the record (a check may have run in another terminal) and ends when the attempt is over. */
    const refresh = async (): Promise<void> => {
      current = view(target);
      if (target.kind === "run") {
        if (current.progress?.finished) {
          announce(formatSplits(current.progress));
          finish();
          return;
        }
        if (!current.session) {
          const advanced = await advanceFireDrill(target.runId);
          current = view(target);
          if (advanced.kind === "finished") {
            announce(formatSplits(advanced.progress));
            finish();
            return;
          }
        }
        // A new practice (advanced here, or by a green check in another terminal).
        if (current.session && current.session.id !== shownSessionId) {
          if (shownSessionId !== undefined) {
            clear();
            const practice = practiceOf(current.session.practice);
            logger.info(formatNextUp(practice, current.session.workspace));
            announceWorkspace(practice, current.session.workspace);
          }
          shownSessionId = current.session.id;
        }
      } else if (current.session && !isOpen(current.session)) {
        announce(finalWords(current.session));
        finish();
        return;
      }
      draw();
    };

    const ticker = setInterval(() => {
      if (!busy && !confirming) void refresh().catch(finish);
    }, 1000);

    const withBusy = async (work: () => Promise<void>) => {
      busy = true;
      clear();
      stdin.setRawMode(false);
      try {
        await work();
      } catch (error) {
        if (error instanceof DrillError) logger.info(highlight.fail(`✘ ${error.message}${error.details ? `\n${error.details}` : ""}`));
        else {
          finish(error);
          return;
        }
      } finally {
        if (!finished) {
          stdin.setRawMode(true);
          stdin.resume();
          busy = false;
        }
      }
      if (!finished) await refresh();
    };

    const ask = (question: string, onYes: () => Promise<boolean>) => {
      confirming = { question, onYes };
      draw();
    };

    // A key's effect that fails (the record became unwritable) is said on a line, like a
    // check's error, instead of escaping the event handler as an uncaught exception.
    const onKey = (text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
      try {
        handleKey(text, key);
      } catch (error) {
        if (error instanceof DrillError) announce(highlight.fail(`✘ ${error.message}`));
        else finish(error);
      }
    };

    const handleKey = (_text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
      if (busy || !key || finished) return;
      if (key.ctrl && key.name === "c") {
        announce("Left the countdown; the clock keeps running. `drill resume` brings it back, `drill status` shows it.");
        finish(new DrillError("interrupted", "left the countdown", { exitCode: 130 }));
        return;
      }
      if (confirming) {
        const pending = confirming;
        confirming = undefined;
        if (key.name === "y") {
          void pending.onYes().then((done) => (done ? finish() : draw()), finish);
        } else draw();
        return;
      }
      const session = current.session;
      if (!session) return;
      const practice = practiceOf(session.practice);
      switch (key.name) {
        case "c":
          void withBusy(async () => {
            await checkSession({ session, practice, workspace: session.workspace }, {});
            logger.break();
          });
          break;
        case "h": {
          const all = hints(practice);
          const used = hintsUsed(session);
          if (used >= all.length) announce(highlight.dim("No more hints for this practice."));
          else {
            const hint = all[used];
            appendEvent(session.id, { type: "hint", at: new Date().toISOString(), index: used });
            announce(`${highlight.warn(`hint ${used + 1}/${all.length}: ${hint?.title ?? ""}`)}\n${hint?.body ?? ""}\n`);
          }
          void refresh();
          break;
        }
        case "s":
          void withBusy(async () => page(readFileSync(practice.specPath, "utf8")));
          break;
        case "p": {
          const type = isPaused(session) ? "resume" : "pause";
          appendEvent(session.id, { type, at: new Date().toISOString() });
          announce(type === "pause" ? "Paused: the clock is stopped. Press p to resume." : "Resumed.");
          void refresh();
          break;
        }
        case "k":
          if (target.kind === "run") {
            ask(`Skip ${practiceLabel(practice)}? It is recorded as skipped.`, async () => {
              appendEvent(session.id, { type: "skip", at: new Date().toISOString() });
              await refresh();
              return finished;
            });
          }
          break;
        case "q":
        case "escape":
          ask("Quit? The attempt is kept, recorded as abandoned.", async () => {
            if (target.kind === "run" && current.progress) abandonRun(current.progress.run, session);
            else appendHistory([{ type: "end", at: new Date().toISOString(), outcome: "abandoned", session: session.id }]);
            announce("Quit. The attempt is recorded as abandoned; `drill stats` shows it.");
            return true;
          });
          break;
        default:
          break;
      }
    };

    stdin.on("keypress", onKey);
    void refresh().catch(finish);
  });
}
