// Preparing a workspace's Python: its `.venv` linked to the cached environment for the
// practice's pinned requirements (env-cache.ts), or, where the learner (or an older drill)
// made `.venv` a real folder, the requirements installed into that folder as before.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { DrillError } from "../../system/errors.js";
import { OutputTail } from "../check/processes.js";
import { NETWORK_TROUBLE } from "./env-failures.js";
import { hasOwnVenv, linkWorkspaceEnv, prepareEnv, type EnvProgress } from "./env-cache.js";
import { systemPython, venvPython } from "./python.js";

/** What setting up says as it goes (the caller shows it; all optional, as for runCheck). */
export interface SetupProgress extends EnvProgress {
  /** The workspace's own .venv folder is used (not the cache). */
  onOwnVenv?: () => void;
  onInstalled?: () => void;
  /** `.venv` now points at the cached environment. */
  onLinked?: (envDir: string) => void;
}

/** Whether `drill start` leaves the Python environment out (drill's own tests, which bring theirs). */
export function skipPython(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.DRILL_SKIP_PYTHON === "1";
}

/**
 * Readies the workspace's Python: `.venv` linked to the cached environment for its
 * requirements.txt (built once, reused after), or a real `.venv` folder repaired in place.
 * `thorough` (drill setup) checks every installed file of the cached environment, so a
 * damaged one is rebuilt.
 */
export async function setupWorkspace(workspace: string, progress: SetupProgress = {}, options: { thorough?: boolean } = {}): Promise<void> {
  const requirements = join(workspace, "requirements.txt");
  if (!existsSync(requirements)) {
    throw new DrillError("setup-failed", `${requirements} is missing, so there is nothing to install`, {
      hint: "Restore it from the workspace's first commit: `git checkout $(git rev-list --max-parents=0 HEAD) -- requirements.txt`.",
    });
  }
  if (hasOwnVenv(workspace)) {
    progress.onOwnVenv?.();
    await installIntoOwnVenv(workspace, progress);
    return;
  }
  const env = await prepareEnv(requirements, progress, options);
  linkWorkspaceEnv(workspace, env.dir);
  progress.onLinked?.(env.dir);
}

/** The older way, kept for a workspace whose .venv is a real folder: pip install into it. */
async function installIntoOwnVenv(workspace: string, progress: SetupProgress = {}): Promise<void> {
  const python = venvPython(workspace);
  if (!existsSync(python)) {
    // A .venv folder without its python: made afresh in place.
    const system = await systemPython();
    progress.onCreating?.(system);
    try {
      await execa(system, ["-m", "venv", join(workspace, ".venv")], { cwd: workspace });
    } catch (error) {
      progress.onStepFailed?.("could not create .venv");
      const stderr = (error as { stderr?: string }).stderr ?? "";
      throw new DrillError("setup-failed", "python could not create the virtual environment .venv", {
        hint: /ensurepip|venv/.test(stderr) ? "On Debian or Ubuntu: apt install python3-venv" : "See the output above.",
        details: stderr.trim().split("\n").slice(-8).join("\n"),
      });
    }
  }

  progress.onInstalling?.();
  const tail = new OutputTail(60);
  const install = execa(
    python,
    ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", "-r", "requirements.txt"],
    {
      cwd: workspace,
      all: true,
      reject: false,
      env: { PIP_NO_INPUT: "1", PIP_NO_COLOR: "1" },
    },
  );
  install.all?.on("data", (chunk: Buffer) => {
    tail.push(chunk);
    const latest = chunk.toString().trim().split("\n").at(-1)?.trim();
    if (latest && /^(Collecting|Downloading|Installing|Requirement already satisfied|Successfully)/.test(latest)) {
      progress.onInstallLine?.(latest);
    }
  });
  const result = await install;
  if (result.exitCode !== 0) {
    progress.onStepFailed?.("pip could not install the requirements");
    const output = tail.text();
    if (NETWORK_TROUBLE.test(output)) {
      // Our pins all exist, so "no versions at all" means the index could not be reached.
      throw new DrillError("network", "pip could not reach the package index, so nothing was installed", {
        hint: "Check your network connection (or PIP_INDEX_URL / proxy settings) and run `drill setup` again.",
        details: tail.text(6),
      });
    }
    throw new DrillError("setup-failed", "pip could not install the practice's requirements", {
      hint: "pip's last lines are above; `drill setup` can be run again safely.",
      details: tail.text(12),
    });
  }
  progress.onInstalled?.();
}
