// Preparing a workspace's Python: its .venv and the practice's pinned requirements.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { DrillError } from "../../system/errors.js";
import { OutputTail } from "../check/processes.js";
import { systemPython, venvPython } from "./python.js";

const NETWORK_TROUBLE =
  /NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|ConnectTimeout|Network is unreachable|Connection refused|Max retries exceeded|Could not fetch URL|ProxyError|from versions: none/i;

/** What setting up says as it goes (the caller shows it; all optional, as for runCheck). */
export interface SetupProgress {
  onVenvCreating?: (python: string) => void;
  /** `created` is false when the workspace already had a .venv. */
  onVenvReady?: (created: boolean) => void;
  onInstalling?: () => void;
  /** pip's latest line worth showing (Collecting, Downloading, ...). */
  onInstallLine?: (line: string) => void;
  onInstalled?: () => void;
  /** A step failed: a short summary, just before the DrillError with the details is thrown. */
  onStepFailed?: (summary: string) => void;
}

/** Creates the workspace's .venv (if absent) and installs the practice's pinned requirements. */
export async function setupWorkspace(workspace: string, progress: SetupProgress = {}): Promise<void> {
  const requirements = join(workspace, "requirements.txt");
  if (!existsSync(requirements)) {
    throw new DrillError("setup-failed", `${requirements} is missing, so there is nothing to install`, {
      hint: "Restore it from the workspace's first commit: `git checkout $(git rev-list --max-parents=0 HEAD) -- requirements.txt`.",
    });
  }
  const python = venvPython(workspace);
  if (!existsSync(python)) {
    const system = await systemPython();
    progress.onVenvCreating?.(system);
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
    progress.onVenvReady?.(true);
  } else {
    progress.onVenvReady?.(false);
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
