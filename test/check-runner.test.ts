// The check loop against a stand-in server: every way a learner's server can misbehave gives a
// clear verdict, and no server process (nor its children) outlives a check.
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { runCheck } from "../src/core/check/run-check.js";
import { DrillError } from "../src/system/errors.js";
import { fixturePractice, fixtureWorkspace as layOutWorkspace, recordedPids } from "./fixtures/server/practice.js";
import { isAlive, tempDir } from "./helpers.js";

function fixtureWorkspace(): { dir: string; pids: string } {
  return layOutWorkspace(tempDir("drill-fixture-"));
}

async function expectAllGone(pids: number[]): Promise<void> {
  // Killed processes are reaped by their parent; give the kernel a moment.
  for (let i = 0; i < 40 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
  expect(pids.filter(isAlive)).toEqual([]);
}

describe("drill check's loop", () => {
  it("runs the suite, streams results, and stops the server and its children", async () => {
    const { dir, pids } = fixtureWorkspace();
    const seen: string[] = [];
    const outcome = await runCheck({
      practice: fixturePractice(),
      workspace: dir,
      env: { ...process.env, FIXTURE_PIDS: pids },
      onResult: (r) => seen.push(`${r.requirement}:${r.state}`),
    });
    expect(outcome.requirements).toEqual({ "R90.1": "passed", "R90.2": "passed", "R90.3": "passed" });
    expect(seen).toEqual(["R90.1:passed", "R90.2:passed", "R90.3:passed"]);
    // Two servers ran (the suite restarted one); none survives.
    const all = recordedPids(pids);
    expect(all).toHaveLength(4);
    await expectAllGone(all);
  });

  it("with only: runs just those requirements, and the outcome holds only them", async () => {
    const { dir, pids } = fixtureWorkspace();
    const seen: string[] = [];
    const outcome = await runCheck({
      practice: fixturePractice(),
      workspace: dir,
      only: ["R90.2"],
      env: { ...process.env, FIXTURE_PIDS: pids },
      onResult: (r) => seen.push(`${r.requirement}:${r.state}`),
    });
    expect(outcome.requirements).toEqual({ "R90.2": "passed" });
    expect(outcome.run.planned).toEqual(["R90.2 GET /ping answers 200"]);
    expect(seen).toEqual(["R90.2:passed"]);
    // R90.3 restarts the server; it did not run, so one server (and its child) ran.
    expect(recordedPids(pids)).toHaveLength(2);
  });

  it("says the server exited, with its output, when it crashes at start", async () => {
    const { dir } = fixtureWorkspace();
    const error = await runCheck({ practice: fixturePractice(), workspace: dir, env: { ...process.env, FIXTURE_MODE: "crash" } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DrillError);
    expect((error as DrillError).code).toBe("server-exited");
    expect((error as DrillError).details).toContain("No module named 'fastapi'");
    expect((error as DrillError).hint).toContain("drill setup");
  });

  it("gives up on a server that never becomes ready, and stops it", async () => {
    const { dir, pids } = fixtureWorkspace();
    const started = Date.now();
    const error = await runCheck({
      // Long enough for Python to start listening on a loaded machine, so /health answers 503.
      practice: fixturePractice({ readyTimeoutSeconds: 3 }),
      workspace: dir,
      env: { ...process.env, FIXTURE_MODE: "never-ready", FIXTURE_PIDS: pids },
    }).catch((e: unknown) => e);
    expect((error as DrillError).code).toBe("server-not-ready");
    expect((error as DrillError).message).toContain("GET /health answered 503");
    expect(Date.now() - started).toBeLessThan(10_000);
    await expectAllGone(recordedPids(pids));
  });

  it("fails the requirements a hung server cannot answer, in bounded time", async () => {
    const { dir, pids } = fixtureWorkspace();
    const outcome = await runCheck({
      practice: fixturePractice(),
      workspace: dir,
      env: { ...process.env, FIXTURE_MODE: "hang", FIXTURE_PIDS: pids },
    });
    expect(outcome.requirements["R90.1"]).toBe("passed");
    expect(outcome.requirements["R90.2"]).toBe("failed");
    const failure = outcome.run.results.find((r) => r.requirement === "R90.2");
    expect(failure?.errors.join("\n")).toContain("never answered");
    await expectAllGone(recordedPids(pids));
  });

  it("kills a server that ignores SIGTERM", async () => {
    const stubborn = fixtureWorkspace();
    await runCheck({
      practice: fixturePractice(),
      workspace: stubborn.dir,
      env: { ...process.env, FIXTURE_MODE: "stubborn", FIXTURE_PIDS: stubborn.pids },
    });
    await expectAllGone(recordedPids(stubborn.pids));
  });

  it("stops the suite and the server when the check's time limit runs out", async () => {
    const { dir, pids } = fixtureWorkspace();
    const outcome = await runCheck({
      // Past Vitest's start on a loaded machine (it can take several seconds), well before R90.2's
      // 30 s request timeout.
      practice: fixturePractice({ checkTimeoutSeconds: 12, env: { DRILL_REQUEST_TIMEOUT_MS: "30000" } }),
      workspace: dir,
      env: { ...process.env, FIXTURE_MODE: "hang", FIXTURE_PIDS: pids },
    });
    expect(outcome.run.timedOut).toBe(true);
    expect(outcome.requirements["R90.2"]).toBe("failed");
    await expectAllGone(recordedPids(pids));
  });

  it("refuses a --port that is taken, before starting anything", async () => {
    const { dir } = fixtureWorkspace();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const error = await runCheck({ practice: fixturePractice(), workspace: dir, port }).catch((e: unknown) => e);
      expect((error as DrillError).code).toBe("port-taken");
      expect((error as DrillError).message).toContain(String(port));
    } finally {
      blocker.close();
    }
  });

  it("under --url, runs against the given server and skips what needs control, with the reason", async () => {
    const { dir, pids } = fixtureWorkspace();
    // Start the fixture by hand as "the learner's own server".
    const { spawnOwned } = await import("../src/core/check/processes.js");
    const { freePort } = await import("../src/core/check/ports.js");
    const port = await freePort();
    const own = spawnOwned("python3", ["server.py", String(port)], {
      cwd: dir,
      env: { ...process.env, FIXTURE_PIDS: pids },
      stdio: "ignore",
    });
    try {
      const { eventually } = await import("../hidden-tests/harness/eventually.js");
      await eventually(async () => {
        const r = await fetch(`http://127.0.0.1:${port}/health`);
        if (r.status !== 200) throw new Error("not yet");
      });
      const outcome = await runCheck({ practice: fixturePractice(), workspace: dir, url: `http://127.0.0.1:${port}` });
      expect(outcome.mode).toBe("url");
      expect(outcome.requirements).toEqual({ "R90.1": "passed", "R90.2": "passed", "R90.3": "skipped" });
      expect(outcome.run.results.find((r) => r.requirement === "R90.3")?.note).toContain("--url");
    } finally {
      await own.stop();
    }
  });
});
