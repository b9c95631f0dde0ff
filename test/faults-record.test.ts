// Faults on the record's side of a check, in-process: the check loop itself is replaced by a
// canned verdict (its own faults are tested in faults-check-loop*.test.ts), so each case runs
// in a fraction of a second. A verdict is shown before it is recorded; only an attempt in which
// the learner's code ran is recorded; a snapshot that cannot be made is skipped with its reason;
// the venv never enters a snapshot; drill break never writes outside its folder; a fire drill
// never moves a file or overwrites an archive.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CheckOptions, CheckOutcome } from "../src/core/check/run-check.js";
import type { TestResult } from "../src/core/check/hidden-suite.js";

vi.mock("../src/core/check/run-check.js", () => ({ runCheck: vi.fn() }));

const { runCheck } = await import("../src/core/check/run-check.js");
const { checkSession } = await import("../src/actions/check.js");
const { createAttempt } = await import("../src/core/record/attempts.js");
const { DrillError } = await import("../src/system/errors.js");
const { findPassingSolution, discardSolution } = await import("../src/core/modes/break.js");
const { startFireDrill, fireDrillPractices } = await import("../src/core/modes/fire-drill.js");
const { appendHistory, historyPath, loadHistory } = await import("../src/core/record/history.js");
const { resolvePractice } = await import("../src/core/catalog/practices.js");
const { git, tempDir } = await import("./helpers.js");

const mockedRunCheck = vi.mocked(runCheck);
const practice = resolvePractice("03");

/** Everything drill printed, in order (the logger uses console; ora writes to stdout itself). */
let printed: string[] = [];
let home = "";
const previousHome = process.env.DRILL_HOME;

beforeEach(() => {
  home = tempDir("drill-faults-home-");
  process.env.DRILL_HOME = home;
  printed = [];
  const keep = (...parts: unknown[]) => void printed.push(parts.map(String).join(" "));
  vi.spyOn(console, "log").mockImplementation(keep);
  vi.spyOn(console, "error").mockImplementation(keep);
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    keep(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  mockedRunCheck.mockReset();
  if (previousHome === undefined) delete process.env.DRILL_HOME;
  else process.env.DRILL_HOME = previousHome;
});

async function workspace() {
  const dir = join(tempDir(), "ws");
  const session = await createAttempt({ practice, dir, fields: { phase: 3, timerMinutes: 60, mode: "drill" } });
  return { session, practice, workspace: dir };
}

function verdict(overrides: Partial<CheckOutcome> = {}): CheckOutcome {
  const result: TestResult = {
    name: "R03.1 /health is open and never rate limited",
    requirement: "R03.1",
    state: "failed",
    durationMs: 5,
    errors: ["expected: 200 from GET /health\ngot: 404"],
    exchanges: [],
  };
  return {
    mode: "managed",
    baseUrl: "http://127.0.0.1:1",
    services: [],
    run: { planned: [result.name], results: [result], errors: [], timedOut: false, output: "" },
    requirements: { "R03.1": "failed" },
    passed: 0,
    failed: 1,
    skipped: 0,
    cleanupNotes: [],
    durationMs: 10,
    ...overrides,
  };
}

function checksIn(sessionId: string) {
  return (
    loadHistory(home)
      .sessions.find((s) => s.id === sessionId)
      ?.events.filter((e) => e.type === "check") ?? []
  );
}

describe("a check's verdict and its record", () => {
  it("shows the verdict before recording it: a record that fails says so in one line and keeps the verdict on screen", async () => {
    const active = await workspace();
    mockedRunCheck.mockImplementation(async () => {
      // The record becomes unwritable while the suite runs (a folder where the file was).
      rmSync(historyPath(home));
      mkdirSync(historyPath(home));
      return verdict();
    });
    const error = await checkSession(active, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrillError);
    expect((error as InstanceType<typeof DrillError>).code).toBe("record-failed");
    expect((error as Error).message).toMatch(
      /^this check's verdict \(above\) was not recorded: drill could not write to its history file .*history\.jsonl: it is a folder, not a file \(EISDIR\)$/,
    );
    const shown = printed.join("\n");
    expect(shown).toContain("✘ R03.1 /health is open and never rate limited");
    expect(shown).toMatch(/0 of 1 requirements pass/);
  });

  it("under --json, prints the verdict as JSON with recorded: false before failing", async () => {
    const active = await workspace();
    mockedRunCheck.mockImplementation(async () => {
      rmSync(historyPath(home));
      mkdirSync(historyPath(home));
      return verdict();
    });
    await expect(checkSession(active, { json: true })).rejects.toMatchObject({ code: "record-failed" });
    const json = printed.find((line) => line.trimStart().startsWith("{"));
    expect(JSON.parse(json as string)).toMatchObject({ failed: 1, recorded: false, requirements: { "R03.1": "failed" } });
  });

  it("prints the services before the server starts, and a note for a stray listener drill stopped", async () => {
    const active = await workspace();
    mockedRunCheck.mockImplementation(async (options: CheckOptions) => {
      options.onServices?.([{ name: "DATABASE_URL", kind: "embedded", description: "a new SQLite file for this check" }]);
      options.onServerStarting?.(["python", "-m", "uvicorn", "app.main:app"]);
      options.onServerReady?.("http://127.0.0.1:1", 100);
      return verdict({
        cleanupNotes: ["a process your server started outside its process group kept listening on port 1; drill stopped it"],
      });
    });
    await checkSession(active, {});
    const shown = printed.join("\n");
    const services = shown.indexOf("DATABASE_URL: (embedded) a new SQLite file for this check");
    const starting = shown.indexOf("starting your server");
    expect(services).toBeGreaterThanOrEqual(0);
    expect(starting).toBeGreaterThan(services);
    expect(shown).toMatch(/note: a process your server started outside its process group kept listening on port 1; drill stopped it/);
    expect(shown.indexOf("note: a process")).toBeGreaterThan(shown.indexOf("0 of 1 requirements pass"));
    expect(checksIn(active.session.id)).toHaveLength(1);
  });

  it.each(["port-taken", "server-unreachable", "bad-port", "url-not-loopback", "python-missing", "service-unavailable"] as const)(
    "a check refused with %s ran nothing of the learner's: not recorded, no snapshot",
    async (code) => {
      const active = await workspace();
      mockedRunCheck.mockRejectedValue(new DrillError(code, `refused (${code})`));
      await expect(checkSession(active, {})).rejects.toMatchObject({ code });
      expect(checksIn(active.session.id)).toEqual([]);
      expect(git(active.workspace, "log", "--format=%s").split("\n")).toHaveLength(1);
    },
  );

  it.each(["server-exited", "server-not-ready"] as const)(
    "a server that ran and failed (%s) is recorded, with a snapshot",
    async (code) => {
      const active = await workspace();
      mockedRunCheck.mockRejectedValue(new DrillError(code, "the server exited (code 1) before GET /health answered"));
      await expect(checkSession(active, {})).rejects.toMatchObject({ code });
      const [check] = checksIn(active.session.id);
      expect(check).toMatchObject({ error: "the server exited (code 1) before GET /health answered", passed: 0 });
      expect(check && "commit" in check && check.commit).toMatch(/^[0-9a-f]+$/);
    },
  );

  it("a server that crashed is still explained first when its attempt cannot be recorded", async () => {
    const active = await workspace();
    mockedRunCheck.mockImplementation(async () => {
      rmSync(historyPath(home));
      mkdirSync(historyPath(home));
      throw new DrillError("server-exited", "the server exited (code 1) before GET /health answered", {
        hint: "Its last lines, shown above, usually name the problem.",
      });
    });
    const error = (await checkSession(active, {}).catch((e: unknown) => e)) as InstanceType<typeof DrillError>;
    expect(error.code).toBe("server-exited");
    expect(error.message).toBe("the server exited (code 1) before GET /health answered");
    expect(error.hint).toMatch(
      /^Its last lines, shown above, usually name the problem\.\n {2}This attempt was not recorded: drill could not write to its history file .*history\.jsonl: it is a folder, not a file \(EISDIR\)\.$/,
    );
  });
});

describe("snapshots", () => {
  it("with .git/index.lock present, the check still runs and is recorded, and says the snapshot was skipped and why", async () => {
    const active = await workspace();
    writeFileSync(join(active.workspace, ".git", "index.lock"), "");
    mockedRunCheck.mockResolvedValue(verdict());
    const result = await checkSession(active, {});
    expect(result.commit).toBeUndefined();
    expect(result.snapshotSkipped).toMatch(/\.git\/index\.lock is there/);
    expect(printed.join("\n")).toMatch(/! snapshot skipped: git's lock file \.git\/index\.lock is there \(another git command is running/);
    const [check] = checksIn(active.session.id);
    expect(check).toMatchObject({ failed: 1 });
    expect(check && "commit" in check).toBe(false);
    // drill never removes git's lock: it may belong to a git command still running.
    expect(existsSync(join(active.workspace, ".git", "index.lock"))).toBe(true);
  });

  it.each(["symlink", "folder"] as const)("never commits a .venv %s, even when the learner's .gitignore lets it in", async (kind) => {
    const active = await workspace();
    const venv = join(active.workspace, ".venv");
    if (kind === "symlink") symlinkSync(tempDir("drill-venv-"), venv);
    else {
      mkdirSync(join(venv, "bin"), { recursive: true });
      writeFileSync(join(venv, "bin", "python"), "#!/bin/sh\n");
    }
    writeFileSync(join(active.workspace, ".gitignore"), "!.venv\n!.venv/\n");
    writeFileSync(join(active.workspace, "notes.md"), "mine\n");
    mockedRunCheck.mockResolvedValue(verdict());
    const result = await checkSession(active, {});
    expect(result.commit).toMatch(/^[0-9a-f]+$/);
    const files = git(active.workspace, "ls-tree", "-r", "--name-only", "HEAD").split("\n");
    expect(files).toContain("notes.md");
    expect(files.filter((f) => f === ".venv" || f.startsWith(".venv/"))).toEqual([]);
  });

  it("snapshots a workspace whose .venv is ignored as usual (the exclusion itself is no error)", async () => {
    const active = await workspace();
    symlinkSync(tempDir("drill-venv-"), join(active.workspace, ".venv"));
    writeFileSync(join(active.workspace, "notes.md"), "mine\n");
    mockedRunCheck.mockResolvedValue(verdict());
    const result = await checkSession(active, {});
    expect(result.snapshotSkipped).toBeUndefined();
    expect(git(active.workspace, "ls-tree", "--name-only", "HEAD").split("\n")).toEqual(expect.arrayContaining(["notes.md"]));
    expect(git(active.workspace, "ls-tree", "--name-only", "HEAD").split("\n")).not.toContain(".venv");
  });

  it("takes a .venv out of the snapshots of a workspace where an older drill committed it", async () => {
    const active = await workspace();
    symlinkSync(tempDir("drill-venv-"), join(active.workspace, ".venv"));
    git(active.workspace, "add", "-f", ".venv");
    git(active.workspace, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "old drill");
    expect(git(active.workspace, "ls-tree", "--name-only", "HEAD")).toContain(".venv");
    mockedRunCheck.mockResolvedValue(verdict());
    await checkSession(active, {});
    expect(git(active.workspace, "ls-tree", "--name-only", "HEAD").split("\n")).not.toContain(".venv");
    expect(existsSync(join(active.workspace, ".venv"))).toBe(true);
  });
});

/** A raw git tree object: entries of (mode, name, object id), names taken as given. */
function rawTree(dir: string, entries: Array<[string, string, string]>): string {
  const bytes = Buffer.concat(entries.map(([mode, name, id]) => Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(id, "hex")])));
  return execFileSync("git", ["hash-object", "-w", "-t", "tree", "--literally", "--stdin"], {
    cwd: dir,
    input: bytes,
    encoding: "utf8",
  }).trim();
}

const escapedName = (tag: string) => `escaped-${tag}.py`;

describe("drill break and the paths a recorded commit holds", () => {
  it("writes only regular files inside its own folder: never ../, absolute paths, .git or through symlinks", async () => {
    const { workspace: dir, session } = await workspace();
    const tag = randomBytes(4).toString("hex");
    const outsideDir = tempDir("drill-break-outside-");
    const blob = (text: string) =>
      execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: dir, input: text, encoding: "utf8" }).trim();
    const evil = blob("pwned\n");
    const main = blob("print('mine')\n");
    const escaping = rawTree(dir, [["100644", escapedName(tag), evil]]);
    const up = rawTree(dir, [["40000", "..", escaping]]);
    const app = rawTree(dir, [
      ["40000", "..", up],
      ["100644", "main.py", main],
    ]);
    const dotGit = rawTree(dir, [["100644", "config", evil]]);
    const top = rawTree(dir, [
      ["40000", "..", escaping],
      ["100644", `${outsideDir}/${escapedName(tag)}`, evil],
      ["40000", ".git", dotGit],
      ["120000", "linked", blob(outsideDir)],
      ["40000", "app", app],
    ]);
    const commit = execFileSync("git", ["commit-tree", top, "-m", "crafted"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" },
    }).trim();
    appendHistory([
      {
        type: "check",
        at: new Date().toISOString(),
        mode: "managed",
        passed: 14,
        failed: 0,
        skipped: 0,
        requirements: {},
        commit,
        session: session.id,
      },
    ]);

    const solution = await findPassingSolution(practice, loadHistory(home));
    try {
      expect(solution.source).toBe("learner");
      expect(readFileSync(join(solution.dir, "app", "main.py"), "utf8")).toBe("print('mine')\n");
      expect(readdirSync(solution.dir).sort()).toEqual(["app"]);
      expect(readdirSync(join(solution.dir, "app"))).toEqual(["main.py"]);
    } finally {
      await discardSolution(solution);
    }
    const escaped = escapedName(tag);
    for (const place of [tmpdir(), join(tmpdir(), ".."), dir, join(dir, ".."), outsideDir]) {
      expect(existsSync(join(place, escaped)), place).toBe(false);
    }
    expect(readdirSync(outsideDir)).toEqual([]);
    expect(readFileSync(join(dir, ".git", "config"), "utf8")).not.toContain("pwned");
  });
});

describe("a fire drill meeting what is already there", () => {
  const now = new Date("2026-05-01T10:00:00.000Z");
  const stamp = "20260501-100000";

  it("refuses a file named like a workspace: one line, nothing moved, nothing recorded", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "drill-03-api-security"), "my notes\n");
    mkdirSync(join(dir, "drill-01-async-inference"));
    writeFileSync(join(dir, "drill-01-async-inference", "old.py"), "old\n");
    const error = await startFireDrill(dir, fireDrillPractices().available, now).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "dir-unusable" });
    expect((error as Error).message).toBe(
      `${join(dir, "drill-03-api-security")} is a file where the fire drill puts a workspace; drill never moves or overwrites it`,
    );
    expect(readdirSync(dir).sort()).toEqual(["drill-01-async-inference", "drill-03-api-security"]);
    expect(existsSync(historyPath(home))).toBe(false);
  });

  it("refuses when the archive's name is taken: never an overwrite, nothing moved, nothing recorded", async () => {
    const dir = tempDir();
    const old = join(dir, "drill-01-async-inference");
    mkdirSync(old);
    writeFileSync(join(old, "old.py"), "old\n");
    const taken = `${old}.before-fire-drill-${stamp}`;
    mkdirSync(taken);
    const error = await startFireDrill(dir, fireDrillPractices().available, now).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "archive-taken" });
    expect((error as Error).message).toBe(`cannot archive ${old}: ${taken} already exists, and drill never overwrites it`);
    expect(readFileSync(join(old, "old.py"), "utf8")).toBe("old\n");
    expect(readdirSync(taken)).toEqual([]);
    expect(existsSync(historyPath(home))).toBe(false);
  });
});
