// Finding a Python for the learner's server and for `drill setup`.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { DrillError } from "../../system/errors.js";

const MIN_PYTHON: [number, number] = [3, 10];

export function venvPython(workspace: string): string {
  return process.platform === "win32" ? join(workspace, ".venv", "Scripts", "python.exe") : join(workspace, ".venv", "bin", "python");
}

/** The workspace's .venv Python when present, else the system one ($DRILL_PYTHON, python3, python). */
export async function pythonForWorkspace(workspace: string): Promise<{ python: string; fromVenv: boolean }> {
  const inVenv = venvPython(workspace);
  if (existsSync(inVenv)) return { python: inVenv, fromVenv: true };
  return { python: await systemPython(), fromVenv: false };
}

/** A Python 3.10+ on this machine, or a DrillError that says what to install. */
export async function systemPython(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const candidates = env.DRILL_PYTHON ? [env.DRILL_PYTHON] : ["python3", "python"];
  const seen: string[] = [];
  for (const candidate of candidates) {
    const version = await pythonVersion(candidate);
    if (!version) continue;
    if (version[0] > MIN_PYTHON[0] || (version[0] === MIN_PYTHON[0] && version[1] >= MIN_PYTHON[1])) return candidate;
    seen.push(`${candidate} is ${version.join(".")}`);
  }
  throw new DrillError(
    "python-missing",
    seen.length
      ? `drill needs Python ${MIN_PYTHON.join(".")} or newer, and found only: ${seen.join(", ")}`
      : `drill needs Python ${MIN_PYTHON.join(".")} or newer, and found none (tried ${candidates.join(", ")})`,
    { hint: "Install Python 3.10+ (python.org, or your package manager), or point DRILL_PYTHON at one." },
  );
}

async function pythonVersion(command: string): Promise<[number, number] | undefined> {
  try {
    const { stdout } = await execa(command, ["-c", "import sys; print(sys.version_info[0], sys.version_info[1])"], {
      timeout: 10_000,
    });
    const [major, minor] = stdout.trim().split(" ").map(Number);
    if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) return undefined;
    return [major, minor];
  } catch {
    return undefined;
  }
}
