// The one spinner: silent with the logger (tests, --json), on stdout with the rest of the output.
import ora, { type Ora } from "ora";
import { isSilent } from "./logger.js";

export function newSpinner(): Ora {
  // discardStdin: false because ora's default takes stdin over while it spins (raw mode, input
  // thrown away) and pauses it when it stops: a check started from the countdown's [c] key then
  // left the countdown deaf to every later key press. drill's own SIGINT handler covers Ctrl-C.
  return ora({ isSilent: isSilent(), stream: process.stdout, discardStdin: false });
}
