// Python environments shared by workspaces, cached in drill's data folder and keyed by the
// practice's pinned requirements and the Python that runs them:
//
//   $DRILL_HOME/envs/<sha256 of the normalized requirements + the Python's identity>/
//
// Each is built once (venv + pip install) into a temporary folder beside it and renamed into
// place only when complete, with a marker file written last: a build killed halfway leaves a
// `.build-*` folder that no lookup ever takes for an environment (and the next build sweeps it),
// never a half environment under a key. Two drills building the same key at once both build;
// the first rename wins and the second uses the winner's (rename onto a non-empty folder fails).
// So the second start of any practice with the same requirements reuses the environment in
// about a second, offline.
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, symlinkSync, unlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { execa } from "execa";
import fse from "fs-extra";
import * as v from "valibot";
import { describeFsError, DrillError } from "../../system/errors.js";
import { drillHome, makeDirectory, PACKAGE_ROOT } from "../../system/paths.js";
import { OutputTail } from "../check/processes.js";
import { parseData, text } from "../schema.js";
import { diskFull, envFailure, freeBytes, LOW_SPACE } from "./env-failures.js";
import { systemPython } from "./python.js";

/** Bumped when the layout of a cached environment changes, so old ones are never reused. */
const LAYOUT = 1;
const MARKER = "drill-env.json";
/** `drill review`'s tools, pinned (ruff): installed beside every practice's requirements. */
const REVIEW_REQUIREMENTS = join(PACKAGE_ROOT, "review", "requirements.txt");

/** Which Python an environment was built with: a different one (even a patch release) gets its own. */
const pythonIdentity = v.object({ implementation: text, version: text, machine: v.string(), system: text, executable: text });
type PythonIdentity = v.InferOutput<typeof pythonIdentity>;

/** drill-env.json, written last in a complete environment. */
const envMarker = v.object({
  layout: v.literal(LAYOUT),
  key: text,
  requirements: v.array(v.string()),
  python: pythonIdentity,
  builtAt: v.string(),
});

/** What preparing an environment says as it goes (the caller shows it). */
export interface EnvProgress {
  /** Found complete in the cache: nothing to build. */
  onReused?: (dir: string) => void;
  /** A cached environment failed its check and is rebuilt. */
  onBroken?: (problem: string) => void;
  onCreating?: (python: string) => void;
  onInstalling?: () => void;
  /** pip's latest line worth showing (Collecting, Downloading, ...). */
  onInstallLine?: (line: string) => void;
  onBuilt?: (dir: string) => void;
  /** A step failed: a short summary, just before the DrillError with the details is thrown. */
  onStepFailed?: (summary: string) => void;
}

export interface PreparedEnv {
  dir: string;
  key: string;
  reused: boolean;
}

export function envsDir(home = drillHome()): string {
  return join(home, "envs");
}

export function envPython(envDir: string): string {
  return process.platform === "win32" ? join(envDir, "Scripts", "python.exe") : join(envDir, "bin", "python");
}

/** The requirements as a set of lines: comments, blanks, case, spacing and order do not change the key. */
export function normalizeRequirements(contents: string): string[] {
  const lines = contents
    .split(/\r?\n/)
    .map((line) =>
      line
        .replace(/(^|\s)#.*$/, "")
        .replace(/\s+/g, "")
        .toLowerCase(),
    )
    .filter(Boolean);
  return [...new Set(lines)].sort();
}

export function envKey(requirements: string[], python: PythonIdentity): string {
  const identity = [python.implementation, python.version, python.machine, python.system, python.executable].join(" ");
  return createHash("sha256")
    .update(JSON.stringify({ layout: LAYOUT, requirements, python: identity }))
    .digest("hex");
}

const IDENTITY_SCRIPT =
  "import json, os, platform, sys; print(json.dumps({'implementation': platform.python_implementation(), 'version': platform.python_version(), 'machine': platform.machine(), 'system': platform.system(), 'executable': os.path.realpath(sys.executable)}))";

async function identify(python: string): Promise<PythonIdentity> {
  try {
    const { stdout } = await execa(python, ["-c", IDENTITY_SCRIPT], { timeout: 20_000 });
    const parsed = parseData(pythonIdentity, JSON.parse(stdout));
    if (parsed.ok) return parsed.value;
  } catch {
    // below
  }
  throw new DrillError("python-missing", `${python} did not say which Python it is, so drill cannot prepare an environment with it`, {
    hint: "Point DRILL_PYTHON at a working Python 3.10+.",
  });
}

/**
 * Why the environment at `dir` cannot be used, or undefined when it can: its marker, its
 * Python, and each pinned `name==version` installed at that version (read from the installed
 * distributions' metadata). `thorough` also checks that every file the distributions installed
 * is still there (`drill setup`, which repairs).
 */
export async function envProblem(dir: string, requirements: string[], thorough = false): Promise<string | undefined> {
  let marker: unknown;
  try {
    marker = JSON.parse(readFileSync(join(dir, MARKER), "utf8"));
  } catch {
    return `${MARKER} is missing or unreadable`;
  }
  const parsed = parseData(envMarker, marker);
  if (!parsed.ok) return `${MARKER} is damaged (${parsed.problem})`;
  if (!existsSync(envPython(dir))) return "its python is missing";
  const pins = requirements.flatMap((line) => {
    const match = /^([a-z0-9._-]+)(?:\[[^\]]*\])?==([^;]+)$/.exec(line);
    return match ? [[match[1], match[2]]] : [];
  });
  const script = [
    "import json, os, sys",
    "from importlib import metadata",
    "pins, thorough = json.loads(sys.argv[1]), sys.argv[2] == '1'",
    "for name, version in pins:",
    "    try:",
    "        dist = metadata.distribution(name)",
    "    except metadata.PackageNotFoundError:",
    "        print(f'{name} is not installed'); sys.exit(1)",
    "    if dist.version.lower() != version:",
    "        print(f'{name} is {dist.version}, not {version}'); sys.exit(1)",
    "    if thorough:",
    "        for file in dist.files or []:",
    "            if not os.path.exists(dist.locate_file(file)):",
    "                print(f'{name} lost {file}'); sys.exit(1)",
  ].join("\n");
  const result = await execa(envPython(dir), ["-c", script, JSON.stringify(pins), thorough ? "1" : "0"], {
    reject: false,
    timeout: 60_000,
  });
  if (result.exitCode === 0) return undefined;
  return result.stdout.trim() || `its python does not run (${(result.stderr || String(result.exitCode)).trim().split("\n").at(-1)})`;
}

/** A process still running, by id (a build folder of a live drill is never swept). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** Removes what killed builds and replaced environments left behind: drill's own cache, nothing of the learner's. */
function sweep(root: string): void {
  for (const name of readdirSync(root)) {
    const match = /^\.(?:build|broken)-[0-9a-f]+-(\d+)-/.exec(name);
    if (match && !alive(Number(match[1]))) fse.removeSync(join(root, name));
  }
}

/**
 * Venv scripts (activate, pip, uvicorn, ...) carry the folder they were built in. The build
 * folder is renamed, so its path is replaced by the final one (same files, right paths);
 * `python -m ...`, which drill uses, never depended on it.
 */
function relocateScripts(from: string, to: string): void {
  const bin = join(from, process.platform === "win32" ? "Scripts" : "bin");
  for (const file of [...readdirSync(bin).map((name) => join(bin, name)), join(from, "pyvenv.cfg")]) {
    const stat = lstatSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile() || stat.size > 1_000_000) continue;
    const contents = readFileSync(file);
    if (contents.includes(0)) continue; // a binary (the Windows launchers): left alone
    const textContents = contents.toString("utf8");
    if (textContents.includes(from)) fse.writeFileSync(file, textContents.split(from).join(to));
  }
}

async function build(
  root: string,
  key: string,
  python: string,
  requirementsFile: string,
  marker: object,
  progress: EnvProgress,
): Promise<string> {
  const target = join(root, key);
  let staging: string;
  try {
    staging = mkdtempSync(join(root, `.build-${key.slice(0, 12)}-${process.pid}-`));
  } catch (error) {
    throw envFailure(envsDir(), error, "", "build the Python environment");
  }
  try {
    progress.onCreating?.(python);
    const venv = await execa(python, ["-m", "venv", staging], { all: true, reject: false });
    if (venv.exitCode !== 0) {
      progress.onStepFailed?.("could not create the virtual environment");
      throw envFailure(envsDir(), undefined, venv.all ?? "", "create a virtual environment");
    }
    progress.onInstalling?.();
    const tail = new OutputTail(60);
    const install = execa(
      envPython(staging),
      ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", "-r", requirementsFile, "-r", REVIEW_REQUIREMENTS],
      { all: true, reject: false, env: { PIP_NO_INPUT: "1", PIP_NO_COLOR: "1" } },
    );
    install.all?.on("data", (chunk: Buffer) => {
      tail.push(chunk);
      const latest = chunk.toString().trim().split("\n").at(-1)?.trim();
      if (latest && /^(Collecting|Processing|Downloading|Installing|Requirement already satisfied|Successfully)/.test(latest)) {
        progress.onInstallLine?.(latest);
      }
    });
    const result = await install;
    if (result.exitCode !== 0) {
      progress.onStepFailed?.("pip could not install the requirements");
      throw envFailure(envsDir(), undefined, tail.text(), "install the practice's requirements");
    }
    relocateScripts(staging, target);
    fse.writeJsonSync(join(staging, MARKER), marker, { spaces: 2 });
    try {
      renameSync(staging, target);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "EEXIST" && code !== "ENOTEMPTY" && code !== "EPERM") throw error;
      // Another drill finished the same environment first: use theirs.
      fse.removeSync(staging);
    }
    return target;
  } catch (error) {
    fse.removeSync(staging);
    if (error instanceof DrillError) throw error;
    throw envFailure(envsDir(), error, "", "build the Python environment");
  }
}

/**
 * The cached environment for these requirements, built if absent (or rebuilt when it fails its
 * check). Throws a DrillError (python-missing, network, setup-failed) that says what to do.
 */
export async function prepareEnv(
  requirementsFile: string,
  progress: EnvProgress = {},
  options: { thorough?: boolean } = {},
): Promise<PreparedEnv> {
  let contents: string;
  try {
    contents = readFileSync(requirementsFile, "utf8");
  } catch {
    throw new DrillError("setup-failed", `${requirementsFile} is missing, so there is nothing to install`, {
      hint: "Restore it from the workspace's first commit: `git checkout $(git rev-list --max-parents=0 HEAD) -- requirements.txt`.",
    });
  }
  // The review's tools (ruff) go into every environment too, pinned: part of the key.
  const requirements = normalizeRequirements(`${contents}\n${readFileSync(REVIEW_REQUIREMENTS, "utf8")}`);
  const python = await systemPython();
  const identity = await identify(python);
  const key = envKey(requirements, identity);
  const root = envsDir();
  try {
    makeDirectory(root);
    sweep(root);
  } catch (error) {
    throw envFailure(envsDir(), error, "", `create the environments folder ${root}`);
  }
  const dir = join(root, key);
  if (existsSync(dir)) {
    const problem = await envProblem(dir, requirements, options.thorough);
    if (!problem) {
      progress.onReused?.(dir);
      return { dir, key, reused: true };
    }
    progress.onBroken?.(problem);
    // Out of the way in one rename (a drill using it meanwhile keeps its files), then removed.
    const aside = join(root, `.broken-${key.slice(0, 12)}-${process.pid}-${Date.now()}`);
    try {
      renameSync(dir, aside);
      fse.removeSync(aside);
    } catch (error) {
      throw envFailure(envsDir(), error, "", `move the broken environment ${dir} aside`);
    }
  }
  if (freeBytes(root) < LOW_SPACE) throw diskFull(root, "build the Python environment");
  const marker = { layout: LAYOUT, key, requirements, python: identity, builtAt: new Date().toISOString() };
  const built = await build(root, key, python, requirementsFile, marker, progress);
  const problem = await envProblem(built, requirements);
  if (problem) {
    progress.onStepFailed?.("the new environment failed its check");
    throw new DrillError("setup-failed", `the Python environment drill just built does not work: ${problem}`, {
      hint: "Run `drill setup` to rebuild it.",
    });
  }
  progress.onBuilt?.(built);
  return { dir: built, key, reused: false };
}

/**
 * Points the workspace's `.venv` at a cached environment with a symlink (a junction on
 * Windows): instant, and no disk used per workspace. `.venv` is gitignored and never
 * snapshotted. A `.venv` that is a real folder (made by the learner or an older drill) is
 * theirs and is never replaced: the caller decides.
 */
export function linkWorkspaceEnv(workspace: string, envDir: string): void {
  const link = join(workspace, ".venv");
  const existing = lstatSync(link, { throwIfNoEntry: false });
  if (existing?.isSymbolicLink()) {
    if (resolve(workspace, readlinkSync(link)) === envDir) return;
  } else if (existing) {
    throw new DrillError("setup-failed", `${link} exists and is not drill's link, so drill leaves it alone`);
  }
  // A new link under a temporary name, renamed over the old one: never a moment without .venv.
  const temporary = join(workspace, `.venv.drill-${process.pid}`);
  try {
    symlinkSync(envDir, temporary, process.platform === "win32" ? "junction" : "dir");
    renameSync(temporary, link);
  } catch (error) {
    try {
      unlinkSync(temporary);
    } catch {
      // never made
    }
    throw new DrillError("setup-failed", `drill could not link ${link} to the Python environment: ${describeFsError(error)}`, {
      hint: "Run `drill setup` to try again.",
    });
  }
}

/** Is the workspace's `.venv` a real folder (not drill's link)? */
export function hasOwnVenv(workspace: string): boolean {
  const stat = lstatSync(join(workspace, ".venv"), { throwIfNoEntry: false });
  return Boolean(stat && !stat.isSymbolicLink());
}
