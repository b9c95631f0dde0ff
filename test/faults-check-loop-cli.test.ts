// The check loop's faults as a learner meets them: the built binary, no terminal. Input that
// can never work gets one line and exit 2 before anything runs; a crashing server's output is
// shown before the hint that points at it; a server left by a killed drill is stopped by the
// next command. (Build first: npm run build.)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVER_MARKER_VAR } from "../src/core/check/leftovers.js";
import { freePort } from "../src/core/check/ports.js";
import { layOutFixtureWorkspace } from "./fixtures/server/practice.js";
import { isAlive, runCli, STACK_LINE } from "./helpers.js";

let home: string;
let dir: string;

async function checkCount(): Promise<number> {
  const status = await runCli(["status", "--dir", dir, "--json"], { home });
  return (JSON.parse(status.stdout) as { checks: number }).checks;
}

describe("drill check refuses what can never work, and reports what went wrong in order", () => {
  // One workspace for all: made here rather than with tempDir(), which clears after each test.
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "drill-faults-cli-"));
    home = join(root, "home");
    dir = join(root, "ws");
    const started = await runCli(["start", "03", "--dir", dir, "--timer", "60"], { home });
    expect(started.exitCode, started.all).toBe(0);
    layOutFixtureWorkspace(dir);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    [["--port", "6000"], /^✘ --port: port 6000 is one that HTTP clients refuse to connect to/m],
    [["--port", "10080"], /^✘ --port: port 10080 is one that HTTP clients refuse to connect to/m],
    [
      ["--url", "http://example.com:8000"],
      /^✘ --url must point at this machine \(127\.0\.0\.1, localhost or \[::1\]\), not example\.com$/m,
    ],
    [["--url", "http://127.0.0.1:6000"], /^✘ --url: port 6000 is one that HTTP clients refuse to connect to/m],
  ])("drill check %j: one line, exit 2, nothing recorded", async (args, message) => {
    const result = await runCli(["check", "--dir", dir, ...args], { home });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.all).toMatch(message);
    expect(result.all).not.toMatch(STACK_LINE);
    expect(result.all).not.toContain("starting your server");
    expect(await checkCount()).toBe(0);
  });

  it("drill check --url to a closed port: says nothing answers there, exit 2, before any suite runs", async () => {
    const port = await freePort();
    const result = await runCli(["check", "--dir", dir, "--url", `http://127.0.0.1:${port}`], { home });
    expect(result.exitCode, result.all).toBe(2);
    expect(result.all).toMatch(
      new RegExp(`^✘ nothing answers at http://127\\.0\\.0\\.1:${port} \\(connection refused\\), so there is no server to check$`, "m"),
    );
    expect(result.all).not.toContain("running");
    expect(result.all).not.toMatch(STACK_LINE);
  });

  it("a server that crashes at start: its output first, then a hint that points up at it", async () => {
    const result = await runCli(["check", "--dir", dir], { home, env: { FIXTURE_MODE: "crash-error" } });
    expect(result.exitCode, result.all).toBe(2);
    const out = result.all ?? "";
    const message = out.indexOf("the server exited (code 1) before GET /health answered");
    const output = out.indexOf("RuntimeError: API_KEYS is not set");
    const hint = out.indexOf("shown above");
    expect(message, out).toBeGreaterThanOrEqual(0);
    expect(output, out).toBeGreaterThan(message);
    expect(hint, out).toBeGreaterThan(output);
    expect(out).not.toMatch(/below/);
  });

  it("the next command stops a server that a killed drill left in the workspace", async () => {
    // A leftover as a killed drill leaves it: the server still runs, its drill is gone.
    const marker = "0123456789abcdef";
    const server = spawn("sleep", ["60"], { detached: true, stdio: "ignore", env: { ...process.env, [SERVER_MARKER_VAR]: marker } });
    const gone = spawnSync("true").pid;
    try {
      mkdirSync(join(dir, ".drill", "servers"), { recursive: true });
      writeFileSync(
        join(dir, ".drill", "servers", `${server.pid}.json`),
        JSON.stringify({ version: 1, pid: server.pid, port: 8123, marker, command: ["sleep", "60"], drill: { pid: gone }, at: "" }),
      );
      const result = await runCli(["status", "--dir", dir], { home });
      expect(result.exitCode, result.all).toBe(0);
      expect(result.stderr).toMatch(/^! stopped a server left running by an earlier drill that was killed \(pid \d+, port 8123\)$/m);
      for (let i = 0; i < 40 && isAlive(server.pid as number); i++) await new Promise((r) => setTimeout(r, 50));
      expect(isAlive(server.pid as number)).toBe(false);
    } finally {
      server.kill("SIGKILL");
    }
  });
});
