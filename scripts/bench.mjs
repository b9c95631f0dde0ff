#!/usr/bin/env node
// `npm run bench`: how fast drill itself is, on a shared machine whose load comes and goes.
//
// Start-up is measured against Node's own: each round runs `node -e ''`, `drill --version`,
// `node -e ''` again and `drill list`, so every drill run has a baseline run next to it under the
// same load, and the figure is the median over the rounds of drill's time divided by its
// neighbour's. Targets: `--version` ≤ 1.3x, `list` ≤ 1.6x.
//
// A check's overhead is what drill adds around the hidden suite: the wall time of a real
// `drill check` against the reference solution of practice 03, minus the time its tests ran (the
// sum of their durations, as `drill check --json` reports them): starting the server, waiting
// for it, starting Vitest, recording, the git snapshot.
//
// `node scripts/bench.mjs --rounds 60 --checks 9` for more runs; `--startup-only` skips the
// checks (they need the Python environment: scripts/python-env.sh). Not a test: the numbers
// depend on the machine.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "bin", "drill.js");
const venv = process.env.DRILL_TEST_VENV ?? join(root, ".venv");
const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "40" },
    checks: { type: "string", default: "5" },
    "startup-only": { type: "boolean", default: false },
  },
});
const ROUNDS = Number(values.rounds);
const CHECK_RUNS = Number(values.checks);
const TARGETS = { version: 1.3, list: 1.6 };

function quantile(numbers, q) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low);
}
const median = (numbers) => quantile(numbers, 0.5);

function timed(args, env = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env: { ...process.env, CI: "true", FORCE_COLOR: "0", ...env }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

function mustPass(run, what) {
  if (run.status !== 0) throw new Error(`${what} exited with ${run.status}:\n${run.output}`);
  return run;
}

const home = mkdtempSync(join(tmpdir(), "drill-bench-home-"));
const workspace = join(mkdtempSync(join(tmpdir(), "drill-bench-")), "ws");
const lines = [];
try {
  // Start-up: the record is empty (DRILL_HOME is a fresh folder), so `list` reads the practices only.
  const env = { DRILL_HOME: home };
  const baseline = () => timed(["-e", ""]).ms;
  const drill = (...args) => mustPass(timed([cli, ...args], env), `drill ${args.join(" ")}`).ms;
  for (let i = 0; i < 3; i++) {
    // Warm the file cache.
    baseline();
    drill("--version");
    drill("list");
  }
  const ratios = { version: [], list: [] };
  const ms = { baseline: [], version: [], list: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const command of ["version", "list"]) {
      const base = baseline();
      const own = command === "version" ? drill("--version") : drill("list");
      ms.baseline.push(base);
      ms[command].push(own);
      ratios[command].push(own / base);
    }
  }
  const cores = execFileSync("nproc", { encoding: "utf8" }).trim();
  const load = execFileSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).split(" ").slice(0, 3).join(" ");
  lines.push(`machine: ${cores} cores, load ${load}, node ${process.version}`);
  lines.push(`node -e ''         median ${median(ms.baseline).toFixed(0)} ms (the baseline, ${ms.baseline.length} runs)`);
  for (const command of ["version", "list"]) {
    const r = ratios[command];
    const verdict = median(r) <= TARGETS[command] ? "ok" : "OVER";
    lines.push(
      `drill ${command === "version" ? "--version" : "list     "}    ${median(r).toFixed(2)}x node -e '' (middle half ${quantile(r, 0.25).toFixed(2)}-${quantile(r, 0.75).toFixed(2)}x; median ${median(ms[command]).toFixed(0)} ms over ${ROUNDS} runs) target ≤ ${TARGETS[command]}x: ${verdict}`,
    );
  }
  console.log(lines.join("\n"));

  if (!values["startup-only"]) {
    if (!existsSync(join(venv, "bin", "python"))) throw new Error(`no Python environment at ${venv}: run scripts/python-env.sh first`);
    mustPass(timed([cli, "start", "03", "--dir", workspace], env), "drill start");
    cpSync(join(root, "reference-solutions", "03-api-security"), workspace, { recursive: true });
    symlinkSync(venv, join(workspace, ".venv"));
    const check = () => {
      const run = mustPass(timed([cli, "check", "--dir", workspace, "--json"], env), "drill check against the reference");
      const tests = JSON.parse(run.stdout).tests.reduce((sum, test) => sum + test.durationMs, 0);
      return { wall: run.ms, tests, overhead: run.ms - tests };
    };
    check(); // the first check compiles the workspace's Python; a learner's later checks do not
    const checks = Array.from({ length: CHECK_RUNS }, check);
    const wall = median(checks.map((c) => c.wall));
    const tests = median(checks.map((c) => c.tests));
    const overhead = checks.map((c) => c.overhead);
    console.log(
      `drill check (reference 03) ${(wall / 1000).toFixed(2)} s, of which tests ${(tests / 1000).toFixed(2)} s: overhead ${(median(overhead) / 1000).toFixed(2)} s (${(Math.min(...overhead) / 1000).toFixed(2)}-${(Math.max(...overhead) / 1000).toFixed(2)} s; medians over ${CHECK_RUNS} runs)`,
    );
  }
} finally {
  rmSync(home, { recursive: true, force: true });
  rmSync(dirname(workspace), { recursive: true, force: true });
}
