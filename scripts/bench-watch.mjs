#!/usr/bin/env node
// How fast a save becomes feedback in the countdown: the time from writing a Python file in a
// workspace to the first requirement's verdict on the board, through the countdown's own
// controller (watcher, debounce, failing-first, runCheck) with the terminal left out. Practice
// 03's reference with one bug (so the attempt stays open): the first save runs the full suite,
// later saves re-run the failing requirement first. Not a test: the numbers depend on the
// machine. The goal is the server's start plus one second.
// Usage: npm run build && node --import tsx scripts/bench-watch.mjs [RUNS] (the controller is
// loaded from src/ through tsx: the bundle in dist/ exports only the CLI). npm run bench runs it.
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync, symlinkSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "bin", "drill.js");
const venv = process.env.DRILL_TEST_VENV ?? join(root, ".venv");
const RUNS = Number(process.argv[2] ?? 5);
const MUTANT = "one-bucket-for-all-keys";

if (!existsSync(join(venv, "bin", "python"))) {
  console.error(`no Python environment at ${venv}: run scripts/python-env.sh first`);
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), "drill-bench-home-"));
const workspace = join(mkdtempSync(join(tmpdir(), "drill-bench-")), "ws");
process.env.DRILL_HOME = home;

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const at = (/** @type {number} */ i) => sorted[i] ?? Number.NaN;
  return sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

try {
  const start = spawnSync(process.execPath, [cli, "start", "03", "--dir", workspace, "--timer", "60"], {
    env: { ...process.env, CI: "true" },
    encoding: "utf8",
  });
  if (start.status !== 0) throw new Error(`drill start failed:\n${start.stdout}${start.stderr}`);
  const { resolvePractice } = await import(join(root, "src/core/catalog/practices.ts"));
  const { applyMutant, loadMutants } = await import(join(root, "src/core/modes/break.ts"));
  const { readHistory } = await import(join(root, "src/core/record/sessions.ts"));
  const { Cockpit } = await import(join(root, "src/actions/cockpit.ts"));
  const practice = resolvePractice("03");
  cpSync(practice.referenceDir, workspace, { recursive: true, filter: (src) => !src.endsWith("key-blocks.json") });
  applyMutant(
    workspace,
    loadMutants(practice).find((/** @type {{ id: string }} */ m) => m.id === MUTANT),
  );
  if (!existsSync(join(workspace, ".venv"))) symlinkSync(venv, join(workspace, ".venv"));
  const sessionId = readHistory().activeSessionId;

  // The host the terminal would be: here it only watches the board change.
  let onChange = () => undefined;
  const cockpit = new Cockpit(
    { kind: "session", sessionId },
    {
      changed: () => onChange(),
      bell: () => undefined,
      page: () => undefined,
      end: (/** @type {{ error?: unknown }} */ { error }) => error && console.error(error),
    },
    { watch: true },
  );
  await cockpit.start();
  // Let the watcher finish its first scan.
  await new Promise((r) => setTimeout(r, 1500));

  /** Saves a file, and resolves with the ms to the first verdict and to the end of the check(s). */
  const save = () =>
    new Promise((resolve) => {
      /** @type {number | undefined} */
      let firstVerdict;
      let sawRunning = false;
      const savedAt = performance.now();
      // A verdict: a row that was marked running during this check now has its result.
      onChange = () => {
        const { board, check } = cockpit.state;
        if (check.phase === "running" || check.phase === "starting") sawRunning = true;
        const running = board.filter((/** @type {{ mark: string }} */ row) => row.mark === "running").length;
        if (firstVerdict === undefined && check.phase === "running" && running < expected) firstVerdict = performance.now() - savedAt;
        if (running > 0) expected = Math.max(expected, running);
      };
      let expected = 0;
      // The queue may run a second check after the first: done when nothing runs for a moment.
      const poll = setInterval(() => {
        if (sawRunning && !cockpit.checking) {
          clearInterval(poll);
          onChange = () => undefined;
          resolve({ firstVerdict: firstVerdict ?? Number.NaN, total: performance.now() - savedAt, lastRun: cockpit.state.lastRun });
        }
      }, 50);
      appendFileSync(join(workspace, "app", "main.py"), "\n");
    });

  const full = await save();
  const failingFirst = [];
  for (let i = 0; i < RUNS; i++) failingFirst.push(await save());
  await cockpit.stop();

  const serverStart = spawnSync(process.execPath, [cli, "check", "--dir", workspace], {
    env: { ...process.env, CI: "true" },
    encoding: "utf8",
  });
  const ready = /server ready at \S+ \(([\d.]+) s\)/.exec(`${serverStart.stdout}`)?.[1];
  console.log(`save -> first verdict, full suite (first save):     ${(full.firstVerdict / 1000).toFixed(2)} s (${full.lastRun})`);
  console.log(
    `save -> first verdict, failing-first (later saves): median ${(median(failingFirst.map((r) => r.firstVerdict)) / 1000).toFixed(2)} s over ${RUNS} saves (${failingFirst.at(-1)?.lastRun})`,
  );
  console.log(`the server's start in a check:                      ${ready ?? "?"} s (goal: save -> first verdict within this + 1 s)`);
} finally {
  rmSync(home, { recursive: true, force: true });
  rmSync(dirname(workspace), { recursive: true, force: true });
}
