// `drill check --compose`: the learner's own stack, built and started with docker compose under a
// project name of drill's, its app reached on the port it publishes, and always taken down again
// (`down -v`: its containers, network and volumes), also when drill is interrupted.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { execa } from "execa";
import { DrillError } from "../../system/errors.js";
import { registerCleanup } from "../check/processes.js";
import { parseCompose } from "./compose-rules.js";
import { findComposeFile } from "./review.js";

/** How long the stack may take to build and start (an image build downloads packages). */
const UP_TIMEOUT_MS = 15 * 60_000;
/** How long the app may take to answer GET /health once its container runs. */
const HEALTH_TIMEOUT_MS = 60_000;

export interface ComposeStack {
  project: string;
  /** The app as the check reaches it: http://127.0.0.1:<published port>. */
  baseUrl: string;
  /** Takes the stack down (containers, network, volumes); safe to call twice. */
  down(): Promise<void>;
}

export interface ComposeProgress {
  onBuilding?: (project: string) => void;
  onWaiting?: (baseUrl: string) => void;
}

/** The service built from the folder (`build:`) and the container port it publishes. */
export function appService(composeText: string, file: string): { service: string; port: number } {
  const { data } = parseCompose(composeText);
  const services = (data as { services?: Record<string, { build?: unknown; ports?: unknown[] }> } | undefined)?.services ?? {};
  const built = Object.entries(services).find(([, spec]) => spec?.build !== undefined);
  if (!built) {
    throw new DrillError("usage", `${file} has no service built from this folder (build: .), so drill cannot tell which one is your app`);
  }
  const [service, spec] = built;
  for (const entry of spec.ports ?? []) {
    const port =
      typeof entry === "object" && entry !== null ? Number((entry as { target?: unknown }).target) : containerPort(String(entry));
    if (Number.isInteger(port) && port > 0) return { service, port };
  }
  throw new DrillError("usage", `the service "${service}" in ${file} publishes no port, so nothing outside compose can reach it`, {
    hint: 'Add ports: ["8000:8000"] to it.',
  });
}

/** "8000", "8000:8000", "127.0.0.1:8080:8000/tcp": the container's side is the last part. */
function containerPort(spec: string): number {
  return Number(spec.split("/")[0]?.split(":").at(-1));
}

async function compose(args: string[], cwd: string): Promise<{ ok: boolean; output: string }> {
  const result = await execa("docker", ["compose", ...args], { cwd, all: true, reject: false, timeout: UP_TIMEOUT_MS, stdin: "ignore" });
  return { ok: result.exitCode === 0 && !result.timedOut, output: result.all ?? "" };
}

function lastLines(output: string, count = 12): string {
  return output.trim().split("\n").slice(-count).join("\n");
}

async function answersHealth(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Builds and starts the stack in `dir`, and waits until its app answers GET /health. */
export async function upComposeStack(dir: string, progress: ComposeProgress = {}): Promise<ComposeStack> {
  const name = findComposeFile(dir);
  if (!name) throw new DrillError("usage", `${dir} has no compose file (docker-compose.yml or compose.yaml) to start`);
  const file = join(dir, name);
  const app = appService(readFileSync(file, "utf8"), name);
  const slug = basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+/, "");
  const project = `drill-${slug || "stack"}-${process.pid}`;
  const base = ["-p", project, "-f", file];
  let downed: Promise<void> | undefined;
  const down = (): Promise<void> => {
    downed ??= compose([...base, "down", "-v", "--remove-orphans"], dir).then(() => undefined);
    return downed;
  };
  const unregister = registerCleanup(down);
  const stack: ComposeStack = {
    project,
    baseUrl: "",
    down: async () => {
      unregister();
      await down();
    },
  };
  try {
    progress.onBuilding?.(project);
    const up = await compose([...base, "up", "-d", "--build", "--wait"], dir);
    if (!up.ok) {
      throw new DrillError("server-not-ready", "docker compose could not build or start your stack", { details: lastLines(up.output) });
    }
    const port = await compose([...base, "port", app.service, String(app.port)], dir);
    const published = Number(port.output.trim().split("\n").at(-1)?.split(":").at(-1));
    if (!port.ok || !Number.isInteger(published) || published <= 0) {
      throw new DrillError("server-not-ready", `docker compose did not say where ${app.service}'s port ${app.port} is published`, {
        details: lastLines(port.output),
      });
    }
    stack.baseUrl = `http://127.0.0.1:${published}`;
    progress.onWaiting?.(stack.baseUrl);
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    while (!(await answersHealth(stack.baseUrl))) {
      if (Date.now() > deadline) {
        const logs = await compose([...base, "logs", "--no-color", "--tail", "20", app.service], dir);
        throw new DrillError("server-not-ready", `your stack is up, but ${stack.baseUrl}/health never answered 200`, {
          details: lastLines(logs.output),
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return stack;
  } catch (error) {
    await stack.down();
    throw error;
  }
}
