import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import ora from "ora";
import { DrillError } from "../system/errors.js";
import { highlight, isSilent, logger } from "../ui/logger.js";
import { OutputTail } from "../core/check/processes.js";
import { systemPython, venvPython } from "../core/workspace/python.js";
import { resolveSession } from "../core/record/sessions.js";

const NETWORK_TROUBLE =
  /NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|ConnectTimeout|Network is unreachable|Connection refused|Max retries exceeded|Could not fetch URL|ProxyError|from versions: none/i;

/** Creates the workspace's .venv (if absent) and installs the practice's pinned requirements. */
export async function setupWorkspace(workspace: string): Promise<void> {
  const requirements = join(workspace, "requirements.txt");
  if (!existsSync(requirements)) {
    throw new DrillError("setup-failed", `${requirements} is missing, so there is nothing to install`, {
      hint: "Restore it from the workspace's first commit: `git checkout $(git rev-list --max-parents=0 HEAD) -- requirements.txt`.",
    });
  }
  const spinner = ora({ isSilent: isSilent(), stream: process.stdout, discardStdin: false });
  const python = venvPython(workspace);
  if (!existsSync(python)) {
    const system = await systemPython();
    spinner.start(`creating .venv with ${system}`);
    try {
      await execa(system, ["-m", "venv", join(workspace, ".venv")], { cwd: workspace });
    } catch (error) {
      spinner.fail("could not create .venv");
      const stderr = (error as { stderr?: string }).stderr ?? "";
      throw new DrillError("setup-failed", "python could not create the virtual environment .venv", {
        hint: /ensurepip|venv/.test(stderr) ? "On Debian or Ubuntu: apt install python3-venv" : "See the output above.",
        details: stderr.trim().split("\n").slice(-8).join("\n"),
      });
    }
    spinner.succeed("created .venv");
  } else {
    logger.info(highlight.dim("using the existing .venv"));
  }

  spinner.start("installing the pinned requirements");
  const tail = new OutputTail(60);
  const install = execa(python, ["-m", "pip", "install", "--disable-pip-version-check", "--progress-bar", "off", "-r", "requirements.txt"], {
    cwd: workspace,
    all: true,
    reject: false,
    env: { PIP_NO_INPUT: "1", PIP_NO_COLOR: "1" },
  });
  install.all?.on("data", (chunk: Buffer) => {
    tail.push(chunk);
    const latest = chunk.toString().trim().split("\n").at(-1)?.trim();
    if (latest && /^(Collecting|Downloading|Installing|Requirement already satisfied|Successfully)/.test(latest)) {
      spinner.text = `installing: ${latest.slice(0, 90)}`;
    }
  });
  const result = await install;
  if (result.exitCode !== 0) {
    spinner.fail("pip could not install the requirements");
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
  spinner.succeed("requirements installed into .venv");
}

export async function runSetupCommand(options: { dir?: string }): Promise<void> {
  const active = resolveSession(options.dir);
  logger.info(`${highlight.practice(`${active.practice.id} ${active.practice.title}`)} · setting up ${highlight.path(active.workspace)}`);
  await setupWorkspace(active.workspace);
  logger.info(`next: build the server, then ${highlight.command("drill check")}`);
}
