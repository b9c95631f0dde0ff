// Servers that outlived the drill that started them, and processes that escaped a server's
// process group. While a server runs, drill records it in the workspace's `.drill/servers/`
// (pid = process group, port, start time, the marker in its environment, and which drill owns
// it) and removes the record when the server stops. A record left behind means that drill was
// killed: the next command that touches the workspace stops what is left of that server.
//
// A process is only ever signalled once drill has made sure it is the one recorded (same pid
// and same start time) or it carries the check's marker in its own environment: a recycled
// pid is never killed.
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import * as v from "valibot";
import { parseData } from "../schema.js";

/** Set in the learner server's environment; inherited by whatever it starts. */
export const SERVER_MARKER_VAR = "DRILL_SERVER_ID";

const SERVERS_DIR = join(".drill", "servers");

const pid = v.pipe(v.number(), v.integer(), v.minValue(1));

/** .drill/servers/<pid>.json: a server drill started, kept while it runs. */
const serverRecord = v.object({
  version: v.literal(1),
  /** The server's pid, which is also its process group (drill starts it as a group leader). */
  pid,
  port: v.pipe(v.number(), v.integer()),
  /** When the process started, as the OS tells it (to tell it from a recycled pid). */
  started: v.exactOptional(v.string()),
  marker: v.string(),
  command: v.array(v.string()),
  drill: v.object({ pid, started: v.exactOptional(v.string()) }),
  at: v.string(),
});

type ServerRecord = v.InferOutput<typeof serverRecord>;

export function newServerMarker(): string {
  return randomBytes(8).toString("hex");
}

/**
 * Records a running server in the workspace; returns the function that removes the record.
 * Best effort: a workspace drill cannot write to only loses the clean-up after a kill.
 */
export function recordServer(workspace: string, server: { pid: number; port: number; marker: string; command: string[] }): () => void {
  const dir = join(workspace, SERVERS_DIR);
  const file = join(dir, `${server.pid}.json`);
  const record: ServerRecord = {
    version: 1,
    pid: server.pid,
    port: server.port,
    ...optional("started", processStartTime(server.pid)),
    marker: server.marker,
    command: server.command,
    drill: { pid: process.pid, ...optional("started", processStartTime(process.pid)) },
    at: new Date().toISOString(),
  };
  try {
    mkdirSync(dir, { recursive: true });
    // Never part of a snapshot of the learner's work.
    writeFileSync(join(dir, ".gitignore"), "*\n");
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  } catch {
    return () => undefined;
  }
  return () => rmSync(file, { force: true });
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function readRecord(file: string): ServerRecord | undefined {
  try {
    const parsed = parseData(serverRecord, JSON.parse(readFileSync(file, "utf8")));
    return parsed.ok ? parsed.value : undefined;
  } catch {
    return undefined;
  }
}

/** The workspace around `start` (the nearest folder with `.drill/`), if any. */
function workspaceAround(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, ".drill"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * For a command about to touch the workspace around `dir` (its --dir, else the current
 * directory): stops leftovers there first. Never fails the command: a problem here is only a
 * clean-up missed.
 */
export async function reapLeftoversAround(dir: string): Promise<string[]> {
  try {
    const workspace = workspaceAround(dir);
    return workspace ? await reapLeftoverServers(workspace) : [];
  } catch {
    return [];
  }
}

/**
 * Stops what is left of servers whose drill is gone, and removes their records. Servers of a
 * drill that still runs (a check in another terminal) are left alone. Returns one line per
 * server that still had something running.
 */
export async function reapLeftoverServers(workspace: string): Promise<string[]> {
  const dir = join(workspace, SERVERS_DIR);
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  const notes: string[] = [];
  for (const name of files) {
    const file = join(dir, name);
    const record = readRecord(file);
    if (record && isSameProcess(record.drill.pid, record.drill.started)) continue;
    if (record) {
      const stopped = await stopLeftover(record);
      if (stopped.length) {
        notes.push(`stopped a server left running by an earlier drill that was killed (pid ${stopped.join(", ")}, port ${record.port})`);
      }
    }
    rmSync(file, { force: true });
  }
  return notes;
}

async function stopLeftover(record: ServerRecord): Promise<number[]> {
  const leaderAlive = isSameProcess(record.pid, record.started);
  const marked = processesWithMarker(record.marker);
  const pids = [...new Set([...(leaderAlive ? [record.pid] : []), ...marked])];
  if (pids.length === 0) return [];
  await stopProcesses(pids, leaderAlive ? [record.pid] : []);
  return pids;
}

/** SIGTERM, a second's grace, then SIGKILL to what is still running; `groups` go as whole groups. */
async function stopProcesses(pids: number[], groups: number[]): Promise<void> {
  for (const name of ["SIGTERM", "SIGKILL"] as const) {
    const running = pids.filter((pid) => isAlive(pid) && !isZombie(pid));
    for (const pid of groups) signal(-pid, name);
    for (const pid of running) signal(pid, name);
    await waitUntilGone(pids, 1000);
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already, or not ours to signal.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitUntilGone(pids: number[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (pids.some((pid) => isAlive(pid) && !isZombie(pid)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Is `pid` alive and the same process that was recorded (same start time, where the OS tells)? */
function isSameProcess(pid: number, started: string | undefined): boolean {
  if (!isAlive(pid) || isZombie(pid)) return false;
  const now = processStartTime(pid);
  // Without a start time on either side there is nothing to compare: trust the pid alone only
  // when nothing was recorded (a platform without `ps`).
  return started === undefined || now === started;
}

interface ProcStat {
  state: string;
  pgrp: number;
  started: string;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may itself hold spaces or parentheses.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0] ?? "", pgrp: Number(fields[2]), started: fields[19] ?? "" };
  } catch {
    return undefined;
  }
}

function isZombie(pid: number): boolean {
  return procStat(pid)?.state === "Z";
}

/** The process's start time: clock ticks since boot on Linux, `ps`'s lstart elsewhere. */
function processStartTime(pid: number): string | undefined {
  if (process.platform === "linux") return procStat(pid)?.started;
  const result = spawnSync("ps", ["-o", "lstart=", "-p", String(pid)], { encoding: "utf8", timeout: 5000 });
  const text = result.status === 0 ? result.stdout.trim() : "";
  return text || undefined;
}

function procPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

/** Linux: every process of this user whose environment carries the server marker. */
function processesWithMarker(marker: string): number[] {
  if (process.platform !== "linux") return [];
  const needle = Buffer.from(`\0${SERVER_MARKER_VAR}=${marker}\0`);
  const pids: number[] = [];
  for (const pid of procPids()) {
    if (pid === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`), Buffer.from([0])]);
      if (environ.includes(needle) && !isZombie(pid)) pids.push(pid);
    } catch {
      // Another user's process, or gone.
    }
  }
  return pids;
}

/** Linux: the inodes of the sockets listening on `port` (any address, IPv4 or IPv6). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      // st 0A is LISTEN.
      if (local?.endsWith(`:${hexPort}`) && fields[3] === "0A" && fields[9] && fields[9] !== "0") inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** Linux: the processes that hold a socket listening on `port` (those drill may look into). */
function listeningProcesses(port: number): number[] {
  if (process.platform !== "linux") return [];
  const inodes = listeningInodes(port);
  if (inodes.size === 0) return [];
  const targets = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  const owners: number[] = [];
  for (const pid of procPids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (targets.has(readlinkSync(`/proc/${pid}/fd/${fd}`))) {
          owners.push(pid);
          break;
        }
      } catch {
        // Closed meanwhile.
      }
    }
  }
  return owners;
}

/** The process's command line, the program by its name only (the arguments say more than its path). */
function commandLine(pid: number): string {
  try {
    const [program = "", ...args] = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
    return [basename(program), ...args].join(" ");
  } catch {
    return "";
  }
}

/**
 * After the server's process group is stopped: a process of this check (it carries `marker`)
 * that left the group (setsid, a double fork) and still listens on the server's port is
 * stopped too. Returns one line per process stopped.
 */
export async function stopStrayListeners(port: number, marker: string, group: number): Promise<string[]> {
  const listening = listeningProcesses(port).filter((pid) => pid !== process.pid && procStat(pid)?.pgrp !== group);
  if (listening.length === 0) return [];
  const ours = new Set(processesWithMarker(marker));
  const strays = listening.filter((pid) => ours.has(pid));
  if (strays.length === 0) return [];
  const described = strays.map((pid) => `pid ${pid}${commandLine(pid) ? ` (${truncate(commandLine(pid), 100)})` : ""}`);
  // setsid made a stray the leader of a group of its own: that group goes too.
  const leaders = strays.filter((pid) => procStat(pid)?.pgrp === pid);
  await stopProcesses(strays, leaders);
  return [
    `a process your server started outside its process group kept listening on port ${port} after the server stopped; drill stopped it: ${described.join(", ")}`,
  ];
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
