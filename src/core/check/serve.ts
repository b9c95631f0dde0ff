// `drill serve`: the learner's server started exactly as a check starts it (same command, same
// knobs from drill.json, same services, same hash seed), but on a fixed port that stays up, so
// every curl a report prints can be replayed as printed.
import { DrillError } from "../../system/errors.js";
import type { Practice } from "../catalog/practices.js";
import { readWorkspaceConfig } from "../workspace/workspace.js";
import { HOST, startLearnerServer, type LearnerServer } from "./learner-server.js";
import { reapLeftoverServers } from "./leftovers.js";
import { isPortFree } from "./ports.js";
import type { OutputTail } from "./processes.js";
import { PYTHON_HASH_SEED, serverCommand } from "./run-check.js";
import { prepareServices, serviceSources, type CheckServices } from "./services.js";

/** The port `drill serve` uses unless told otherwise: stable per practice (8001 for 01, 8010 for 10). */
export function servePort(practice: Pick<Practice, "id">): number {
  return 8000 + Number(practice.id);
}

export interface ServeOptions {
  practice: Practice;
  workspace: string;
  port: number;
  /** Receives everything the server prints (the caller streams it). */
  output: OutputTail;
  env?: NodeJS.ProcessEnv;
  onServices?: (services: CheckServices) => void;
  onServerStarting?: (command: string[]) => void;
}

export interface ServedServer {
  server: LearnerServer;
  services: CheckServices;
  /** Notes about servers of an earlier, killed drill that were stopped first. */
  cleanupNotes: string[];
}

/**
 * Starts the server and waits for GET /health. Stopping it is the caller's (server.process.stop,
 * then services.release); Ctrl-C stops both through the signal handlers every owned process and
 * registered cleanup already has.
 */
export async function startServe(options: ServeOptions): Promise<ServedServer> {
  const { practice, workspace, port } = options;
  const cleanupNotes = await reapLeftoverServers(workspace);
  if (!(await isPortFree(port, HOST))) {
    throw new DrillError("port-taken", `port ${port} is already in use on ${HOST}, so drill serve cannot start your server there`, {
      hint: "Stop whatever listens there (an earlier drill serve?), or pick another port with --port.",
    });
  }
  const baseEnv = { ...(options.env ?? process.env), ...practice.env };
  const services = await prepareServices(practice, serviceSources(baseEnv, readWorkspaceConfig(workspace).services));
  options.onServices?.(services);
  try {
    const command = await serverCommand(workspace, port);
    options.onServerStarting?.(command);
    const server = await startLearnerServer(
      {
        command,
        cwd: workspace,
        env: { ...baseEnv, ...services.env, HOST, PORT: String(port), PYTHONUNBUFFERED: "1", PYTHONHASHSEED: PYTHON_HASH_SEED },
        port,
        readyTimeoutMs: practice.readyTimeoutSeconds * 1000,
      },
      options.output,
    );
    return { server, services, cleanupNotes };
  } catch (error) {
    await services.release();
    throw error;
  }
}
