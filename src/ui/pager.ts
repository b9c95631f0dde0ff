// Long text in the terminal: through the learner's PAGER (default `less`) when stdout is a
// terminal, else printed.
import { spawnSync } from "node:child_process";

/**
 * A command line split into argv the way a POSIX shell splits words: blanks separate, single
 * quotes keep everything, double quotes keep all but \" \\ \$ \`, a backslash escapes the next
 * character. `PAGER="less -R"` and `PAGER='"/opt/my pager" -x'` both work; no expansion is done.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i] ?? "";
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1] ?? "")) word += line[++i];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The pager's argv: $PAGER split as a shell would, else less (which reads its options from LESS). */
export function pagerCommand(env: NodeJS.ProcessEnv = process.env): string[] {
  const words = splitCommandLine(env.PAGER ?? "");
  return words.length ? words : ["less"];
}

export function page(text: string): void {
  if (process.stdout.isTTY) {
    const [program = "less", ...args] = pagerCommand();
    // As git does: less keeps colours (R), quits when it all fits (F) and leaves the text on
    // screen (X), unless the learner set LESS themselves.
    const env = { ...process.env, LESS: process.env.LESS ?? "FRX" };
    const result = spawnSync(program, args, { input: text, stdio: ["pipe", "inherit", "inherit"], env });
    if (!result.error && result.status === 0) return;
  }
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}
