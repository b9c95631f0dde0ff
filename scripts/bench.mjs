#!/usr/bin/env node
// `npm run bench`: how fast drill itself is, on a shared machine whose load comes and goes.
//
// Start-up is measured against Node's own: runs alternate `node -e ''`, `drill --version`,
// `node -e ''`, `drill list`, ..., so every drill run sits between two baseline runs under the
// same load, and its ratio is its time over the mean of those two. The figure is the median of
// the ratios, with its 95% confidence interval (from the order statistics); rounds go on, past a
// minimum, until both intervals are within ±0.03 or the time budget is spent. Targets:
// `--version` ≤ 1.3x, `list` ≤ 1.6x.
//
// A check's overhead is what drill adds around the hidden suite: the wall time of a real
// `drill check` against the reference solution of practice 03, minus the time its tests ran (the
// sum of their durations, as `drill check --json` reports them): starting the server, waiting
// for it, starting Vitest, recording, the git snapshot.
//
// Options: --min-rounds 30, --max-rounds 200, --budget 180 (seconds for start-up), --checks 5,
// --startup-only (the checks need the Python environment: scripts/python-env.sh). Not a test:
// the numbers depend on the machine.
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
    "min-rounds": { type: "string", default: "30" },
    "max-rounds": { type: "string", default: "200" },
    budget: { type: "string", default: "180" },
    checks: { type: "string", default: "5" },
    "startup-only": { type: "boolean", default: false },
  },
});
const MIN_ROUNDS = Number(values["min-rounds"]);
const MAX_ROUNDS = Number(values["max-rounds"]);
const BUDGET_MS = Number(values.budget) * 1000;
const CHECK_RUNS = Number(values.checks);
const TARGETS = { version: 1.3, list: 1.6 };
const PRECISION = 0.03;

/** @param {number[]} numbers @param {number} q */
function quantile(numbers, q) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const below = sorted[low] ?? Number.NaN;
  return below + ((sorted[Math.ceil(at)] ?? below) - below) * (at - low);
}
const median = (/** @type {number[]} */ numbers) => quantile(numbers, 0.5);

/** The 95% confidence interval of the median: the order statistics n/2 ± 0.98·√n. */
/** @param {number[]} numbers @returns {[number, number]} */
function medianInterval(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const k = Math.max(0, Math.floor((sorted.length - 1.96 * Math.sqrt(sorted.length)) / 2));
  return [sorted[k] ?? Number.NaN, sorted[sorted.length - 1 - k] ?? Number.NaN];
}

/** @param {string[]} args @param {Record<string, string>} env */
function timed(args, env = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env: { ...process.env, CI: "true", FORCE_COLOR: "0", ...env }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: result.status, stdout: result.stdout, output: `${result.stdout}${result.stderr}` };
}

/** @param {ReturnType<typeof timed>} run @param {string} what */
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
  const drill = (/** @type {string[]} */ ...args) => mustPass(timed([cli, ...args], env), `drill ${args.join(" ")}`).ms;
  for (let i = 0; i < 3; i++) {
    // Warm the file cache.
    baseline();
    drill("--version");
    drill("list");
  }
  /** @type {Record<"version" | "list", number[]>} */
  const ratios = { version: [], list: [] };
  /** @type {Record<"baseline" | "version" | "list", number[]>} */
  const ms = { baseline: [baseline()], version: [], list: [] };
  const settled = () =>
    Object.values(ratios).every((r) => {
      const [low, high] = medianInterval(r);
      return high - low <= 2 * PRECISION;
    });
  const started = Date.now();
  let rounds = 0;
  while (rounds < MIN_ROUNDS || (rounds < MAX_ROUNDS && Date.now() - started < BUDGET_MS && !settled())) {
    for (const command of /** @type {const} */ (["version", "list"])) {
      const before = ms.baseline.at(-1) ?? baseline();
      const own = command === "version" ? drill("--version") : drill("list");
      const after = baseline();
      ms.baseline.push(after);
      ms[command].push(own);
      ratios[command].push(own / ((before + after) / 2));
    }
    rounds++;
  }
  const cores = execFileSync("nproc", { encoding: "utf8" }).trim();
  const load = execFileSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).split(" ").slice(0, 3).join(" ");
  lines.push(`machine: ${cores} cores, load ${load}, node ${process.version}`);
  lines.push(`node -e ''         median ${median(ms.baseline).toFixed(0)} ms (the baseline, ${ms.baseline.length} runs)`);
  if (!settled()) lines.push(`(the intervals are wider than ±${PRECISION}: the time or round limit came first; the machine is busy)`);
  for (const command of /** @type {const} */ (["version", "list"])) {
    const r = ratios[command];
    const [low, high] = medianInterval(r);
    const verdict = median(r) <= TARGETS[command] ? "ok" : "OVER";
    lines.push(
      `drill ${command === "version" ? "--version" : "list     "}    ${median(r).toFixed(2)}x node -e '' (95% interval ${low.toFixed(2)}-${high.toFixed(2)}x; median ${median(ms[command]).toFixed(0)} ms over ${rounds} runs) target ≤ ${TARGETS[command]}x: ${verdict}`,
    );
  }
  console.log(lines.join("\n"));

  // A server that prints one 50 MB line: the output tail must stay linear (tests assert what makes
  // it so; the time is measured here). tsx loads the source, as the tests do.
  const tail = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `import { OutputTail } from ${JSON.stringify(join(root, "src", "core", "check", "processes.ts"))};
       const tail = new OutputTail(200, 2000); const chunk = Buffer.alloc(64 * 1024, "x"); const t = performance.now();
       for (let sent = 0; sent < 50 * 1024 * 1024; sent += chunk.length) tail.push(chunk);
       tail.push("end\\n"); console.log((performance.now() - t).toFixed(0));`,
    ],
    { cwd: root, encoding: "utf8" },
  );
  console.log(`output tail, one 50 MB line: ${tail.status === 0 ? `${tail.stdout.trim()} ms` : `failed: ${tail.stderr}`}`);

  if (!values["startup-only"]) {
    if (!existsSync(join(venv, "bin", "python"))) throw new Error(`no Python environment at ${venv}: run scripts/python-env.sh first`);
    mustPass(timed([cli, "start", "03", "--dir", workspace], env), "drill start");
    cpSync(join(root, "reference-solutions", "03-api-security"), workspace, { recursive: true });
    symlinkSync(venv, join(workspace, ".venv"));
    const check = () => {
      const run = mustPass(timed([cli, "check", "--dir", workspace, "--json"], env), "drill check against the reference");
      const tests = JSON.parse(run.stdout).tests.reduce(
        (/** @type {number} */ sum, /** @type {{ durationMs: number }} */ test) => sum + test.durationMs,
        0,
      );
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
