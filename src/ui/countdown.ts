// The live countdown shown by `drill start` in a terminal: time left (then overtime), and keys
// to check now, take a hint, see the requirements again, or leave.
import { emitKeypressEvents } from "node:readline";
import { checkSession } from "../actions/check.js";
import { DrillError } from "../core/errors.js";
import { highlight, logger } from "../core/logger.js";
import type { Practice } from "../core/practices.js";
import { appendEvent } from "../core/sessions.js";
import { hints, requirementLines } from "../core/spec.js";
import { findSession, loadState, type Session } from "../core/state.js";
import { deadline, elapsedMs, formatDuration, hintsUsed, lastCheck } from "../core/timeline.js";

interface CountdownTarget {
  sessionId: string;
  practice: Practice;
  workspace: string;
}

const KEYS = "[c] check  [h] hint  [r] requirements  [q] leave";

function currentSession(id: string): Session {
  const session = findSession(loadState(), id);
  if (!session) throw new DrillError("no-session", "the session disappeared from the record");
  return session;
}

export function countdownLine(session: Session, now = new Date()): string {
  const due = deadline(session);
  const elapsed = formatDuration(elapsedMs(session, now));
  const last = lastCheck(session);
  const result = last ? (last.error ? " · last check: server did not start" : ` · last check ${last.passed}/${last.passed + last.failed + last.skipped}`) : "";
  if (!due) return `elapsed ${elapsed}${result}  ${highlight.dim(KEYS)}`;
  const left = due.getTime() - now.getTime();
  const clock = left >= 0 ? `${formatDuration(left)} left` : highlight.fail(`OVERTIME +${formatDuration(-left)}`);
  return `${clock} · elapsed ${elapsed}${result}  ${highlight.dim(KEYS)}`;
}

export async function runCountdown(target: CountdownTarget): Promise<void> {
  const { stdin, stdout } = process;
  let session = currentSession(target.sessionId);
  let busy = false;
  let confirmingQuit = false;
  const draw = () => {
    if (!busy) stdout.write(`\r\u001b[2K${confirmingQuit ? "Leave the countdown? The session stays recorded; `drill status` shows it. [y/N] " : countdownLine(session)}`);
  };
  const clear = () => stdout.write("\r\u001b[2K");

  emitKeypressEvents(stdin);
  stdin.setRawMode(true);
  stdin.resume();
  logger.break();
  draw();
  const ticker = setInterval(draw, 1000);

  await new Promise<void>((resolve, reject) => {
    const finish = (error?: unknown) => {
      clearInterval(ticker);
      stdin.off("keypress", onKey);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      clear();
      if (error) reject(error);
      else resolve();
    };
    const onKey = (_text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
      if (busy || !key) return;
      if (key.ctrl && key.name === "c") {
        finish(new DrillError("interrupted", "interrupted; the session stays recorded (`drill status`)", { exitCode: 130 }));
        return;
      }
      if (confirmingQuit) {
        confirmingQuit = false;
        if (key.name === "y") {
          clear();
          logger.info("Left the countdown. The clock keeps running in the record: `drill status`, `drill check`.");
          finish();
          return;
        }
        draw();
        return;
      }
      switch (key.name) {
        case "q":
        case "escape":
          confirmingQuit = true;
          draw();
          break;
        case "c":
          void runCheckInPlace();
          break;
        case "h":
          showHint();
          break;
        case "r":
          clear();
          for (const line of requirementLines(target.practice)) logger.info(`  ${line}`);
          draw();
          break;
        default:
          break;
      }
    };
    const runCheckInPlace = async () => {
      busy = true;
      clear();
      // Cooked mode while checking, so Ctrl-C reaches drill's signal handler and stops the server.
      stdin.setRawMode(false);
      try {
        await checkSession({ session, practice: target.practice, workspace: target.workspace }, {});
      } catch (error) {
        if (error instanceof DrillError) logger.info(highlight.fail(`✘ ${error.message}${error.details ? `\n${error.details}` : ""}`));
        else {
          finish(error);
          return;
        }
      }
      session = currentSession(target.sessionId);
      stdin.setRawMode(true);
      stdin.resume();
      logger.break();
      busy = false;
      draw();
    };
    const showHint = () => {
      const all = hints(target.practice);
      const used = hintsUsed(session);
      clear();
      if (used >= all.length) {
        logger.info(highlight.dim("No more hints for this practice."));
      } else {
        const hint = all[used];
        session = appendEvent(target.sessionId, { type: "hint", at: new Date().toISOString(), index: used });
        logger.info(`${highlight.warn(`hint ${used + 1}/${all.length}: ${hint?.title ?? ""}`)}\n${hint?.body ?? ""}\n`);
      }
      draw();
    };
    stdin.on("keypress", onKey);
  });
}
