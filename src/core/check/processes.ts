// drill owns every child it starts: each runs in its own process group, is stopped with
// SIGTERM then SIGKILL, and is awaited. On Ctrl-C (or SIGTERM/SIGHUP) every owned group is
// stopped before drill exits with 130. When drill is killed outright, the kernel's parent-death
// signal and the guardian stop them instead (guardian.ts).
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { StringDecoder } from "node:string_decoder";
import { forgetGroup, guardGroup, withParentDeathSignal } from "./guardian.js";

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
  const [program, argv] = withParentDeathSignal(command, args, options.env ?? process.env, String(options.cwd ?? process.cwd()));
  const child = spawn(program, argv, { ...options, detached: true });
  // detached: the child leads a process group of its own, so the group can be stopped as one.
  if (child.pid !== undefined) guardGroup(child.pid);
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
        forgetGroup(child.pid);
      }
      owned.delete(handle);
    },
  };
  owned.add(handle);
  void exited.then(() => {
    if (child.pid !== undefined) {
      signalGroup(child.pid, "SIGKILL");
      forgetGroup(child.pid);
    }
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

/**
 * Splits a stream into lines in time linear in its length, whatever it holds: a line longer
 * than `maxLine` keeps only its last `maxLine` characters (a server that prints 50 MB without a
 * newline costs drill a bounded amount of memory), marked with how much was cut.
 */
export class LineSplitter {
  private parts: string[] = [];
  private length = 0;
  private cut = 0;
  private readonly decoder = new StringDecoder("utf8");

  constructor(private readonly maxLine: number) {}

  /** The complete lines that `chunk` finishes, without their line ends. */
  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (let end = text.indexOf("\n", start); end >= 0; end = text.indexOf("\n", start)) {
      this.append(text.slice(start, end));
      lines.push(this.take().replace(/\r$/, ""));
      start = end + 1;
    }
    this.append(text.slice(start));
    return lines;
  }

  /** How many characters of the unfinished line it holds: never more than twice its cap. */
  get held(): number {
    return this.length;
  }

  /** The line begun but not yet ended ("" when none). */
  partial(): string {
    this.compact();
    return this.marked(this.parts.join(""));
  }

  private append(piece: string): void {
    if (!piece) return;
    this.parts.push(piece);
    this.length += piece.length;
    // Compact only once twice the cap has piled up, so each character is copied O(1) times.
    if (this.length > 2 * this.maxLine) this.compact();
  }

  private compact(): void {
    if (this.length <= this.maxLine) return;
    const joined = this.parts.join("");
    this.cut += joined.length - this.maxLine;
    // A copy, so the kept tail does not hold on to the large string it was cut from.
    const tail = Buffer.from(joined.slice(-this.maxLine), "utf8").toString("utf8");
    this.parts = [tail];
    this.length = tail.length;
  }

  private take(): string {
    this.compact();
    const line = this.marked(this.parts.join(""));
    this.parts = [];
    this.length = 0;
    this.cut = 0;
    return line;
  }

  private marked(line: string): string {
    return this.cut ? `… (${this.cut} characters cut) ${line}` : line;
  }
}

/** A rolling tail of a child's output, shown only when something goes wrong. Bounded in memory. */
export class OutputTail {
  private lines: string[] = [];
  // One splitter per stream: a long stdout write that arrives in two pieces must not be glued to
  // a stderr line that came in between.
  private readonly splitters = new Map<string, LineSplitter>();

  constructor(
    private readonly max = 200,
    private readonly maxLine = 2000,
  ) {}

  push(chunk: Buffer | string, stream = "out"): void {
    let splitter = this.splitters.get(stream);
    if (!splitter) {
      splitter = new LineSplitter(this.maxLine);
      this.splitters.set(stream, splitter);
    }
    // Copies, so a kept line does not hold on to the whole chunk it was sliced from.
    for (const line of splitter.push(chunk)) this.lines.push(Buffer.from(line, "utf8").toString("utf8"));
    if (this.lines.length > 2 * this.max) this.lines.splice(0, this.lines.length - this.max);
  }

  text(last = this.max): string {
    const partials = [...this.splitters.values()].map((splitter) => splitter.partial()).filter(Boolean);
    return [...this.lines.slice(-last), ...partials].slice(-last).join("\n");
  }
}
