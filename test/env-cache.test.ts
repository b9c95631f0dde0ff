// The Python environment cache, for real: venvs built offline from the wheelhouse
// scripts/python-env.sh keeps, reused, repaired, raced, and the failures a learner can meet.
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { envProblem, envPython, envsDir, normalizeRequirements, prepareEnv } from "../src/core/workspace/env-cache.js";
import { DrillError } from "../src/system/errors.js";
import { loadHistory } from "../src/core/record/history.js";
import { spawn } from "node:child_process";
import fse from "fs-extra";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { CLI, expectCleanFailure, git, ROOT, runCli, tempDir } from "./helpers.js";

const OFFLINE = { PIP_NO_INDEX: "1", PIP_FIND_LINKS: join(ROOT, ".wheelhouse"), PIP_INDEX_URL: "http://127.0.0.1:9/simple" };
const saved = { ...process.env };

function useEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

function requirements(text: string): string {
  const file = join(tempDir(), "requirements.txt");
  writeFileSync(file, text);
  return file;
}

async function failureOf(promise: Promise<unknown>): Promise<DrillError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DrillError);
  return error as DrillError;
}

describe("the environment cache", () => {
  let home: string;
  beforeEach(() => {
    home = tempDir();
    useEnv({ DRILL_HOME: home, ...OFFLINE });
  });
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it("builds once, sweeps what a killed build left, relocates the scripts, then reuses; a damaged one is rebuilt", async () => {
    const root = envsDir(home);
    const killed = join(root, ".build-0123456789ab-999999-x1y2z3");
    mkdirSync(join(killed, "bin"), { recursive: true });
    writeFileSync(join(killed, "bin", "python"), "half a build");
    const file = requirements("idna==3.20  # a small pure-Python pin\n");

    const first = await prepareEnv(file);
    expect(first.reused).toBe(false);
    expect(first.dir).toBe(join(root, first.key));
    expect(existsSync(killed)).toBe(false);
    expect(readdirSync(root)).toEqual([first.key]);
    // Scripts name the final folder, not the build folder they were made in.
    const shebang = readFileSync(join(first.dir, "bin", "pip"), "utf8").split("\n")[0];
    expect(shebang?.startsWith(`#!${envPython(first.dir)}`), shebang).toBe(true);

    const again = await prepareEnv(file);
    expect(again).toEqual({ ...first, reused: true });

    // A file of an installed package lost: the quick check at start misses it, drill setup's does not.
    const lost = join(first.dir, "lib", readdirSync(join(first.dir, "lib"))[0] as string, "site-packages", "idna", "core.py");
    rmSync(lost);
    expect(await envProblem(first.dir, normalizeRequirements("idna==3.20"), true)).toMatch(/idna lost/);
    const broken: string[] = [];
    const repaired = await prepareEnv(file, { onBroken: (problem) => broken.push(problem) }, { thorough: true });
    expect(broken).toEqual([expect.stringMatching(/idna lost .*core\.py/)]);
    expect(repaired.reused).toBe(false);
    expect(existsSync(lost)).toBe(true);

    // An environment without its marker (written last) is never taken for a complete one.
    rmSync(join(first.dir, "drill-env.json"));
    expect((await prepareEnv(file)).reused).toBe(false);
    expect(readdirSync(root)).toEqual([first.key]);
  });

  it("two drills building the same environment at once end with one, and no leftovers", async () => {
    const file = requirements("annotated-types==0.8.0\n");
    const [a, b] = await Promise.all([prepareEnv(file), prepareEnv(file)]);
    expect(a.dir).toBe(b.dir);
    expect(readdirSync(envsDir(home))).toEqual([a.key]);
    expect(await envProblem(a.dir, normalizeRequirements("annotated-types==0.8.0"), true)).toBeUndefined();
  });

  it("says so when the index cannot be reached, and leaves no environment behind", async () => {
    useEnv({ PIP_NO_INDEX: undefined, PIP_FIND_LINKS: undefined, PIP_NO_CACHE_DIR: "1", PIP_RETRIES: "0", PIP_TIMEOUT: "2" });
    const error = await failureOf(prepareEnv(requirements("idna==3.20\n")));
    expect(error.code).toBe("network");
    expect(error.message).toMatch(/could not reach the package index/);
    expect(readdirSync(envsDir(home))).toEqual([]);
  });

  it("says which Python it needs when there is none", async () => {
    useEnv({ DRILL_PYTHON: "/nonexistent/python3" });
    const error = await failureOf(prepareEnv(requirements("idna==3.20\n")));
    expect(error.code).toBe("python-missing");
    expect(error.message).toMatch(/needs Python 3\.10 or newer, and found none/);
  });
});

describe("drill start when the Python environment cannot be readied", () => {
  it("keeps the workspace, starts no clock, and drill setup finishes it", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    const failed = await runCli(["start", "03", "--dir", dir, "--timer", "30"], {
      home,
      env: { DRILL_SKIP_PYTHON: "", DRILL_PYTHON: "/nonexistent/python3" },
    });
    expectCleanFailure(failed, /needs Python 3\.10 or newer/);
    expect(failed.stderr).toContain(`\`drill setup --dir ${dir}\` finishes it and starts the clock`);
    expect(existsSync(join(dir, "app"))).toBe(true);
    expect(git(dir, "log", "--format=%s")).toBe("drill start: 03-api-security (scaffold)");
    const [session] = loadHistory(home).sessions;
    expect(session?.events.map((e) => e.type)).toEqual(["start", "pause"]);
    const status = JSON.parse((await runCli(["status", "--dir", dir, "--json"], { home })).stdout);
    expect(status).toMatchObject({ status: "paused", elapsedMs: 0 });

    const setup = await runCli(["setup", "--dir", dir], { home, env: { ...OFFLINE }, timeout: 300_000 });
    expect(setup.exitCode, setup.all).toBe(0);
    expect(setup.stdout).toMatch(/Python ready: \.venv → .*envs.* \(built and cached\)/);
    expect(setup.stdout).toContain("the clock starts now");
    expect(readlinkSync(join(dir, ".venv"))).toMatch(new RegExp(`^${envsDir(home)}/[0-9a-f]{64}$`));
    expect(statSync(join(dir, ".venv", "bin", "python")).isFile()).toBe(true);
    expect(loadHistory(home).sessions[0]?.events.map((e) => e.type)).toEqual(["start", "pause", "resume"]);
    expect(git(dir, "status", "--porcelain")).toBe(""); // the link is never part of the workspace's history
  });

  it("a start killed while building Python: the workspace is kept, and drill setup sweeps the build and starts the clock then", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    const child = spawn(process.execPath, [CLI, "start", "03", "--dir", dir, "--timer", "30"], {
      env: { ...process.env, ...OFFLINE, CI: "true", NO_COLOR: "1", DRILL_HOME: home, DRILL_SKIP_PYTHON: "" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own group, so pip goes with it
    });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`never began building: ${output}`)), 60_000);
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (/building the Python environment/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    process.kill(-(child.pid as number), "SIGKILL");
    await new Promise((resolve) => child.once("close", resolve));
    expect(existsSync(join(dir, "app"))).toBe(true);
    expect(readdirSync(envsDir(home)).filter((name) => !name.startsWith(".build-"))).toEqual([]);
    expect(loadHistory(home).sessions).toEqual([]); // killed before the clock started

    const setup = await runCli(["setup", "--dir", dir], { home, env: { ...OFFLINE }, timeout: 300_000 });
    expect(setup.exitCode, setup.all).toBe(0);
    expect(setup.stdout).toContain("the clock starts now");
    expect(readdirSync(envsDir(home))).toHaveLength(1); // the killed build's folder swept
    expect(loadHistory(home).sessions[0]?.events.map((e) => e.type)).toEqual(["start", "pause", "resume"]);
  });
});

describe("the modes that lay out workspaces of their own ready Python too", () => {
  it("a fire drill builds every practice's environment before its clock, and each later workspace is linked when it is laid out", async () => {
    const home = tempDir();
    const dir = tempDir();
    const env = { ...OFFLINE, DRILL_SKIP_PYTHON: "" };
    const result = await runCli(["fire-drill", "--dir", dir], { home, env, timeout: 600_000 });
    expect(result.exitCode, result.all).toBe(0);
    for (const id of ["01", "03", "05", "07"]) expect(result.stdout).toMatch(new RegExp(`Python for ${id} .* ready: .*envs`));
    expect(result.stdout).not.toContain("drill setup");
    // 03 and 07 pin the same requirements: one environment for both.
    const built = readdirSync(envsDir(home));
    expect(built).toHaveLength(
      new Set(["01", "03", "05", "07"].map((id) => readFileSync(join(resolvePractice(id).scaffoldDir, "requirements.txt"), "utf8"))).size,
    );
    // The 4-hour clock started after the last environment was complete.
    const startedAt = Date.parse(loadHistory(home).runs[0]?.startedAt ?? "");
    for (const key of built)
      expect(startedAt).toBeGreaterThanOrEqual(Math.floor(statSync(join(envsDir(home), key, "drill-env.json")).mtimeMs));
    const first = join(dir, "drill-01-async-inference");
    expect(readlinkSync(join(first, ".venv"))).toMatch(new RegExp(`^${envsDir(home)}/[0-9a-f]{64}$`));

    // 01 goes green: the fire drill moves on to 03, whose workspace is linked as it is laid out.
    fse.copySync(resolvePractice("01").referenceDir, first, { filter: (src) => !src.endsWith("key-blocks.json") });
    const check = await runCli(["check", "--dir", first], { home, env, timeout: 300_000 });
    expect(check.exitCode, check.all).toBe(0);
    const second = join(dir, "drill-03-api-security");
    expect(readlinkSync(join(second, ".venv"))).toMatch(new RegExp(`^${envsDir(home)}/[0-9a-f]{64}$`));
    expect(statSync(join(second, ".venv", "bin", "python")).isFile()).toBe(true);
    expect(git(second, "status", "--porcelain")).toBe("");
  });

  it("drill break readies Python before its clock, as drill start does", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    const result = await runCli(["break", "03", "--dir", dir, "--timer", "20"], {
      home,
      env: { ...OFFLINE, DRILL_SKIP_PYTHON: "" },
      timeout: 300_000,
    });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/Python ready: \.venv → .* \(built and cached\)/);
    expect(result.stdout).not.toContain("drill setup");
    expect(statSync(join(dir, ".venv", "bin", "python")).isFile()).toBe(true);
    const started = Date.parse(loadHistory(home).sessions[0]?.startedAt ?? "");
    const [key] = readdirSync(envsDir(home));
    expect(started).toBeGreaterThanOrEqual(Math.floor(statSync(join(envsDir(home), key as string, "drill-env.json")).mtimeMs));
  });
});
