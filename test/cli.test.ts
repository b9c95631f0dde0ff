// drill as a learner meets it: the built binary, no terminal, CI=true. Every bad input gives a
// one-line explanation and a non-zero exit, never a stack trace; nothing the learner has is lost.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync, symlinkSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import fse from "fs-extra";
import { describe, expect, it } from "vitest";
import { loadHistory } from "../src/core/record/history.js";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { CLI, expectCleanFailure, ROOT, TEST_VENV, isAlive, runCli, startWorkspace, tempDir } from "./helpers.js";

function gitLog(dir: string): string[] {
  return execFileSync("git", ["log", "--format=%s"], { cwd: dir, encoding: "utf8" }).trim().split("\n");
}

describe("drill list and --version", () => {
  it("prints its version", async () => {
    const result = await runCli(["--version"], { home: tempDir() });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version);
  });

  it("lists the practices with what each trains, as text and as JSON", async () => {
    const home = tempDir();
    const text = await runCli(["list"], { home });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/01\s+Async ML inference/i);
    expect(text.stdout).toContain("Integrate ML models into production systems");
    expect(text.stdout).toContain("not yet green");
    const json = JSON.parse((await runCli(["list", "--json"], { home })).stdout) as Array<{ id: string; bestMs: number | null }>;
    expect(json.map((p) => p.id)).toEqual(expect.arrayContaining(["01", "03"]));
    expect(json.every((p) => p.bestMs === null)).toBe(true);
  });
});

describe("drill start", () => {
  it("creates a workspace from the scaffold, the model and the spec, commits it, and prints the deadline without a terminal", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    const result = await runCli(["start", "3", "--dir", dir, "--timer", "45"], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/timer: 45 min, due at/);
    expect(result.stdout).toMatch(/R03\.1/);
    for (const file of [
      "README.md",
      "model.py",
      "model_weights.json",
      "requirements.txt",
      "app/main.py",
      ".drill/session.json",
      ".gitignore",
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect(readFileSync(join(dir, "README.md"), "utf8")).toBe(readFileSync(resolvePractice("03").specPath, "utf8"));
    expect(gitLog(dir)).toEqual(["drill start: 03-api-security (scaffold)"]);
    const history = loadHistory(home);
    expect(history.sessions).toHaveLength(1);
    expect(history.sessions[0]).toMatchObject({ practice: "03-api-security", workspace: dir, timerMinutes: 45, phase: 3, mode: "drill" });
    expect(history.activeSessionId).toBe(history.sessions[0]?.id);
  });

  it("never overwrites an existing workspace: without a terminal it refuses and changes nothing", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home);
    writeFileSync(join(dir, "app", "main.py"), "# my work\n");
    // Another practice into the same folder (the same practice would meet its open attempt first).
    const result = await runCli(["start", "03", "--dir", dir], { home });
    expectCleanFailure(result, /already exists and is not empty; drill never overwrites it/);
    expect(readFileSync(join(dir, "app", "main.py"), "utf8")).toBe("# my work\n");
    expect(loadHistory(home).sessions).toHaveLength(1);
  });

  it("a practice with an open attempt: without a terminal it refuses and names both choices as commands", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home);
    const elsewhere = join(tempDir(), "again");
    const result = await runCli(["start", "01", "--dir", elsewhere], { home });
    expectCleanFailure(result, new RegExp(`01 Async ML inference has an open attempt in ${dir} \\(\\d\\d:\\d\\d on the clock\\)`));
    expect(result.stderr).toContain(`Continue it: \`drill resume --dir ${dir}\``);
    expect(result.stderr).toContain("Abandon it and start afresh: `drill reset 01`");
    expect(existsSync(elsewhere)).toBe(false);
    expect(loadHistory(home).sessions).toHaveLength(1);
  });

  it("--random picks a practice, says why, and starts it", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    const result = await runCli(["start", "--random", "--dir", dir], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/picked at random \(never drilled\): \d\d /);
    expect(loadHistory(home).sessions[0]).toMatchObject({ workspace: dir, phase: 3, timerMinutes: 60 });
  });

  it.each([
    [["start", "99"], /there is no practice "99"/],
    [["start", "03", "--timer", "abc"], /--timer takes a positive number of minutes/],
    [["start", "03", "--timer", "-5"], /--timer takes a positive number of minutes/],
    [["start", "03", "--timer", "0"], /--timer takes a positive number of minutes/],
    [["start", "03", "--phase", "7"], /--phase takes 1, 2, 3 or 4/],
    [["start"], /name the practice to start/],
    [["start", "03", "--random"], /give a practice or --random, not both/],
    [["start", "03", "--phase", "4"], /use `drill fire-drill`/],
    [["resume"], /no active drill session/],
    [["start", "03", "--bogus"], /unknown option '--bogus'/],
    [["frobnicate"], /unknown command 'frobnicate'/],
  ])("drill %j fails with a clear message", async (args, message) => {
    const home = tempDir();
    expectCleanFailure(await runCli(args, { home }), message);
    expect(existsSync(join(home, "history.jsonl"))).toBe(false);
  });
});

describe("drill status and missing things", () => {
  it("shows the active session from anywhere, and the workspace's own session from inside it", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home);
    const anywhere = await runCli(["status"], { home });
    expect(anywhere.exitCode).toBe(0);
    expect(anywhere.stdout).toMatch(/01 Async ML inference/i);
    expect(anywhere.stdout).toMatch(/remaining\s+(59|60):\d\d of 60 min/);
    expect(anywhere.stdout).toContain("none yet");
    const inside = JSON.parse((await runCli(["status", "--json"], { home, cwd: join(dir, "app") })).stdout);
    expect(inside).toMatchObject({ practice: "01-async-inference", workspace: dir, status: "active", checks: 0, lastCheck: null });
  });

  it("says there is no session, or no workspace, plainly", async () => {
    const home = tempDir();
    expectCleanFailure(await runCli(["check"], { home }), /there is no active drill session here/);
    expectCleanFailure(await runCli(["status", "--dir", "/nonexistent/ws"], { home }), /does not exist/);
    expectCleanFailure(await runCli(["check", "--dir", tempDir()], { home }), /is not a drill workspace/);
  });

  it("reports an unreadable history to a command that only reads; one that records moves it aside and starts afresh next time", async () => {
    const home = tempDir();
    writeFileSync(join(home, "history.jsonl"), "{ half a file");
    expectCleanFailure(await runCli(["status"], { home }), /does not look like drill's history .*; nothing was changed/);
    expect(readdirSync(home)).toEqual(["history.jsonl"]);
    const dir = join(tempDir(), "ws");
    expectCleanFailure(
      await runCli(["start", "03", "--dir", dir], { home }),
      /does not look like drill's history .*; it was moved aside to/,
    );
    expect(existsSync(dir)).toBe(false);
    const aside = readdirSync(home).filter((f) => f.endsWith(".bad"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(home, aside[0] as string), "utf8")).toBe("{ half a file");
    expectCleanFailure(await runCli(["status"], { home }), /no active drill session/);
  });

  it("reports a damaged line of the history and goes on with the rest", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home);
    appendFileSync(join(home, "history.jsonl"), "{ torn\n");
    const status = await runCli(["status", "--json"], { home });
    expect(status.exitCode).toBe(0);
    expect(status.stderr).toMatch(/history\.jsonl: line 3 could not be read and was left out \(still in the file\)/);
    expect(JSON.parse(status.stdout)).toMatchObject({ workspace: dir, status: "active" });
  });

  it("says Python is missing, for setup and for check", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home);
    const env = { DRILL_PYTHON: "/nonexistent/python3" };
    expectCleanFailure(await runCli(["setup", "--dir", dir], { home, env }), /needs Python 3\.10 or newer, and found none/);
    expectCleanFailure(await runCli(["check", "--dir", dir], { home, env }), /needs Python 3\.10 or newer/);
  });

  it("says the package index cannot be reached", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home);
    const env = {
      PIP_INDEX_URL: "http://127.0.0.1:9/simple",
      PIP_RETRIES: "0",
      PIP_TIMEOUT: "2",
      PIP_FIND_LINKS: "",
      PIP_NO_CACHE_DIR: "1",
    };
    expectCleanFailure(await runCli(["setup", "--dir", dir], { home, env }), /could not reach the package index/);
  });
});

describe("a new learner's first drill, end to end", () => {
  it("start readies Python before the clock, a failing check on the scaffold, then the reference passes and the record shows it", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    // The real path: no DRILL_SKIP_PYTHON. Offline: pip installs from the wheelhouse
    // scripts/python-env.sh keeps, never from an index.
    const offline = {
      DRILL_SKIP_PYTHON: "",
      PIP_NO_INDEX: "1",
      PIP_FIND_LINKS: join(ROOT, ".wheelhouse"),
      PIP_INDEX_URL: "http://127.0.0.1:9/simple",
    };
    const start = await runCli(["start", "01", "--dir", dir, "--timer", "60"], { home, env: offline, timeout: 300_000 });
    expect(start.exitCode, start.all).toBe(0);
    expect(start.stdout).toMatch(/Python ready: \.venv → .* \(built and cached\)/);
    expect(start.stdout).not.toContain("drill setup");
    const env = readlinkSync(join(dir, ".venv"));
    expect(env).toMatch(new RegExp(`^${join(home, "envs")}/[0-9a-f]{64}$`));
    // The clock started once the environment was complete (its marker is written last).
    const started = Date.parse(loadHistory(home).sessions[0]?.startedAt ?? "");
    expect(started).toBeGreaterThanOrEqual(Math.floor(statSync(join(env, "drill-env.json")).mtimeMs));

    // drill setup stays for repairs: here it finds the environment sound.
    const setup = await runCli(["setup", "--dir", dir], { home, env: offline, timeout: 300_000 });
    expect(setup.exitCode, setup.all).toBe(0);
    expect(setup.stdout).toMatch(/Python ready: \.venv → .* \(cached\)/);

    const failing = await runCli(["check", "--dir", dir], { home });
    expect(failing.exitCode, failing.all).toBe(1);
    const practice = resolvePractice("01");
    const ids = [...new Set(readFileSync(practice.specPath, "utf8").match(/R01\.\d+/g))];
    for (const id of ids) expect(failing.stdout).toMatch(new RegExp(`✘ ${id.replace(".", "\\.")}\\b`));
    expect(failing.stdout).toContain("expected:");
    expect(failing.stdout).toContain("curl -i -X");
    expect(failing.stdout).toMatch(/0 of \d+ requirements pass/);

    fse.copySync(practice.referenceDir, dir);
    const passing = await runCli(["check", "--dir", dir, "--json"], { home });
    expect(passing.exitCode, passing.all).toBe(0);
    const result = JSON.parse(passing.stdout);
    expect(result.failed).toBe(0);
    expect(result.passed).toBe(ids.length);

    const status = await runCli(["status", "--dir", dir, "--json"], { home });
    expect(JSON.parse(status.stdout)).toMatchObject({ status: "passed", checks: 2, lastCheck: { failed: 0 } });
    const listed = JSON.parse((await runCli(["list", "--json"], { home })).stdout) as Array<{ slug: string; bestMs: number | null }>;
    expect(listed.find((p) => p.slug === "01-async-inference")?.bestMs).toBeGreaterThan(0);
    expect(gitLog(dir)[0]).toMatch(new RegExp(`drill check: ${ids.length}/${ids.length} requirements pass`));
    expect(gitLog(dir)).toHaveLength(3);

    // The next attempt of a practice with the same requirements reuses the environment.
    const again = await runCli(["reset", "--dir", dir], { home, env: offline, timeout: 300_000 });
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toMatch(/Python ready: \.venv → .* \(cached\)/);
    expect(readlinkSync(join(dir, ".venv"))).toBe(env);
  });

  it("explains a server that crashes at start, records the attempt, and keeps the learner's code", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "03");
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    writeFileSync(join(dir, "app", "main.py"), "from fastapi import FastAPI\napp = FastAPI(\n");
    const result = await runCli(["check", "--dir", dir], { home });
    expectCleanFailure(result, /the server exited \(code 1\) before GET \/health answered/);
    expect(result.all).toContain("SyntaxError");
    expect(readFileSync(join(dir, "app", "main.py"), "utf8")).toBe("from fastapi import FastAPI\napp = FastAPI(\n");
    const status = JSON.parse((await runCli(["status", "--dir", dir, "--json"], { home })).stdout);
    expect(status.checks).toBe(1);
    expect(status.lastCheck.error).toMatch(/server exited/);
  });

  it("refuses a --port that is already taken", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "03");
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      expectCleanFailure(
        await runCli(["check", "--dir", dir, "--port", String(port)], { home }),
        new RegExp(`port ${port} is already in use`),
      );
      // Nothing of the learner's ran: not an attempt.
      expect(JSON.parse((await runCli(["status", "--dir", dir, "--json"], { home })).stdout)).toMatchObject({ checks: 0, lastCheck: null });
    } finally {
      blocker.close();
    }
  });
});

describe("drill reset", () => {
  it("archives the attempt with its git history, records it abandoned, starts afresh; a check in the archive never turns it green", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "01");
    writeFileSync(join(dir, "app", "main.py"), "# my first try\n");
    const result = await runCli(["reset", "01"], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(
      /archived .*ws → .*ws\.archived-\d{8}-\d{6} \(its files and git history intact; nothing deleted\); that attempt is recorded as abandoned/,
    );
    const archive = join(dir, "..", readdirSync(join(dir, "..")).find((name) => name.startsWith("ws.archived-")) ?? "none");
    expect(readFileSync(join(archive, "app", "main.py"), "utf8")).toBe("# my first try\n");
    expect(gitLog(archive)).toEqual(["drill start: 01-async-inference (scaffold)"]);
    // A fresh workspace where the old one was, of the same practice and timer.
    expect(readFileSync(join(dir, "app", "main.py"), "utf8")).toBe(
      readFileSync(join(resolvePractice("01").scaffoldDir, "app", "main.py"), "utf8"),
    );
    expect(gitLog(dir)).toEqual(["drill start: 01-async-inference (scaffold)"]);
    const [old, fresh] = loadHistory(home).sessions;
    expect(old?.events.at(-1)).toMatchObject({ type: "end", outcome: "abandoned" });
    expect(fresh).toMatchObject({ practice: "01-async-inference", workspace: dir, timerMinutes: 60 });

    // The reference in the archived folder: the check runs and is recorded, the attempt stays abandoned.
    fse.copySync(resolvePractice("01").referenceDir, archive);
    symlinkSync(TEST_VENV, join(archive, ".venv"));
    const check = await runCli(["check", "--dir", archive, "--json"], { home });
    expect(check.exitCode, check.all).toBe(0);
    const status = JSON.parse((await runCli(["status", "--dir", archive, "--json"], { home })).stdout);
    expect(status).toMatchObject({ status: "abandoned", checks: 1, timeToGreenMs: null, lastCheck: { failed: 0 } });
    const listed = JSON.parse((await runCli(["list", "--json"], { home })).stdout) as Array<{ slug: string; bestMs: number | null }>;
    expect(listed.find((p) => p.slug === "01-async-inference")?.bestMs).toBeNull();
    expect(JSON.parse((await runCli(["status", "--dir", dir, "--json"], { home })).stdout)).toMatchObject({ status: "active", checks: 0 });
  });

  it.each([
    [["reset", "03"], /there is no attempt of 03 API security.* to reset/],
    [["reset"], /no active drill session/],
    [["reset", "99"], /there is no practice "99"/],
  ])("drill %j fails with a clear message and changes nothing", async (args, message) => {
    const home = tempDir();
    expectCleanFailure(await runCli(args, { home, cwd: tempDir() }), message);
  });
});

describe("Ctrl-C during a check", () => {
  it("stops the server, its children and the suite, and exits 130", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "01");
    // A server that is ready but never answers anything else, so the check is mid-suite.
    fse.copySync(join(ROOT, "test", "fixtures", "server", "server.py"), join(dir, "server.py"));
    fse.outputJsonSync(join(dir, ".drill", "config.json"), { command: ["python3", "server.py", "{port}"] });
    const pids = join(dir, "pids");
    const child = spawn(process.execPath, [CLI, "check", "--dir", dir], {
      env: { ...process.env, CI: "true", FORCE_COLOR: "0", DRILL_HOME: home, FIXTURE_MODE: "hang", FIXTURE_PIDS: pids },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      for (let i = 0; i < 200 && !output.includes("running"); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain("server ready");
      // drill's direct children: the server and the suite's Vitest process. The suite restarts
      // the server early (R01.1), so for a moment there is only one: wait until both are there.
      const children = () =>
        execFileSync("pgrep", ["-P", String(child.pid)], { encoding: "utf8" })
          .trim()
          .split("\n")
          .filter(Boolean)
          .map(Number);
      let suiteChildren = children();
      for (let i = 0; i < 100 && suiteChildren.length < 2; i++) {
        await new Promise((r) => setTimeout(r, 50));
        suiteChildren = children();
      }
      expect(suiteChildren.length).toBeGreaterThanOrEqual(2);
      child.kill("SIGINT");
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 10_000))]);
      expect(code).toBe(130);
      expect(output).toContain("interrupted");
      const all = readFileSync(pids, "utf8").trim().split(/\s+/).map(Number);
      for (let i = 0; i < 40 && [...all, ...suiteChildren].some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
      expect(all.filter(isAlive)).toEqual([]);
      expect(suiteChildren.filter(isAlive)).toEqual([]);
    } finally {
      child.kill("SIGKILL");
      rmSync(pids, { force: true });
    }
  });
});
