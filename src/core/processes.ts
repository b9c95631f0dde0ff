// drill owns every child it starts: each runs in its own process group, is stopped with
// SIGTERM then SIGKILL, and is awaited. On Ctrl-C (or SIGTERM/SIGHUP) every owned group is
// stopped before drill exits with 130.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";

export interface OwnedProcess {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
  hasExited(): boolean;
  stop(graceMs?: number): Promise<void>;
}

const owned = new Set<OwnedProcess>();

export function spawnOwned(command: string, args: string[], options: SpawnOptions): OwnedProcess {
  const child = spawn(command, args, { ...options, detached: true });
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      resolve(code ?? signal ?? "unknown");
    });
    child.once("error", () => {
      done = true;
      resolve("spawn-error");
    });
  });
  const handle: OwnedProcess = {
    child,
    pid: child.pid ?? -1,
    exited,
    hasExited: () => done,
    async stop(graceMs = 2000) {
      if (child.pid !== undefined) {
        signalGroup(child.pid, "SIGTERM");
        const timer = setTimeout(() => signalGroup(child.pid as number, "SIGKILL"), graceMs);
        await exited;
        clearTimeout(timer);
        // The leader may exit before its own children (uvicorn workers, reloaders): finish the group.
        signalGroup(child.pid, "SIGKILL");
      }
      owned.delete(handle);
    },
  };
  owned.add(handle);
  void exited.then(() => {
    if (child.pid !== undefined) signalGroup(child.pid, "SIGKILL");
    owned.delete(handle);
  });
  return handle;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

const cleanups = new Set<() => Promise<void>>();

/**
 * Registers work that must happen even when drill is interrupted (dropping a database made for
 * a check). It runs after every owned process has stopped. Returns the function that unregisters it.
 */
export function registerCleanup(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...owned].map((p) => p.stop()));
  await Promise.all([...cleanups].map((cleanup) => cleanup().catch(() => undefined)));
}

let handlersInstalled = false;

/**
 * Installs the handlers that stop every owned process on Ctrl-C, SIGTERM or SIGHUP and then
 * call `onInterrupted` (the entry file exits 130 there). A last-resort exit hook kills any
 * group still alive.
 */
export function installSignalHandlers(onInterrupted: (signal: NodeJS.Signals) => void): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void stopAll().finally(() => onInterrupted(signal));
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
  process.on("SIGHUP", handle);
  process.on("exit", () => {
    for (const p of owned) if (p.child.pid !== undefined) signalGroup(p.child.pid, "SIGKILL");
  });
}

/** A rolling tail of a child's output, shown only when something goes wrong. */
export class OutputTail {
  private lines: string[] = [];
  private partial = "";

  constructor(private readonly max = 200) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    this.lines.push(...parts);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  text(last = this.max): string {
    const all = this.partial ? [...this.lines, this.partial] : this.lines;
    return all.slice(-last).join("\n");
  }
}
