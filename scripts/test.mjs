#!/usr/bin/env node
// The project's test command (`npm test`): prepares the Python environment the gates use,
// builds the CLI, checks the import rules, runs every test, and ends with one plain line of totals.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** @param {string} command @param {string[]} args */
function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  return result.status ?? 1;
}

// `npm test -- --practice 03` runs only that practice's gates (repeatable: --practice 03 --practice 07).
const args = process.argv.slice(2);
const practices = [];
for (let i = args.indexOf("--practice"); i >= 0; i = args.indexOf("--practice")) {
  const [, value] = args.splice(i, 2);
  if (!value) {
    console.error("--practice needs an id, e.g. npm test -- --practice 03");
    process.exit(2);
  }
  practices.push(value);
}
if (practices.length) {
  process.env.DRILL_GATES_PRACTICES = practices.join(",");
  args.unshift("test/gates.test.ts");
}

if (run("bash", ["scripts/python-env.sh"]) !== 0) process.exit(1);
// Style kept by tools: Biome's formatter and linter over every TypeScript and JSON file (biome.json).
if (run("npx", ["biome", "check", "."]) !== 0) process.exit(1);
// Unused files, exports and dependencies (knip.json names the entry points: CLI, suites, scripts, tests).
if (run("npx", ["knip"]) !== 0) process.exit(1);
// The CLI bundle the end-to-end tests and the gates run (scripts/build.mjs).
if (run("node", ["scripts/build.mjs"]) !== 0) process.exit(1);
// Every TypeScript folder type-checked, not only what is built: hidden suites, harness, tests.
if (run("npx", ["tsc", "-p", "tsconfig.json", "--noEmit"]) !== 0) process.exit(1);
// The import rules (.dependency-cruiser.cjs): a layer crossed fails the run before any test.
if (run("npx", ["depcruise", "src", "--config", ".dependency-cruiser.cjs", "--output-type", "err"]) !== 0) process.exit(1);

const reportDir = mkdtempSync(join(tmpdir(), "drill-test-report-"));
const report = join(reportDir, "vitest.json");
const status = run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args]);

let totals = "0 passed, 1 failed";
try {
  const json = JSON.parse(readFileSync(report, "utf8"));
  const skipped = json.numPendingTests + json.numTodoTests;
  totals = `${json.numPassedTests} passed, ${json.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`;
} catch {
  // No report: Vitest itself failed to start; the line above says so.
}
rmSync(reportDir, { recursive: true, force: true });
console.log(totals);
process.exit(status);
