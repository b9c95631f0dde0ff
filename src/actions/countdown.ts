// The live countdown shown by `drill start`, `drill break`, `drill fire-drill` and `drill
// resume` in a terminal: the learner's cockpit. This file is the terminal's side: it takes the
// screen (the alternate buffer, redrawn in place, on every change, every second and on resize),
// turns raw key bytes into input events (ui/keys.ts), and hands them to the controller
// (./cockpit.ts), which runs checks and records events. Closing the terminal loses nothing:
// every key that matters is an event in the history.
import { Cockpit, COMMAND_KEYS } from "./cockpit.js";
import type { Session } from "../core/record/history.js";
import { remainingMs } from "../core/record/timeline.js";
import { renderFrame, type Target } from "../ui/countdown-view.js";
import { fitWidth, wrapWidth } from "../ui/fit.js";
import { KeyDecoder } from "../ui/keys.js";
import { logger } from "../ui/logger.js";
import { page } from "../ui/pager.js";
import { isInteractive } from "../ui/prompts.js";

export interface CountdownOptions {
  /** Re-check on save (default true; `--no-watch` turns it off). */
  watch?: boolean;
}

export async function runCountdown(sessionId: string, options: CountdownOptions = {}): Promise<void> {
  await countdown({ kind: "session", sessionId }, options);
}

/** After starting an attempt: the live countdown in a terminal, else the deadline in words. */
export async function countdownOrDeadline(session: Session, options: CountdownOptions = {}): Promise<void> {
  const left = remainingMs(session);
  if (left === undefined) return;
  if (isInteractive()) {
    await runCountdown(session.id, options);
    return;
  }
  const due = new Date(Date.now() + left);
  logger.info(
    `timer: ${session.timerMinutes} min, due at ${due.toLocaleTimeString()} (${due.toISOString()}); \`drill status\` shows the time left, \`drill resume\` the countdown`,
  );
}

export async function runFireDrillCountdown(runId: string, options: CountdownOptions = {}): Promise<void> {
  await countdown({ kind: "run", runId }, options);
}

const ENTER_SCREEN = "\u001b[?1049h\u001b[?25l\u001b[2J";
const LEAVE_SCREEN = "\u001b[?25h\u001b[?1049l";
/** A terminal that reports no size (0 columns, as some do over serial lines or in CI shells) gets this. */
const FALLBACK = { columns: 80, rows: 24 };

function terminalSize(): { columns: number; rows: number } {
  const { columns, rows } = process.stdout;
  return { columns: columns > 0 ? columns : FALLBACK.columns, rows: rows > 0 ? rows : FALLBACK.rows };
}

function wrapFitting(text: string, columns: number): string[] {
  return text.split("\n").flatMap((line) => (fitWidth(line, columns) === line ? [line] : wrapWidth(line, columns)));
}

async function countdown(target: Target, options: CountdownOptions): Promise<void> {
  const { stdin, stdout } = process;
  let onScreen = false;
  let drawn: string[] = [];
  let finished = false;
  let settle: (outcome: { words?: string; error?: unknown }) => void = () => undefined;
  const ended = new Promise<{ words?: string; error?: unknown }>((resolve) => {
    settle = resolve;
  });

  const draw = (full = false) => {
    if (!onScreen || finished) return;
    const size = terminalSize();
    const frame = renderFrame(cockpit.state, size);
    let out = full ? "\u001b[2J" : "";
    // Only the lines that changed are rewritten, each cleared first: no flicker, no scrolling.
    // Nothing is written below the last row: a cursor sent there lands on the last row instead.
    for (let row = 0; row < frame.length; row++) {
      const line = frame[row] ?? "";
      if (!full && line === drawn[row]) continue;
      out += `\u001b[${row + 1};1H\u001b[2K${line}`;
    }
    if (frame.length < drawn.length && frame.length < size.rows) out += `\u001b[${frame.length + 1};1H\u001b[J`;
    drawn = frame;
    if (out) stdout.write(out);
  };
  const enterScreen = () => {
    stdout.write(ENTER_SCREEN);
    onScreen = true;
    drawn = [];
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.resume();
  };
  const leaveScreen = () => {
    if (!onScreen) return;
    onScreen = false;
    stdout.write(LEAVE_SCREEN);
    if (stdin.isTTY) stdin.setRawMode(false);
  };

  const cockpit = new Cockpit(
    target,
    {
      changed: () => draw(),
      bell: () => stdout.write("\u0007"),
      page: (title, text) => {
        // Text that fits under the header is shown in place: a pager would show it and quit at once.
        const { columns, rows } = terminalSize();
        if (wrapWidth(text, columns).length <= rows - 5) {
          cockpit.state.panel = { title, body: text };
          draw();
          return;
        }
        leaveScreen();
        decoder.reset();
        page(text);
        enterScreen();
        draw(true);
      },
      end: (outcome) => {
        if (finished) return;
        finished = true;
        settle(outcome);
      },
    },
    { watch: options.watch ?? true },
  );
  const decoder = new KeyDecoder((event) => cockpit.onInput(event), { commands: COMMAND_KEYS });
  const onData = (data: Buffer | string) => decoder.feed(data.toString());
  const onResize = () => draw(true);

  enterScreen();
  stdin.on("data", onData);
  stdout.on("resize", onResize);
  const ticker = setInterval(() => {
    void cockpit.tick().catch((error: unknown) => {
      if (finished) return;
      finished = true;
      settle({ error });
    });
  }, 1000);
  try {
    await cockpit.start();
    draw(true);
  } catch (error) {
    finished = true;
    settle({ error });
  }
  const outcome = await ended;
  clearInterval(ticker);
  decoder.reset();
  stdin.off("data", onData);
  stdout.off("resize", onResize);
  leaveScreen();
  stdin.pause();
  await cockpit.stop();
  // Wrapped at the width between words, as the hints are (the terminal would cut words in two);
  // a line that fits is left as it is (a mock's report lines up its columns with spaces).
  if (outcome.words) logger.info(wrapFitting(outcome.words, terminalSize().columns).join("\n"));
  if (outcome.error) throw outcome.error;
}
