// What every `--help` ends with: examples, and where the command sits in the learner's loop.
// Commands whose own file adds their examples (check, hint, serve, diff, completion) are not
// listed here; any other command gets these, so a command added later without examples is
// caught by the CLI test that reads every --help.

/** The loop every practice follows, shown under every --help. */
export const FLOW = `The loop: start → build → check
  drill start 03     start: a workspace, its spec, the countdown
  (your editor)      build: write app/ until the spec is met
  drill check        check: your server against the hidden suite, recorded
  drill hint         stuck: the hint for what fails; drill serve to replay a curl
  drill diff         green: your files beside the reference solution`;

const EXAMPLES: Record<string, string[]> = {
  list: ["drill list", "drill list --json"],
  start: ["drill start 03 --timer 60", "drill start --random", "drill start api-security --dir ~/drills/03"],
  setup: ["drill setup                # repair the workspace's .venv", "drill setup --dir ~/drills/03"],
  status: ["drill status", "drill status --json"],
  resume: ["drill resume               # the countdown again, after a closed terminal"],
  study: ["drill study 03", "drill study 03 --blocks-only"],
  break: ["drill break 03 --timer 15", "drill break                # the practice of your last passing check"],
  "fire-drill": ["drill fire-drill --dir ~/fire-drill"],
  mock: ["drill mock 01               # the 5.5-hour interview day on practice 01", "drill mock --dir ~/mock"],
  stats: ["drill stats", "drill stats --practice 03 --json"],
  plan: ["drill plan", "drill plan --days 4 --json", "drill plan --interview 2026-12-14 --daily-cap 2"],
  next: ["drill next", "drill next --json"],
  reset: ["drill reset                # archive this attempt, start the practice afresh", "drill reset 03"],
};

/** The text after a command's options: its examples (when listed here) and the loop. */
export function helpFooter(command: string): string {
  const examples = EXAMPLES[command];
  const block = examples ? `\nExamples:\n${examples.map((line) => `  ${line}`).join("\n")}\n` : "";
  return `${block}\n${FLOW}`;
}
