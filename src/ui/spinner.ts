// The one spinner: silent with the logger (tests, --json), on stdout with the rest of the output.
import ora, { type Ora } from "ora";
import { isSilent } from "./logger.js";

export function newSpinner(): Ora {
  // ora counts the lines to clear as width / columns: a terminal that reports 0 columns (some
  // serial consoles, `stty cols 0`) made that Infinity and the spinner cleared lines forever at
  // 100% CPU. There it prints its final lines only, like a pipe.
  const sized = !process.stdout.isTTY || process.stdout.columns > 0;
  // discardStdin: false because ora's default takes stdin over while it spins (raw mode, input
  // thrown away) and pauses it when it stops, which left a prompt after it deaf to key presses.
  // drill's own SIGINT handler covers Ctrl-C.
  return ora({ isSilent: isSilent(), stream: process.stdout, discardStdin: false, ...(sized ? {} : { isEnabled: false }) });
}
