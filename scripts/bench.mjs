#!/usr/bin/env node
// `npm run bench`: how fast drill itself is. Prints the median of `drill --version` start-up and
// of a full `drill check` against the reference solution of practice 03. Not a test: numbers
// depend on the machine; the targets are start-up < 100 ms and check < 4 s on 2 cores.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = join(root, "bin", "drill.js");
const venv = process.env.DRILL_TEST_VENV ?? join(root, ".venv");
const STARTUP_RUNS = 15;
const CHECK_RUNS = 5;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timed(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, CI: "true", ...env }, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, status: result.status, output: `${result.stdout}${result.stderr}` };
}

if (!existsSync(join(venv, "bin", "python"))) {
  console.error(`no Python environment at ${venv}: run scripts/python-env.sh first`);
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), "drill-bench-home-"));
const workspace = join(mkdtempSync(join(tmpdir(), "drill-bench-")), "ws");
try {
  const startup = [];
  timed(["--version"]); // warm the file cache
  for (let i = 0; i < STARTUP_RUNS; i++) startup.push(timed(["--version"]).ms);

  const start = timed(["start", "03", "--dir", workspace], { DRILL_HOME: home });
  if (start.status !== 0) throw new Error(`drill start failed:\n${start.output}`);
  cpSync(join(root, "reference-solutions", "03-api-security"), workspace, { recursive: true });
  symlinkSync(venv, join(workspace, ".venv"));
  const checks = [];
  for (let i = 0; i < CHECK_RUNS; i++) {
    const run = timed(["check", "--dir", workspace], { DRILL_HOME: home });
    if (run.status !== 0) throw new Error(`drill check did not pass against the reference:\n${run.output}`);
    checks.push(run.ms);
  }

  const cores = execFileSync("nproc", { encoding: "utf8" }).trim();
  console.log(`machine: ${cores} cores, node ${process.version}`);
  console.log(`drill --version            median ${median(startup).toFixed(0)} ms over ${STARTUP_RUNS} runs (target < 100 ms)`);
  console.log(`drill check (reference 03) median ${(median(checks) / 1000).toFixed(2)} s over ${CHECK_RUNS} runs (target < 4 s)`);
} finally {
  rmSync(home, { recursive: true, force: true });
  rmSync(dirname(workspace), { recursive: true, force: true });
}
