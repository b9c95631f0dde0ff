// The check loop: start the learner's server (or use --url), wait for /health, run the hidden
// suite against it, always stop the server, and sum up the verdict per requirement.
import { DrillError } from "../../system/errors.js";
import { requirementOf, runHiddenSuite, type SuiteRun, type TestResult } from "./hidden-suite.js";
import { HOST, lastLines, startLearnerServer, type LearnerServer, type ServerSpec } from "./learner-server.js";
import { reapLeftoverServers, stopStrayListeners } from "./leftovers.js";
import { assertCheckableUrl, assertReachablePort, refusal } from "../options.js";
import { canConnect, freePort, isPortFree } from "./ports.js";
import type { Practice } from "../catalog/practices.js";
import { OutputTail } from "./processes.js";
import { pythonForWorkspace } from "../workspace/python.js";
import type { RequirementStatus } from "../record/history.js";
import { readWorkspaceConfig } from "../workspace/workspace.js";
import { startControlServer } from "./control-server.js";
import { prepareServices, serviceSources, type ServiceLine } from "./services.js";

/** One hash seed for every learner server, so one solution gets one verdict (set order, dict of sets, ...). */
export const PYTHON_HASH_SEED = "0";

export interface CheckOptions {
  practice: Practice;
  workspace: string;
  /** Test a server that is already running instead of starting one. */
  url?: string;
  /** Start the server on this port instead of a free one. */
  port?: number;
  /** Run only these requirements (ids as in the spec); the outcome then holds only them. */
  only?: readonly string[];
  /** The environment the server and suite inherit (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  /** Which services the server gets (shown before it starts). */
  onServices?: (lines: ServiceLine[]) => void;
  onServerStarting?: (command: string[]) => void;
  onServerReady?: (baseUrl: string, ms: number) => void;
  onPlanned?: (names: string[]) => void;
  onResult?: (result: TestResult) => void;
}

export interface CheckOutcome {
  mode: "managed" | "url";
  baseUrl: string;
  /** The services the server got (empty under --url: drill did not start it). */
  services: ServiceLine[];
  run: SuiteRun;
  /** Verdict per requirement id, in the suite's order. */
  requirements: Record<string, RequirementStatus>;
  passed: number;
  failed: number;
  skipped: number;
  /** Set when drill's server exited while the suite ran. */
  serverExit?: { code: number | string; output: string };
  /**
   * One line each for processes drill had to stop beyond the server's own process group: a
   * child that left the group (setsid) and kept listening on the server's port, a server left
   * running by an earlier drill that was killed. Empty when there was nothing to clean up.
   */
  cleanupNotes: string[];
  durationMs: number;
}

/** Builds the argv that starts the learner's server (also `drill serve`'s, so a replay runs what a check ran). */
export async function serverCommand(workspace: string, port: number): Promise<string[]> {
  const config = readWorkspaceConfig(workspace);
  const { python } = await pythonForWorkspace(workspace);
  const template = config.command ?? ["{python}", "-m", "uvicorn", "app.main:app", "--host", "{host}", "--port", "{port}"];
  return template.map((arg) => arg.replaceAll("{python}", python).replaceAll("{host}", HOST).replaceAll("{port}", String(port)));
}

export async function runCheck(options: CheckOptions): Promise<CheckOutcome> {
  const started = Date.now();
  const { practice } = options;
  // Input that can never work is refused before anything runs (and so before anything is recorded).
  if (options.url) assertCheckableUrl(options.url);
  if (options.port !== undefined) assertReachablePort(options.port, "--port");
  const cleanupNotes = await reapLeftoverServers(options.workspace);
  const baseEnv = { ...(options.env ?? process.env), ...practice.env };
  // The workspace's folder: suites that review its files (practice 00's Dockerfile) read them there.
  const suiteEnv: NodeJS.ProcessEnv = { ...baseEnv, DRILL_WORKSPACE_DIR: options.workspace };
  const timeoutMs = practice.checkTimeoutSeconds * 1000;

  if (options.url) {
    await assertAnswers(options.url);
    const run = await runHiddenSuite({
      suitePath: practice.suitePath,
      env: { ...suiteEnv, DRILL_BASE_URL: options.url },
      timeoutMs,
      ...hooks(options),
    });
    return summarise("url", options.url, [], run, started, cleanupNotes);
  }

  const port = options.port ?? (await freePort(HOST));
  if (options.port !== undefined && !(await isPortFree(options.port, HOST))) {
    throw new DrillError("port-taken", `port ${options.port} is already in use on ${HOST}`, {
      hint: "Stop whatever listens there, pick another --port, or leave --port out and drill picks a free one.",
    });
  }
  const output = new OutputTail();
  const services = await prepareServices(practice, serviceSources(baseEnv, readWorkspaceConfig(options.workspace).services));
  options.onServices?.(services.lines);
  const serverEnv = { ...baseEnv, ...services.env, HOST, PORT: String(port), PYTHONUNBUFFERED: "1", PYTHONHASHSEED: PYTHON_HASH_SEED };
  const spec = async (extraEnv: Record<string, string> = {}): Promise<ServerSpec> => ({
    command: await serverCommand(options.workspace, port),
    cwd: options.workspace,
    env: { ...serverEnv, ...extraEnv },
    port,
    readyTimeoutMs: practice.readyTimeoutSeconds * 1000,
  });
  // Stops the server's process group, then anything of the server's that left the group and
  // still holds the port (it would answer the next check, or keep the port taken).
  const stopServer = async (server: LearnerServer) => {
    await server.process.stop();
    cleanupNotes.push(...(await stopStrayListeners(server.port, server.marker, server.process.pid)));
  };

  let server: LearnerServer;
  try {
    const first = await spec();
    options.onServerStarting?.(first.command);
    server = await startLearnerServer(first, output);
  } catch (error) {
    await services.release();
    throw error;
  }
  options.onServerReady?.(server.baseUrl, Date.now() - started);

  const control = await startControlServer({
    restart: async (env) => {
      await stopServer(server);
      output.push(`\n--- restarted by the hidden suite ---\n`);
      server = await startLearnerServer(await spec(env), output);
    },
    output: () => output.text(),
  });
  let controlOpen = true;
  try {
    const run = await runHiddenSuite({
      suitePath: practice.suitePath,
      env: { ...suiteEnv, ...services.env, DRILL_BASE_URL: server.baseUrl, DRILL_CONTROL_URL: control.url },
      timeoutMs,
      ...hooks(options),
    });
    const serverExit = server.process.hasExited() ? { code: await server.process.exited, output: lastLines(output) } : undefined;
    controlOpen = false;
    await control.close();
    await stopServer(server);
    const outcome = summarise("managed", server.baseUrl, services.lines, run, started, cleanupNotes);
    if (serverExit) outcome.serverExit = serverExit;
    return outcome;
  } finally {
    if (controlOpen) await control.close();
    await server.process.stop();
    await services.release();
  }
}

/** Under --url: something must accept connections there, or the suite would only time out. */
async function assertAnswers(baseUrl: string): Promise<void> {
  const url = new URL(baseUrl);
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const result = await canConnect(host, port, 3000);
  if (!result.ok) {
    throw refusal(
      "server-unreachable",
      `nothing answers at ${baseUrl} (${result.reason}), so there is no server to check`,
      "Start your server first (and wait until it is up), or leave --url out and drill starts it for you.",
    );
  }
}

function hooks(options: CheckOptions) {
  return {
    ...(options.only?.length ? { only: options.only } : {}),
    ...(options.onPlanned ? { onPlanned: options.onPlanned } : {}),
    ...(options.onResult ? { onResult: options.onResult } : {}),
  };
}

function summarise(
  mode: "managed" | "url",
  baseUrl: string,
  services: ServiceLine[],
  run: SuiteRun,
  started: number,
  cleanupNotes: string[],
): CheckOutcome {
  if (run.planned.length === 0 && run.results.length === 0) {
    throw new DrillError(
      run.timedOut ? "check-timeout" : "suite-failed",
      run.timedOut ? "the hidden suite did not start within the check's time limit" : "the hidden suite could not run",
      {
        details: [...run.errors, run.output].filter(Boolean).join("\n").trim() || undefined,
        hint: "This is drill's own fault, not yours: please report it with the lines above.",
      },
    );
  }
  const requirements: Record<string, RequirementStatus> = {};
  const byName = new Map(run.results.map((r) => [r.name, r]));
  // Tests that never reported (the time limit stopped the suite) count as failed.
  for (const name of run.planned) {
    if (!byName.has(name)) {
      const missing: TestResult = {
        name,
        requirement: requirementOf(name),
        state: "failed",
        durationMs: 0,
        errors: [run.timedOut ? "not run: the check's time limit ran out first" : "not run"],
        exchanges: [],
      };
      run.results.push(missing);
      byName.set(name, missing);
    }
  }
  for (const result of run.results) {
    const current = requirements[result.requirement];
    if (current === "failed" || result.state === "failed") requirements[result.requirement] = "failed";
    else if (current === "skipped" || result.state === "skipped") requirements[result.requirement] = "skipped";
    else requirements[result.requirement] = "passed";
  }
  const values = Object.values(requirements);
  return {
    mode,
    baseUrl,
    services,
    run,
    requirements,
    passed: values.filter((v) => v === "passed").length,
    failed: values.filter((v) => v === "failed").length,
    skipped: values.filter((v) => v === "skipped").length,
    cleanupNotes,
    durationMs: Date.now() - started,
  };
}
