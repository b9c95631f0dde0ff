// The terminal voice of drill: a logger that can be silenced (tests, --json) and a few colours.
import chalk from "chalk";

// NO_COLOR (https://no-color.org): any non-empty value turns colour off. chalk only reads
// FORCE_COLOR, so this is said here, where every renderer's chalk is first loaded; an explicit
// FORCE_COLOR that asks for colour still wins, as it does for Node itself.
if (process.env.NO_COLOR && !/^(1|2|3|true)$/.test(process.env.FORCE_COLOR ?? "")) chalk.level = 0;

/** Whether drill writes colour (for child processes that need telling, such as git diff). */
export function colorEnabled(): boolean {
  return chalk.level > 0;
}

let silent = false;

export function setSilent(value: boolean): void {
  silent = value;
}

export function isSilent(): boolean {
  return silent;
}

export const highlight = {
  practice: (text: string) => chalk.cyan(text),
  path: (text: string) => chalk.underline(text),
  command: (text: string) => chalk.bold(text),
  dim: (text: string) => chalk.dim(text),
  pass: (text: string) => chalk.green(text),
  fail: (text: string) => chalk.red(text),
  skip: (text: string) => chalk.yellow(text),
  warn: (text: string) => chalk.yellow(text),
};

export const logger = {
  info(message: string): void {
    if (!silent) console.log(message);
  },
  /** Warnings go to stderr even when silenced: --json output on stdout stays clean either way. */
  warn(message: string): void {
    console.error(chalk.yellow(`! ${message}`));
  },
  success(message: string): void {
    if (!silent) console.log(chalk.green(`✔ ${message}`));
  },
  break(): void {
    if (!silent) console.log("");
  },
};

/** --json output: the data itself, on stdout, also when the logger is silenced (--json silences it). */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}
