// Runs one practice's hidden Vitest suite in a child process against a base URL, and turns the
// reporter's event lines into results as they arrive.
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { HIDDEN_TESTS_DIR } from "../../system/paths.js";
import { LEADING_REQUIREMENT_ID } from "../catalog/requirement-id.js";
import { LineSplitter, OutputTail, spawnOwned } from "./processes.js";
import type { RequirementStatus } from "../record/history.js";
import { parseEventLine, type SuiteEvent } from "./suite-events.js";

export interface TestResult {
  /** The test's full name, starting with its requirement id. */
  name: string;
  requirement: string;
  state: RequirementStatus;
  durationMs: number;
  errors: string[];
  exchanges: string[];
  note?: string;
  /** Set when the server had stopped answering altogether: the requirement at which it stopped. */
  stalledAt?: string;
}

export interface SuiteRun {
  planned: string[];
  results: TestResult[];
  /** Errors outside any test (a suite that fails to load, an unhandled rejection). */
  errors: string[];
  /** True when the suite was stopped by the time limit. */
  timedOut: boolean;
  /** Vitest's own output other than events, for diagnosing a broken run. */
  output: string;
}

export interface SuiteOptions {
  suitePath: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Run only the tests of these requirement ids (the rest are neither run nor reported). */
  only?: readonly string[] | undefined;
  onPlanned?: (names: string[]) => void;
  onResult?: (result: TestResult) => void;
}

function vitestEntry(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("vitest/package.json")), "vitest.mjs");
}

export function requirementOf(testName: string): string {
  return LEADING_REQUIREMENT_ID.exec(testName)?.[0] ?? testName;
}

/**
 * Vitest's name filter for these requirement ids. It is matched against the full name (describe
 * titles, a space, the test's name), so an id must start the name or follow a space; `R03.1`
 * never matches `R03.10`.
 */
export function onlyPattern(ids: readonly string[]): string {
  return `(?:^|\\s)(?:${ids.map((id) => id.replace(".", "\\.")).join("|")})(?![0-9])`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this strips
const ANSI = /\u001b\[[0-9;]*m/g;

export async function runHiddenSuite(options: SuiteOptions): Promise<SuiteRun> {
  const run: SuiteRun = { planned: [], results: [], errors: [], timedOut: false, output: "" };
  const other = new OutputTail(80);
  const child = spawnOwned(
    process.execPath,
    [
      vitestEntry(),
      "run",
      "--root",
      dirname(options.suitePath),
      "--config",
      join(HIDDEN_TESTS_DIR, "vitest.config.mjs"),
      // A plain import: the default loader bundles the config into a temporary file in drill's
      // own node_modules, which a learner cannot write to under a global install by root.
      "--configLoader",
      "native",
      "--reporter",
      join(HIDDEN_TESTS_DIR, "harness", "reporter.ts"),
      ...(options.only?.length ? ["--testNamePattern", onlyPattern(options.only)] : []),
      basename(options.suitePath),
    ],
    {
      cwd: dirname(options.suitePath),
      env: { ...options.env, NO_COLOR: "1", FORCE_COLOR: "0", CI: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  // Event lines carry reviewer notes with bounded bodies; anything longer is not an event.
  const stdout = new LineSplitter(4 * 1024 * 1024);
  child.child.stdout?.on("data", (chunk: Buffer) => {
    for (const line of stdout.push(chunk)) handleLine(line);
  });
  child.child.stderr?.on("data", (chunk: Buffer) => other.push(chunk));

  // Runs inside a stream's data handler: nothing here may throw (a throw there would take drill
  // down), so a broken event, or a callback that fails, becomes a suite error instead.
  function handleLine(line: string): void {
    const parsed = parseEventLine(line);
    if (parsed.kind === "output") {
      other.push(`${line}\n`);
      return;
    }
    if (parsed.kind === "malformed") {
      run.errors.push(`drill's reporter sent ${parsed.problem}`);
      return;
    }
    try {
      handleEvent(parsed.event);
    } catch (error) {
      run.errors.push(`drill could not take in a suite event: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // Under --only, Vitest still reports the tests it left out, as skipped: they are no verdict.
  const wanted = (name: string) => !options.only?.length || options.only.includes(requirementOf(name));

  function handleEvent(event: SuiteEvent): void {
    if (event.type === "planned") {
      const tests = event.tests.filter(wanted);
      run.planned.push(...tests);
      options.onPlanned?.(tests);
    } else if (event.type === "result") {
      if (!wanted(event.name)) return;
      const result: TestResult = {
        name: event.name,
        requirement: requirementOf(event.name),
        state: event.state === "passed" ? "passed" : event.state === "skipped" ? "skipped" : "failed",
        durationMs: event.durationMs,
        errors: (event.errors ?? []).map((e) => e.replace(ANSI, "")),
        exchanges: event.exchanges ?? [],
        ...(event.note !== undefined ? { note: event.note } : {}),
        ...(event.stalledAt !== undefined ? { stalledAt: event.stalledAt } : {}),
      };
      run.results.push(result);
      options.onResult?.(result);
    } else if (event.type === "error") {
      run.errors.push(event.message.replace(ANSI, ""));
    }
  }

  const timer = setTimeout(() => {
    run.timedOut = true;
    void child.stop(500);
  }, options.timeoutMs);
  await child.exited;
  clearTimeout(timer);
  const rest = stdout.partial();
  if (rest) handleLine(rest);
  await child.stop();
  run.output = other.text().replace(ANSI, "");
  return run;
}
