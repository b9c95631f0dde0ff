// Starting, watching and stopping the learner's FastAPI server.
import { DrillError } from "../../system/errors.js";
import { newServerMarker, recordServer, SERVER_MARKER_VAR, stopStrayListeners } from "./leftovers.js";
import { OutputTail, spawnOwned, type OwnedProcess } from "./processes.js";

export const HOST = "127.0.0.1";
const POLL_INTERVAL_MS = 50;

export interface ServerSpec {
  /** argv; the first element is the program. */
  command: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  port: number;
  readyTimeoutMs: number;
}

export interface LearnerServer {
  baseUrl: string;
  port: number;
  output: OutputTail;
  process: OwnedProcess;
  /** In the server's environment (and so its children's): tells this check's processes from any other. */
  marker: string;
}

export async function startLearnerServer(spec: ServerSpec, output = new OutputTail()): Promise<LearnerServer> {
  const [program, ...args] = spec.command;
  if (!program) throw new DrillError("usage", "the server command is empty");
  const marker = newServerMarker();
  const child = spawnOwned(program, args, {
    cwd: spec.cwd,
    env: { ...spec.env, [SERVER_MARKER_VAR]: marker },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
  child.child.stderr?.on("data", (chunk: Buffer) => output.push(chunk, "err"));
  const spawnError = new Promise<Error>((resolve) => child.child.once("error", resolve));
  if (child.pid > 0) {
    // Until it has stopped, the workspace knows about it: if drill is killed, the next drill
    // command finds the record and stops what is left (leftovers.ts).
    const forget = recordServer(spec.cwd, { pid: child.pid, port: spec.port, marker, command: spec.command });
    void child.exited.then(forget);
  }
  const baseUrl = `http://${HOST}:${spec.port}`;
  const server: LearnerServer = { baseUrl, port: spec.port, output, process: child, marker };
  try {
    await waitForHealth(server, spec, spawnError);
  } catch (error) {
    await child.stop();
    // What it started outside its group before failing would hold the port for the next try.
    await stopStrayListeners(spec.port, marker, child.pid);
    throw error;
  }
  return server;
}

async function waitForHealth(server: LearnerServer, spec: ServerSpec, spawnError: Promise<Error>): Promise<void> {
  const deadline = Date.now() + spec.readyTimeoutMs;
  let failedSpawn: Error | undefined;
  void spawnError.then((error) => (failedSpawn = error));
  let lastAnswer = "no answer yet";
  while (Date.now() < deadline) {
    if (failedSpawn) {
      throw new DrillError("server-exited", `could not start the server: ${failedSpawn.message}`, {
        hint: `The command was: ${spec.command.join(" ")}`,
      });
    }
    if (server.process.hasExited()) throw exitedEarly(server, spec, await server.process.exited);
    try {
      const response = await fetch(`${server.baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      if (response.status === 200) return;
      lastAnswer = `GET /health answered ${response.status}`;
    } catch {
      lastAnswer = "GET /health got no answer";
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  throw new DrillError("server-not-ready", `the server did not become ready within ${spec.readyTimeoutMs / 1000} s (${lastAnswer})`, {
    hint: "drill waits for GET /health to answer 200. Does app/main.py serve it, and does start-up finish?",
    details: lastLines(server.output),
  });
}

function exitedEarly(server: LearnerServer, spec: ServerSpec, code: number | string): DrillError {
  const output = server.output.text();
  if (/address already in use|Errno 98|EADDRINUSE/i.test(output)) {
    return new DrillError("port-taken", `port ${spec.port} is already in use, so the server could not start`, {
      hint: "Stop whatever listens there (`lsof -i :PORT`), or let drill pick a free port by leaving out --port.",
      details: lastLines(server.output),
    });
  }
  return new DrillError("server-exited", `the server exited (code ${code}) before GET /health answered`, {
    hint: /ModuleNotFoundError|No module named/.test(output)
      ? "A module is missing: run `drill setup` to install the practice's requirements into .venv."
      : "Its last lines, shown above, usually name the problem.",
    details: lastLines(server.output),
  });
}

export function lastLines(output: OutputTail, count = 15): string {
  const text = output.text(count).trimEnd();
  return text ? text : "(the server printed nothing)";
}
