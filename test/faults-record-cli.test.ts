// Faults of the record and the workspace as a learner meets them: the built binary, no terminal
// (build first: npm run build). Each ends with one line and exit 2, before any
// work starts, never a stack trace or exit 70, and nothing the learner has is overwritten.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { loadHistory } from "../src/core/record/history.js";
import { freePort } from "../src/core/check/ports.js";
import { CLI, expectCleanFailure, runCli, startWorkspace, tempDir } from "./helpers.js";

function aFile(): string {
  const file = join(tempDir(), "notes.txt");
  writeFileSync(file, "mine\n");
  return file;
}

describe("DRILL_HOME that drill cannot use", () => {
  it.each([
    ["start", (where: string) => ["start", "03", "--dir", where]],
    ["break", (where: string) => ["break", "03", "--dir", where]],
    ["fire-drill", (where: string) => ["fire-drill", "--dir", where]],
    ["study", () => ["study", "03"]],
  ])("a file: drill %s says so in one line, exit 2, and makes nothing", async (_name, args) => {
    const home = aFile();
    const where = join(tempDir(), "new");
    const result = await runCli(args(where), { home });
    expectCleanFailure(result, /^✘ drill keeps your record in .*notes\.txt, which is a file, not a folder$/m);
    expect(existsSync(where)).toBe(false);
    expect(readFileSync(home, "utf8")).toBe("mine\n");
  });

  it("a file: drill check says so before any server starts", async () => {
    const dir = await startWorkspace(tempDir());
    const result = await runCli(["check", "--dir", dir], { home: aFile() });
    expectCleanFailure(result, /which is a file, not a folder/);
    expect(result.all).not.toContain("starting your server");
  });

  it("a file: commands that only read say so too, and list still lists", async () => {
    const home = aFile();
    expectCleanFailure(await runCli(["stats"], { home }), /which is a file, not a folder/);
    const list = await runCli(["list"], { home });
    expect(list.exitCode).toBe(0);
    expect(list.stderr).toMatch(/which is a file, not a folder \(best times are left out\)/);
    expect(list.stdout).toContain("Async ML inference");
  });

  it("a folder in a place drill cannot create: one line, exit 2", async () => {
    const home = join(aFile(), "drill");
    expectCleanFailure(
      await runCli(["start", "03", "--dir", join(tempDir(), "ws")], { home }),
      /^✘ drill cannot create its data folder .*: a part of that path is a file, not a folder \(ENOTDIR\)$/m,
    );
  });

  // Permissions do not bind root: as root the CLI runs as nobody (setpriv), else as this user.
  const asRoot = process.getuid?.() === 0;
  const hasSetpriv = spawnSync("setpriv", ["--version"]).status === 0;
  it.skipIf(asRoot && !hasSetpriv)("unwritable: start and check say so in one line, exit 2, before any work", async () => {
    const root = tempDir();
    chmodSync(root, 0o755);
    const home = join(root, "home");
    mkdirSync(home);
    const dir = await startWorkspace(home, "03");
    chmodSync(home, 0o555);
    const run = (args: string[]) => {
      const command = asRoot ? "setpriv" : process.execPath;
      const prefix = asRoot ? ["--reuid=65534", "--regid=65534", "--clear-groups", "--", process.execPath] : [];
      return execa(command, [...prefix, CLI, ...args], {
        cwd: root,
        env: { CI: "true", FORCE_COLOR: "0", NO_COLOR: "1", DRILL_HOME: home },
        reject: false,
        stdin: "ignore",
        timeout: 60_000,
        all: true,
      });
    };
    try {
      const elsewhere = join(root, "other");
      mkdirSync(elsewhere);
      chmodSync(elsewhere, 0o777);
      const started = await run(["start", "03", "--dir", join(elsewhere, "ws")]);
      expectCleanFailure(
        started,
        /^✘ drill cannot write to its history file .*history\.jsonl: permission denied \(EACCES\)$|^✘ drill cannot write to its data folder .*: permission denied \(EACCES\)$/m,
      );
      expect(existsSync(join(elsewhere, "ws"))).toBe(false);
      const checked = await run(["check", "--dir", dir]);
      expectCleanFailure(checked, /drill cannot write to its (data folder|history file)/);
      expect(checked.all).not.toContain("starting your server");
    } finally {
      chmodSync(home, 0o755);
    }
  });
});

describe("workspaces drill cannot make", () => {
  it.each([
    [
      "start --dir <a file>",
      (file: string) => ["start", "03", "--dir", file],
      /^✘ .*notes\.txt is a file, not a folder; drill needs a folder for the workspace$/m,
    ],
    [
      "break --dir <a file>",
      (file: string) => ["break", "03", "--dir", file],
      /^✘ .*notes\.txt is a file, not a folder; drill needs a folder for the workspace$/m,
    ],
    [
      "start --dir <a file>/ws",
      (file: string) => ["start", "03", "--dir", join(file, "ws")],
      /^✘ drill cannot put the workspace in .*notes\.txt\/ws: .*notes\.txt is a file, not a folder$/m,
    ],
    [
      "fire-drill --dir <a file>",
      (file: string) => ["fire-drill", "--dir", file],
      /^✘ .*notes\.txt is a file, not a folder; drill needs a folder for the fire drill's workspaces$/m,
    ],
  ])("drill %s: one line, exit 2, the file untouched, nothing recorded", async (_name, args, message) => {
    const home = tempDir();
    const file = aFile();
    expectCleanFailure(await runCli(args(file), { home }), message);
    expect(readFileSync(file, "utf8")).toBe("mine\n");
    expect(existsSync(join(home, "history.jsonl"))).toBe(false);
  });

  it("--dir to a dangling symlink: refused, and the symlink kept", async () => {
    const home = tempDir();
    const link = join(tempDir(), "ws");
    symlinkSync("/nonexistent/drill-target", link);
    expectCleanFailure(
      await runCli(["start", "03", "--dir", link], { home }),
      /already exists and is not empty; drill never overwrites it/,
    );
    expect(readlinkSync(link)).toBe("/nonexistent/drill-target");
  });

  it.skipIf(process.platform !== "linux")(
    "a folder in a place that refuses folders (under /proc): one line, exit 2, and no endless loop",
    async () => {
      const result = await runCli(["start", "03", "--dir", "/proc/drill-nope/ws"], { home: tempDir(), timeout: 30_000 });
      expectCleanFailure(result, /^✘ drill could not create the workspace \/proc\/drill-nope\/ws: /m);
    },
  );

  it("a fire drill meeting a file named like a workspace: one line, exit 2, nothing moved or recorded", async () => {
    const home = tempDir();
    const dir = tempDir();
    writeFileSync(join(dir, "drill-01-async-inference"), "not a workspace\n");
    const result = await runCli(["fire-drill", "--dir", dir], { home });
    expectCleanFailure(
      result,
      /^✘ .*drill-01-async-inference is a file where the fire drill puts a workspace; drill never moves or overwrites it$/m,
    );
    expect(readdirSync(dir)).toEqual(["drill-01-async-inference"]);
    expect(existsSync(join(home, "history.jsonl"))).toBe(false);
    // And a second try, with the file moved away, is not blocked by a half-started run.
    renameSync(join(dir, "drill-01-async-inference"), join(dir, "elsewhere.txt"));
    const again = await runCli(["fire-drill", "--dir", dir], { home });
    expect(again.exitCode, again.all).toBe(0);
  });
});

describe("a history this drill cannot read", () => {
  const NEWER = `${JSON.stringify({ drill: "history", version: 2 })}\n${JSON.stringify({ type: "teleport", at: "2027-01-01T00:00:00.000Z" })}\n`;

  it("of a newer version: status, stats, plan report it and change nothing; list lists without best times", async () => {
    const home = tempDir();
    writeFileSync(join(home, "history.jsonl"), NEWER);
    for (const command of ["status", "stats", "plan"]) {
      expectCleanFailure(
        await runCli([command], { home }),
        /^✘ the history file .*history\.jsonl was written by a newer drill \(history version 2; this drill reads version 1\); nothing was changed$/m,
      );
    }
    const list = await runCli(["list"], { home });
    expect(list.exitCode).toBe(0);
    expect(list.stderr).toMatch(/was written by a newer drill .*\(best times are left out\)/);
    expect(readdirSync(home)).toEqual(["history.jsonl"]);
    expect(readFileSync(join(home, "history.jsonl"), "utf8")).toBe(NEWER);
  });

  it("of a newer version: a command that records moves it aside (renamed, never deleted), and the next one starts afresh", async () => {
    const home = tempDir();
    writeFileSync(join(home, "history.jsonl"), NEWER);
    const dir = join(tempDir(), "ws");
    const first = await runCli(["start", "03", "--dir", dir], { home });
    expectCleanFailure(first, /was written by a newer drill .*; it was moved aside to .*history\.jsonl\..*\.bad$/m);
    expect(first.all).toMatch(/update drill and rename the file back to history\.jsonl/);
    expect(existsSync(dir)).toBe(false);
    const [aside] = readdirSync(home).filter((f) => f.endsWith(".bad"));
    expect(readFileSync(join(home, aside as string), "utf8")).toBe(NEWER);
    const second = await runCli(["start", "03", "--dir", dir], { home });
    expect(second.exitCode, second.all).toBe(0);
    expect(loadHistory(home).sessions).toHaveLength(1);
  });

  it("records of a shape drill does not know are damaged lines, never shown as 'p9' or 'workspace undefined'", async () => {
    const home = tempDir();
    const start = { type: "start", at: "2026-03-02T09:00:00.000Z", practice: "03-api-security", timerMinutes: 60, mode: "drill" };
    writeFileSync(
      join(home, "history.jsonl"),
      `${[
        { drill: "history", version: 1 },
        { ...start, session: "nine", workspace: "/nonexistent/ws", phase: 9 },
        { ...start, session: "nowhere", phase: 3 },
        {
          type: "check",
          at: "2026-03-02T09:30:00.000Z",
          session: "nowhere",
          mode: "managed",
          passed: 14,
          failed: 0,
          skipped: 0,
          requirements: {},
        },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n")}\n`,
    );
    const status = await runCli(["status"], { home });
    expectCleanFailure(status, /there is no active drill session here/);
    expect(status.stderr).toMatch(/history\.jsonl: lines 2, 3, 4 could not be read and were left out \(still in the file\)/);
    expect(status.all).not.toMatch(/undefined|p9/);
    const stats = await runCli(["stats"], { home });
    expect(stats.exitCode, stats.all).toBe(0);
    expect(stats.all).not.toMatch(/undefined|p9|\b9 /);
    expect(stats.stdout).toContain("No drills recorded yet");
  });
});

describe("checks that ran nothing of the learner's are not attempts", () => {
  it("--url to a closed port: one line, exit 2, nothing recorded", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "03");
    // A port that was free a moment ago: nothing listens there.
    const port = await freePort("127.0.0.1");
    const result = await runCli(["check", "--dir", dir, "--url", `http://127.0.0.1:${port}`], { home });
    expectCleanFailure(result, new RegExp(`nothing answers at http://127\\.0\\.0\\.1:${port}`));
    expect(JSON.parse((await runCli(["status", "--dir", dir, "--json"], { home })).stdout)).toMatchObject({ checks: 0, lastCheck: null });
  });
});

describe("odd arguments to every command: one line, exit 2, never a stack trace or exit 70, nothing recorded", () => {
  const FILE = "<a file>";
  it.each([
    [["start", "03", "--timer", "-1"], /--timer takes a positive number of minutes/],
    [["start", "03", "--timer", "abc"], /--timer takes a positive number of minutes/],
    [["start", "03", "--timer", "1441"], /at most 1440/],
    [["start", "03", "--phase", "2.5"], /--phase takes 1, 2, 3 or 4/],
    [["start", "3x"], /there is no practice "3x"/],
    [["start", "../../etc"], /there is no practice "\.\.\/\.\.\/etc"/],
    [["break", "99"], /there is no practice "99"/],
    [["break", "03", "--timer", "-1"], /--timer takes a positive number of minutes/],
    [["break", "03", "--timer", "abc"], /--timer takes a positive number of minutes/],
    [["study", "99"], /there is no practice "99"/],
    [["study"], /missing required argument 'practice'/],
    [["stats", "--practice", "99"], /there is no practice "99"/],
    [["stats", "--practice", ""], /there is no practice ""/],
    [["plan", "--days", "5"], /--days takes 7 .* or 4/],
    [["plan", "--days", "abc"], /--days takes 7 .* or 4/],
    [["status", "--dir", FILE], /notes\.txt is a file, not a drill workspace/],
    [["check", "--dir", FILE], /notes\.txt is a file, not a drill workspace/],
    [["setup", "--dir", FILE], /notes\.txt is a file, not a drill workspace/],
    [["resume", "--dir", FILE], /notes\.txt is a file, not a drill workspace/],
    [["status", "--dir", "/nonexistent/ws"], /does not exist/],
    [["check", "--port", "0"], /--port takes a port number from 1 to 65535/],
    [["check", "--port", "abc"], /--port takes a port number from 1 to 65535/],
    [["check", "--url", "ftp://x"], /--url must start with http:\/\/ or https:\/\//],
    [["check", "--url", "http://"], /--url takes a base URL/],
    [["list", "extra"], /too many arguments for 'list'/],
    [["status", "extra"], /too many arguments for 'status'/],
    [["start", "03", "04"], /too many arguments for 'start'/],
  ])("drill %j", async (args, message) => {
    const home = tempDir();
    const file = aFile();
    const result = await runCli(
      args.map((a) => (a === FILE ? file : a)),
      { home },
    );
    expectCleanFailure(result, message);
    expect(existsSync(join(home, "history.jsonl"))).toBe(false);
  });

  it("a workspace of a practice this drill does not have", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "03");
    const marker = JSON.parse(readFileSync(join(dir, ".drill", "session.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(dir, ".drill", "session.json"), JSON.stringify({ ...marker, practice: "99-from-the-future" }));
    for (const command of ["status", "check", "setup"]) {
      expectCleanFailure(
        await runCli([command, "--dir", dir], { home }),
        /this workspace is for practice "99-from-the-future", which this drill does not have/,
      );
    }
  });
});
