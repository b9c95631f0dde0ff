// drill hint, serve, check --only, diff and completion as a learner meets them: the built
// binary, no terminal, CI=true. What they record (or must not), what they refuse in one line,
// and that no server outlives drill serve.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import fse from "fs-extra";
import { describe, expect, it } from "vitest";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { freePort } from "../src/core/check/ports.js";
import { loadHistory } from "../src/core/record/history.js";
import { CLI, expectCleanFailure, isAlive, runCli, startWorkspace, TEST_VENV, tempDir } from "./helpers.js";

function events(home: string, type: string) {
  return loadHistory(home).sessions.flatMap((s) => s.events.filter((e) => e.type === type));
}

describe("drill hint", () => {
  it("prints the asked requirement's hint and records it once; an unknown id is one line naming the valid ones", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "03");
    const first = await runCli(["hint", "R03.8", "--dir", dir], { home });
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toMatch(/hint \d+\/\d+: R03\.8\b/);
    expect(first.stdout).toContain("recorded as a hint taken");
    const again = await runCli(["hint", "r03.8", "--dir", dir], { home });
    expect(again.stdout).toContain("not counted again");
    expect(events(home, "hint")).toHaveLength(1);

    const unknown = await runCli(["hint", "R03.99", "--dir", dir], { home });
    expectCleanFailure(unknown, /"R03\.99" is not a requirement of practice 03; valid: R03\.1, R03\.2, .*R03\.17/);
    expect(unknown.all?.trim().split("\n")).toHaveLength(1);
    expect(events(home, "hint")).toHaveLength(1);
  });

  it("without an id and without a check: the next hint not yet taken; with --json, the data", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "01");
    const result = await runCli(["hint", "--dir", dir, "--json"], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ hint: { index: 0 }, recorded: true, reason: "the next hint you have not taken" });
  });

  it("without a session: the usual one-line error", async () => {
    expectCleanFailure(await runCli(["hint"], { home: tempDir(), cwd: tempDir() }), /there is no active drill session here/);
  });
});

describe("drill check --only", () => {
  it("refuses an id the spec does not have, in one line, before anything runs", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "03");
    const result = await runCli(["check", "--dir", dir, "--only", "R03.8", "--only", "R3.x"], { home });
    expectCleanFailure(result, /--only: "R3\.X" is not a requirement of practice 03; valid: R03\.1/);
    expect(result.all).not.toContain("starting your server");
  });

  it("runs just the named requirements, prints curls against the serve port, and records nothing", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "03");
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    const before = execFileSync("git", ["log", "--format=%s"], { cwd: dir, encoding: "utf8" });
    const result = await runCli(["check", "--dir", dir, "--only", "R03.2", "--json"], { home });
    expect(result.exitCode, result.all).toBe(1);
    const json = JSON.parse(result.stdout) as { requirements: Record<string, string>; recorded: boolean; only: string[] };
    expect(json.requirements).toEqual({ "R03.2": "failed" });
    expect(json.recorded).toBe(false);
    expect(json.only).toEqual(["R03.2"]);
    const text = await runCli(["check", "--dir", dir, "--only", "R03.2"], { home });
    expect(text.stdout).toContain("curl -i -X GET 'http://127.0.0.1:8003/me'");
    expect(text.stdout).toMatch(/run `drill serve` to replay/);
    expect(text.stdout).toContain("not recorded");
    expect(events(home, "check")).toEqual([]);
    expect(execFileSync("git", ["log", "--format=%s"], { cwd: dir, encoding: "utf8" })).toBe(before);
  });

  it("never turns an attempt green, even when every named requirement passes; after a full green run, diff just shows", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "01");
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    fse.copySync(resolvePractice("01").referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
    const result = await runCli(["check", "--dir", dir, "--only", "R01.2", "--only", "R01.9"], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/2 of 2 requirements pass|all requirements pass/);
    const status = JSON.parse((await runCli(["status", "--dir", dir, "--json"], { home })).stdout);
    expect(status).toMatchObject({ status: "active", checks: 0 });

    // A full run turns it green; after that drill diff shows the reference without asking or recording.
    expect((await runCli(["check", "--dir", dir], { home })).exitCode).toBe(0);
    const diff = await runCli(["diff", "--dir", dir, "--json"], { home });
    expect(diff.exitCode, diff.all).toBe(0);
    expect(JSON.parse(diff.stdout)).toMatchObject({ changed: [], missing: [] });
    expect(events(home, "reference-seen")).toEqual([]);
  });
});

// A server that reports what it was given, and starts a grandchild, like a uvicorn with --reload.
const ENV_SERVER = `
import http.server, json, os, subprocess, sys
port = int(sys.argv[1])
child = subprocess.Popen(["sleep", "300"])
with open(os.environ["PIDS_FILE"], "a") as f:
    f.write(f"{os.getpid()} {child.pid}\\n")
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({k: os.environ.get(k) for k in ["PYTHONHASHSEED", "PORT", "HOST", "DATABASE_URL", "MODEL_LATENCY_MS", "BATCH_MAX_ITEMS"]}).encode()
        self.send_response(200); self.send_header("content-length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, format, *args):
        print("envserver:", format % args, flush=True)
print("envserver listening", flush=True)
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
`;

describe("drill serve", () => {
  // The default port (8000 + the practice's number) is pinned in test/unit/cockpit-commands.test.ts
  // and shows in the --only test's curls; here a free port keeps parallel runs apart.
  it("serves on the port it prints with a check's knobs, services and hash seed, streams its output, and Ctrl-C leaves nothing running", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "02");
    writeFileSync(join(dir, "envserver.py"), ENV_SERVER);
    fse.outputJsonSync(join(dir, ".drill", "config.json"), { command: ["python3", "envserver.py", "{port}"] });
    const pids = join(tempDir(), "pids");
    const port = await freePort();
    const child = spawn(process.execPath, [CLI, "serve", "--dir", dir, "--port", String(port)], {
      env: { ...process.env, CI: "true", NO_COLOR: "1", DRILL_HOME: home, PIDS_FILE: pids, DRILL_DATABASE_URL: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      for (let i = 0; i < 300 && !output.includes("(Ctrl-C stops it)"); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain(`your server is up at http://127.0.0.1:${port}`);
      const given = (await (await fetch(`http://127.0.0.1:${port}/env`)).json()) as Record<string, string>;
      expect(given).toMatchObject({
        PYTHONHASHSEED: "0",
        PORT: String(port),
        HOST: "127.0.0.1",
        MODEL_LATENCY_MS: "0",
        BATCH_MAX_ITEMS: "1000",
      });
      expect(given.DATABASE_URL).toMatch(/^sqlite\+aiosqlite:\/\/\/.*drill-db-.*app\.db$/);
      const database = (given.DATABASE_URL ?? "").replace("sqlite+aiosqlite:///", "");
      expect(existsSync(join(database, ".."))).toBe(true);
      // The server's own output reaches the terminal as it comes.
      for (let i = 0; i < 40 && !output.includes('envserver: "GET /env'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain('envserver: "GET /env');

      // A second serve on the same port is refused in one line, and leaves the first alone.
      expectCleanFailure(
        await runCli(["serve", "--dir", dir, "--port", String(port)], { home }),
        new RegExp(`port ${port} is already in use`),
      );
      expect((await fetch(`http://127.0.0.1:${port}/env`)).status).toBe(200);

      child.kill("SIGINT");
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r("timeout"), 10_000))]);
      expect(code).toBe(130);
      const all = readFileSync(pids, "utf8").trim().split(/\s+/).map(Number);
      expect(all).toHaveLength(2);
      for (let i = 0; i < 40 && all.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
      expect(all.filter(isAlive)).toEqual([]);
      // The service made for it is released, as after a check.
      expect(existsSync(join(database, ".."))).toBe(false);
      // Not recorded.
      expect(events(home, "check")).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("refuses a port already taken, in one line", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "03");
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      expectCleanFailure(
        await runCli(["serve", "--dir", dir, "--port", String(port)], { home }),
        new RegExp(`port ${port} is already in use`),
      );
    } finally {
      blocker.close();
    }
  });
});

describe("drill diff", () => {
  it("before green: refuses without a terminal unless --yes, then shows the diff and records the reference seen once", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "01");
    const refused = await runCli(["diff", "--dir", dir], { home });
    expectCleanFailure(refused, /not green yet.*pass --yes|not green yet/i);
    expect(refused.all).toContain("--yes");
    expect(events(home, "reference-seen")).toEqual([]);

    const json = await runCli(["diff", "--dir", dir, "--json", "--yes"], { home });
    expect(json.exitCode, json.all).toBe(0);
    const listed = JSON.parse(json.stdout) as { changed: string[]; added: string[]; missing: string[] };
    expect(listed.changed).toContain("app/main.py");
    expect(listed.missing).toContain("app/routes.py");
    expect([...listed.changed, ...listed.added, ...listed.missing]).not.toContain("key-blocks.json");
    expect(events(home, "reference-seen")).toHaveLength(1);

    const text = await runCli(["diff", "--dir", dir], { home });
    expect(text.exitCode, text.all).toBe(0);
    expect(text.stdout).toContain("--- reference/app/main.py");
    expect(text.stdout).toContain("+++ yours/app/main.py");
    expect(text.stdout).not.toContain(`${dir.slice(1)}/app`);
    expect(events(home, "reference-seen")).toHaveLength(1);
    // The record still reads (the new record type has a schema), and stats still work.
    expect((await runCli(["stats", "--json"], { home })).exitCode).toBe(0);
  });
});

describe("conventions", () => {
  it("drill completion prints a script for bash, zsh and fish, and refuses another shell in one line", async () => {
    const home = tempDir();
    for (const shell of ["bash", "zsh", "fish"]) {
      const result = await runCli(["completion", shell], { home });
      expect(result.exitCode, result.all).toBe(0);
      for (const word of ["start", "check", "serve", "diff", "hint", "03-api-security"]) expect(result.stdout).toContain(word);
    }
    const bash = (await runCli(["completion", "bash"], { home })).stdout;
    const offered = execFileSync(
      "bash",
      ["-c", `${bash}\nCOMP_WORDS=(drill check --o); COMP_CWORD=2; _drill; printf '%s\\n' "\${COMPREPLY[@]}"`],
      { encoding: "utf8" },
    );
    expect(offered.trim().split("\n")).toEqual(["--only"]);
    expectCleanFailure(await runCli(["completion", "tcsh"], { home }), /takes bash, zsh or fish, not "tcsh"/);
  });

  it("every --help shows examples and the start → build → check loop", async () => {
    const home = tempDir();
    const top = await runCli(["--help"], { home });
    const names = [...top.stdout.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1] ?? "").filter((name) => name !== "help");
    expect(names).toEqual(expect.arrayContaining(["start", "check", "hint", "serve", "diff", "completion"]));
    for (const args of [[], ...names.map((name) => [name])]) {
      const help = await runCli([...args, "--help"], { home });
      expect(help.exitCode, args.join(" ")).toBe(0);
      expect(help.stdout, args.join(" ")).toMatch(/\nExamples:\n {2}drill /);
      expect(help.stdout, args.join(" ")).toContain("start → build → check");
    }
  });

  it("NO_COLOR turns colour off even where colour would be forced by a terminal", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "03");
    const coloured = await runCli(["hint", "R03.8", "--dir", dir], { home, env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape is what is looked for
    expect(coloured.stdout).toMatch(/\u001b\[/);
    const plain = await runCli(["hint", "R03.8", "--dir", dir], { home, env: { NO_COLOR: "1", FORCE_COLOR: "" } });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape is what is looked for
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });
});
