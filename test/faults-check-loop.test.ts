// Faults of the check loop that must end well (issue 6): drill killed mid-check, a server
// whose child escapes its process group, a read-only install, a flood of output, ports and URLs
// that can never work, a hung server. Each test reproduces the fault against the fixture server.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCheck } from "../src/core/check/run-check.js";
import { DrillError } from "../src/system/errors.js";
import { reapLeftoverServers, SERVER_MARKER_VAR } from "../src/core/check/leftovers.js";
import { parsePort, parseUrl } from "../src/core/options.js";
import { FETCH_BAD_PORTS, freePort, isPortFree } from "../src/core/check/ports.js";
import { LineSplitter, OutputTail } from "../src/core/check/processes.js";
import { formatFailures } from "../src/ui/check-report.js";
import {
  FIXTURES,
  fixturePractice,
  fixtureWorkspace as layOutWorkspace,
  layOutFixtureWorkspace,
  recordedPids,
} from "./fixtures/server/practice.js";
import { ROOT, codeOf, isAlive, tempDir } from "./helpers.js";

const RUN_CHECK = join(FIXTURES, "server", "run-check.ts");

function fixtureWorkspace(python?: string): { dir: string; pids: string } {
  return layOutWorkspace(tempDir("drill-faults-"), python);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) if (condition()) return true;
  return condition();
}

function alive(pids: number[]): number[] {
  return pids.filter((pid) => isAlive(pid) && !/\) Z /.test(statOf(pid)));
}

function statOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return "";
  }
}

function childrenOf(pid: number): number[] {
  const result = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" });
  return result.stdout.trim().split("\n").filter(Boolean).map(Number);
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** "drill" running one check of the fixture practice in a process of its own. */
function startDrill(dir: string, env: Record<string, string>, suite = "fixture.test.ts"): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, ["--import", "tsx", RUN_CHECK, dir, suite], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

const linux = process.platform === "linux";

describe.runIf(linux)("drill killed with SIGKILL mid-check", () => {
  it("takes its server, the server's children and the suite's Vitest with it, and the next command clears the record", async () => {
    const { dir, pids } = fixtureWorkspace();
    const drill = startDrill(dir, { FIXTURE_MODE: "hang", FIXTURE_PIDS: pids });
    try {
      expect(await until(() => drill.output().includes("@@planned"), 30_000), drill.output()).toBe(true);
      const server = recordedPids(pids);
      const children = childrenOf(drill.child.pid as number);
      const vitest = children.filter((pid) => cmdline(pid).includes("vitest.mjs"));
      expect(vitest).toHaveLength(1);
      expect(readdirSync(join(dir, ".drill", "servers"))).toContain(`${server[0]}.json`);
      drill.child.kill("SIGKILL");
      // The kernel kills the server at once; the guardian stops the rest within about a second.
      expect(await until(() => alive([...server, ...vitest]).length === 0, 5000)).toBe(true);
      // drill had no chance to remove its record; the next command does, with nothing left to stop.
      expect(await reapLeftoverServers(dir)).toEqual([]);
      expect(readdirSync(join(dir, ".drill", "servers")).filter((name) => name.endsWith(".json"))).toEqual([]);
    } finally {
      drill.child.kill("SIGKILL");
    }
  });

  it("still takes the server when its guardian dies with it (parent-death signal), and the next command stops what escaped", async () => {
    const { dir, pids } = fixtureWorkspace();
    const drill = startDrill(dir, { FIXTURE_MODE: "hang", FIXTURE_PIDS: pids });
    try {
      expect(await until(() => drill.output().includes("@@planned"), 30_000), drill.output()).toBe(true);
      const [leader, grandchild] = recordedPids(pids) as [number, number];
      const guardian = childrenOf(drill.child.pid as number).filter((pid) => cmdline(pid).includes("const groups = new Set()"));
      expect(guardian).toHaveLength(1);
      process.kill(guardian[0] as number, "SIGKILL");
      drill.child.kill("SIGKILL");
      expect(await until(() => alive([leader]).length === 0, 5000)).toBe(true);
      // The leader's own child is beyond the kernel's signal: it outlives drill, until the next command.
      expect(alive([grandchild])).toEqual([grandchild]);
      const notes = await reapLeftoverServers(dir);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/stopped a server left running by an earlier drill that was killed \(pid \d+/);
      expect(await until(() => alive([grandchild]).length === 0, 3000)).toBe(true);
    } finally {
      drill.child.kill("SIGKILL");
    }
  });

  it("never signals a process that only reuses a recorded pid, nor a server whose drill still runs", async () => {
    const dir = tempDir("drill-faults-");
    const stranger = spawn("sleep", ["30"], { stdio: "ignore" });
    const strangerPid = stranger.pid as number;
    const gone = spawnSync("true").pid;
    const servers = join(dir, ".drill", "servers");
    const record = (name: string, data: object) => {
      execFileSync("mkdir", ["-p", servers]);
      writeFileSync(join(servers, name), JSON.stringify({ version: 1, port: 1234, marker: "0000", command: ["x"], at: "", ...data }));
    };
    try {
      // A dead drill, and a pid now used by another process (another start time).
      record("a.json", { pid: strangerPid, started: "1", drill: { pid: gone, started: "1" } });
      // A live drill (this process) owns this one: a check running in another terminal.
      const mine = statOf(process.pid)
        .slice(statOf(process.pid).lastIndexOf(")") + 2)
        .split(" ")[19];
      record("b.json", { pid: strangerPid, drill: { pid: process.pid, started: mine } });
      expect(await reapLeftoverServers(dir)).toEqual([]);
      expect(isAlive(strangerPid)).toBe(true);
      expect(readdirSync(servers)).toEqual(["b.json"]);
    } finally {
      stranger.kill("SIGKILL");
    }
  });
});

describe.runIf(linux)("a server whose child leaves its process group", () => {
  it("is found by its port when the server stops, stopped, and named in one line", async () => {
    const { dir, pids } = fixtureWorkspace();
    const port = await freePort();
    const outcome = await runCheck({
      practice: fixturePractice(),
      workspace: dir,
      port,
      env: { ...process.env, FIXTURE_MODE: "detached", FIXTURE_PIDS: pids },
    });
    // The suite restarts the server (R90.3): the restarted one could only bind because the first
    // server's escaped child was stopped then.
    expect(outcome.requirements).toEqual({ "R90.1": "passed", "R90.2": "passed", "R90.3": "passed" });
    expect(outcome.cleanupNotes).toHaveLength(2);
    for (const note of outcome.cleanupNotes) {
      expect(note).toMatch(
        new RegExp(`kept listening on port ${port} after the server stopped; drill stopped it: pid \\d+ \\(.*server\\.py`),
      );
      expect(note).not.toContain("\n");
    }
    expect(alive(recordedPids(pids))).toEqual([]);
    expect(await isPortFree(port)).toBe(true);
  });

  it("leaves no record behind after a check that ended normally", async () => {
    const { dir } = fixtureWorkspace();
    const outcome = await runCheck({ practice: fixturePractice(), workspace: dir, env: { ...process.env } });
    expect(outcome.cleanupNotes).toEqual([]);
    expect(readdirSync(join(dir, ".drill", "servers"))).toEqual([".gitignore"]);
    expect(readFileSync(join(dir, ".drill", "servers", ".gitignore"), "utf8")).toBe("*\n");
  });

  it("marks the server's environment so its children can be told from anyone else's", async () => {
    const { dir } = fixtureWorkspace();
    writeFileSync(
      join(dir, "server.py"),
      `import os, sys\nprint(os.environ.get("${SERVER_MARKER_VAR}", "none"), flush=True)\nsys.exit(1)\n`,
    );
    const error = (await runCheck({ practice: fixturePractice(), workspace: dir }).catch((e: unknown) => e)) as DrillError;
    expect(error.code).toBe("server-exited");
    expect(error.details).toMatch(/^[0-9a-f]{16}$/m);
  });
});

const canRunAsNobody =
  linux &&
  process.getuid?.() === 0 &&
  spawnSync("unshare", ["-m", "true"]).status === 0 &&
  spawnSync("runuser", ["-u", "nobody", "--", "/usr/bin/python3", "-c", "pass"]).status === 0;

describe("a check by a user who cannot write to drill's install folder", () => {
  // Skipped (and so shown as skipped) where it cannot run: it needs root, unshare and runuser.
  it.runIf(canRunAsNobody)("works: Vitest writes nothing into drill's package (run as nobody, the package mounted read-only)", async () => {
    const dir = tempDir("drill-faults-nobody-");
    // nobody cannot reach root's Python shims: the system Python runs the fixture server.
    layOutFixtureWorkspace(dir, "/usr/bin/python3");
    execFileSync("chown", ["-R", "nobody", dir]);
    chownSync(dir, 65534, 65534);
    // In a mount namespace of its own, drill's package is read-only at its real path.
    const script = [
      `mount --bind ${ROOT} ${ROOT}`,
      `mount -o remount,ro,bind ${ROOT}`,
      `cd ${ROOT}`,
      `exec runuser -u nobody -- ${process.execPath} --import tsx ${RUN_CHECK} ${dir}`,
    ].join(" && ");
    const result = spawnSync("unshare", ["-m", "sh", "-c", script], {
      encoding: "utf8",
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? "", HOME: "/nonexistent", LANG: "C.UTF-8" },
    });
    const last = result.stdout.trim().split("\n").at(-1) ?? "";
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    const outcome = JSON.parse(last) as { requirements: Record<string, string> };
    expect(outcome.requirements).toEqual({ "R90.1": "passed", "R90.2": "passed", "R90.3": "passed" });
  });

  it("loads the hidden suites' config as plain JavaScript, without bundling it into a temporary file", async () => {
    const source = readFileSync(join(ROOT, "src", "core", "check", "hidden-suite.ts"), "utf8");
    expect(source).toContain('"vitest.config.mjs"');
    expect(source).toMatch(/"--configLoader",\s*"native"/);
    expect(existsSync(join(ROOT, "hidden-tests", "vitest.config.ts"))).toBe(false);
    const config = (await import(join(ROOT, "hidden-tests", "vitest.config.mjs"))) as {
      default: { cacheDir: string; test: { cache: boolean } };
    };
    expect(config.default.test.cache).toBe(false);
    expect(config.default.cacheDir.startsWith(ROOT)).toBe(false);
  });
});

describe("a server that prints one 50 MB line without a newline", () => {
  it("keeps the output tail bounded after every chunk, so each chunk costs the same (linear in the output)", () => {
    const tail = new OutputTail(200, 2000);
    const chunk = Buffer.alloc(64 * 1024, "x");
    // What the tail holds stays under its bound after every chunk: no chunk re-reads what came
    // before (the quadratic split re-scanned the whole line each time). The time this takes is
    // measured in npm run bench, not asserted here.
    let largest = 0;
    for (let sent = 0; sent < 50 * 1024 * 1024; sent += chunk.length) {
      tail.push(chunk);
      if (sent % (64 * chunk.length) === 0) largest = Math.max(largest, tail.text().length);
    }
    expect(largest).toBeLessThan(2200);
    tail.push("the end\nready\n");
    const text = tail.text();
    expect(text.length).toBeLessThan(2200);
    expect(text).toMatch(/^… \(\d+ characters cut\) x+the end\nready$/);
  });

  it("holds at most twice its cap of an unfinished line after every chunk, so no chunk re-reads the ones before", () => {
    const splitter = new LineSplitter(2000);
    const chunk = Buffer.alloc(64 * 1024, "x");
    let most = 0;
    for (let sent = 0; sent < 50 * 1024 * 1024; sent += chunk.length) {
      expect(splitter.push(chunk)).toEqual([]);
      most = Math.max(most, splitter.held);
    }
    expect(most).toBeLessThanOrEqual(4000);
    expect(splitter.push("y\n")).toEqual([`… (${50 * 1024 * 1024 - 1999} characters cut) ${"x".repeat(1999)}y`]);
  });

  it("never glues a line of stdout that arrives in pieces to a stderr line sent in between", () => {
    const tail = new OutputTail(200, 2000);
    tail.push('{"request_id": "a", ');
    tail.push("WARNING: something on stderr\n", "err");
    tail.push('"status": 200}\n');
    expect(tail.text().split("\n")).toEqual(["WARNING: something on stderr", '{"request_id": "a", "status": 200}']);
  });

  it("splits lines across chunks, CRLF and multibyte characters included", () => {
    const splitter = new LineSplitter(100);
    const euro = Buffer.from("€", "utf8");
    expect(splitter.push(Buffer.concat([Buffer.from("a\r\nb"), euro.subarray(0, 1)]))).toEqual(["a"]);
    expect(splitter.push(Buffer.concat([euro.subarray(1), Buffer.from("c\n")]))).toEqual(["b€c"]);
    expect(splitter.push("x".repeat(250))).toEqual([]);
    expect(splitter.partial()).toBe(`… (150 characters cut) ${"x".repeat(100)}`);
    expect(splitter.push("\nnext")).toEqual([`… (150 characters cut) ${"x".repeat(100)}`]);
    expect(splitter.partial()).toBe("next");
  });

  it("is judged ready when /health answers, and checked as usual", async () => {
    const { dir, pids } = fixtureWorkspace();
    const started = Date.now();
    const outcome = await runCheck({
      practice: fixturePractice({ readyTimeoutSeconds: 20 }),
      workspace: dir,
      env: { ...process.env, FIXTURE_MODE: "flood", FIXTURE_PIDS: pids },
    });
    expect(outcome.requirements).toEqual({ "R90.1": "passed", "R90.2": "passed", "R90.3": "passed" });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(alive(recordedPids(pids))).toEqual([]);
  });
});

describe("ports and URLs that can never work are refused up front", () => {
  it("knows exactly the ports fetch refuses", async () => {
    for (const port of FETCH_BAD_PORTS) {
      const error = (await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e)) as Error & { cause?: Error };
      expect(String(error.cause?.message ?? error.message)).toMatch(/bad port/i);
    }
    for (const port of [6001, 10081, 8000]) {
      const error = (await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).catch((e: unknown) => e)) as
        | (Error & { cause?: Error })
        | Response;
      if (error instanceof Error) expect(String(error.cause?.message ?? error.message)).not.toMatch(/bad port/i);
    }
  });

  it("refuses --port 6000 and --url to a bad port or another host, with distinct codes", () => {
    expect(codeOf(() => parsePort("6000"))).toBe("bad-port");
    expect(codeOf(() => parsePort("10080"))).toBe("bad-port");
    expect(parsePort("8000")).toBe(8000);
    expect(codeOf(() => parseUrl("http://127.0.0.1:6000"))).toBe("bad-port");
    expect(codeOf(() => parseUrl("http://example.com:8000"))).toBe("url-not-loopback");
    expect(codeOf(() => parseUrl("http://10.0.0.5:8000"))).toBe("url-not-loopback");
    expect(parseUrl("http://localhost:8000/")).toBe("http://localhost:8000");
    expect(parseUrl("http://[::1]:8000")).toBe("http://[::1]:8000");
  });

  it("runCheck refuses them too, before anything starts", async () => {
    const { dir } = fixtureWorkspace();
    const bad = (await runCheck({ practice: fixturePractice(), workspace: dir, port: 6000 }).catch((e: unknown) => e)) as DrillError;
    expect(bad.code).toBe("bad-port");
    expect(bad.exitCode).toBe(2);
    const remote = (await runCheck({ practice: fixturePractice(), workspace: dir, url: "http://192.0.2.1:8000" }).catch(
      (e: unknown) => e,
    )) as DrillError;
    expect(remote.code).toBe("url-not-loopback");
    expect(existsSync(join(dir, ".drill", "servers"))).toBe(false);
  });

  it("--url to a closed port fails before the suite runs, as server-unreachable", async () => {
    const { dir } = fixtureWorkspace();
    const port = await freePort();
    const started = Date.now();
    let planned = false;
    const error = (await runCheck({
      practice: fixturePractice(),
      workspace: dir,
      url: `http://127.0.0.1:${port}`,
      onPlanned: () => (planned = true),
    }).catch((e: unknown) => e)) as DrillError;
    expect(error).toBeInstanceOf(DrillError);
    expect(error.code).toBe("server-unreachable");
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`nothing answers at http://127.0.0.1:${port} (connection refused), so there is no server to check`);
    expect(planned).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("a server that stops answering altogether", () => {
  it("is said once, at the requirement where it stopped, and the check ends within about 15 s", async () => {
    const { dir, pids } = fixtureWorkspace();
    let planned = 0;
    const outcome = await runCheck({
      // The real request timeout (5 s), not the short one the other fixture tests use.
      practice: fixturePractice({ env: {}, suitePath: join(FIXTURES, "suite", "hung-server.test.ts") }),
      workspace: dir,
      env: { ...process.env, FIXTURE_MODE: "block", FIXTURE_PIDS: pids },
      onPlanned: () => (planned = Date.now()),
    });
    // From the suite's start: one request timeout (5 s) and one /health probe find the server
    // hung, every later requirement fails at once, the hung server is killed. (Starting the
    // server and Vitest is not the hang's doing and depends on the machine's load.)
    const hungFor = Date.now() - planned;
    expect(outcome.requirements).toEqual({ "R91.1": "passed", "R91.2": "failed", "R91.3": "failed", "R91.4": "failed", "R91.5": "failed" });
    expect(outcome.run.timedOut).toBe(false);
    const failed = outcome.run.results.filter((r) => r.state === "failed");
    expect(failed.map((r) => r.stalledAt)).toEqual(["R91.2", "R91.2", "R91.2", "R91.2"]);
    expect(failed.slice(1).every((r) => r.errors.join("\n").includes("not sent: your server stopped answering at R91.2"))).toBe(true);
    const report = formatFailures(outcome);
    expect(report.match(/your server stopped answering at R91\.2/g)).toHaveLength(1);
    expect(report).toContain("every later requirement timed out without being tried (R91.3, R91.4, R91.5)");
    // Waiting out each request instead would take 5 s per requirement: 20 s from R91.2 on.
    expect(hungFor).toBeLessThan(15_000);
    expect(alive(recordedPids(pids))).toEqual([]);
  });
});
