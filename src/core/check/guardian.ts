// What keeps drill's children from outliving drill when drill itself is killed (SIGKILL, the
// OOM killer, a closed laptop lid mid-check): nothing inside drill runs then, so two things
// outside it do the work.
//
// 1. On Linux, each child is started through `setpriv --pdeathsig SIGKILL`, so the kernel kills
//    it the moment drill dies. That reaches the child only, not what the child started.
// 2. On every platform, a guardian: a tiny Node process in a session of its own, whose stdin is
//    a pipe from drill. drill tells it each process group it owns ("+pgid", "-pgid"); when drill
//    dies the pipe closes, the guardian reads end-of-file and stops every group still listed
//    (SIGTERM, then SIGKILL a second later), grandchildren included.
//
// What escapes both (a grandchild that left the group with setsid) is found by port at the end
// of the check and by the record in the workspace's `.drill/` (see leftovers.ts).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join, resolve } from "node:path";

const GUARDIAN_SCRIPT = `
const groups = new Set();
let pending = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (text) => {
  pending += text;
  for (let i = pending.indexOf("\\n"); i >= 0; i = pending.indexOf("\\n")) {
    const line = pending.slice(0, i);
    pending = pending.slice(i + 1);
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line[0] === "+") groups.add(pgid);
    else if (line[0] === "-") groups.delete(pgid);
  }
});
const signal = (name) => {
  for (const pgid of groups) {
    try { process.kill(-pgid, name); } catch {}
  }
};
const drillGone = () => {
  if (groups.size === 0) process.exit(0);
  signal("SIGTERM");
  setTimeout(() => { signal("SIGKILL"); process.exit(0); }, 1000);
};
process.stdin.on("end", drillGone);
process.stdin.on("error", drillGone);
`;

let guardian: ChildProcess | undefined;

function startGuardian(): ChildProcess | undefined {
  try {
    const child = spawn(process.execPath, ["-e", GUARDIAN_SCRIPT], {
      // Its own session: a Ctrl-C or a kill of drill's process group does not reach it.
      detached: true,
      stdio: ["pipe", "ignore", "ignore"],
      env: { PATH: process.env.PATH ?? "" },
    });
    child.on("error", () => (guardian = undefined));
    // Neither the guardian nor its pipe may keep drill running once drill's work is done.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    child.stdin?.on("error", () => undefined);
    return child;
  } catch {
    return undefined;
  }
}

function tell(line: string): void {
  guardian ??= startGuardian();
  // Small writes to an idle pipe go out at once (libuv writes before queueing), so a "-pgid"
  // written just before drill exits still reaches the guardian.
  guardian?.stdin?.write(`${line}\n`);
}

/** From now until `forgetGroup`, the group dies with drill. */
export function guardGroup(pgid: number): void {
  if (pgid > 1) tell(`+${pgid}`);
}

/** The group has been stopped: the guardian must not signal it (its number may be reused). */
export function forgetGroup(pgid: number): void {
  if (pgid > 1 && guardian) tell(`-${pgid}`);
}

let setpriv: string | null | undefined;

/** setpriv from util-linux, when it is there and knows --pdeathsig (util-linux >= 2.33). */
function pdeathsigWrapper(): string | null {
  if (setpriv !== undefined) return setpriv;
  setpriv = null;
  if (process.platform !== "linux") return setpriv;
  const found = findExecutable("setpriv", process.env.PATH ?? "", process.cwd());
  if (found && spawnSync(found, ["--pdeathsig", "SIGKILL", "--", "true"], { stdio: "ignore", timeout: 5000 }).status === 0) {
    setpriv = found;
  }
  return setpriv;
}

/**
 * The argv that starts `program` so that the kernel kills it when drill dies (Linux), or
 * `program` itself where that is not available. A program that cannot be found is started
 * as given, so the spawn fails with Node's own ENOENT, as it would without the wrapper.
 */
export function withParentDeathSignal(program: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): [string, string[]] {
  const wrapper = pdeathsigWrapper();
  if (!wrapper) return [program, args];
  const resolved = findExecutable(program, env.PATH ?? process.env.PATH ?? "", cwd);
  if (!resolved) return [program, args];
  return [wrapper, ["--pdeathsig", "SIGKILL", "--", resolved, ...args]];
}

/** Where `program` would be found the way a shell finds it, or undefined. */
function findExecutable(program: string, path: string, cwd: string): string | undefined {
  const candidates = program.includes("/")
    ? [isAbsolute(program) ? program : resolve(cwd, program)]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(resolve(cwd, dir), program));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}
