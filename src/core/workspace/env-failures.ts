// Why building a Python environment failed, in words a learner can act on: a full disk (read
// from the free space left too, since venv hides ensurepip's own error), an unreachable package
// index, a missing venv module, or pip's last lines.
import { statfsSync } from "node:fs";
import { describeFsError, DrillError } from "../../system/errors.js";

export const NETWORK_TROUBLE =
  /NewConnectionError|Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|ConnectTimeout|Network is unreachable|Connection refused|Max retries exceeded|Could not fetch URL|ProxyError|from versions: none/i;
const DISK_FULL = /ENOSPC|No space left on device|Disk quota exceeded|EDQUOT/i;

/** Below this much free space a build is not started, and a failed one is put down to a full disk. */
export const LOW_SPACE = 32 * 1024 * 1024;

/** Free bytes for drill on the file system of `dir` (Infinity when it cannot tell). */
export function freeBytes(dir: string): number {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function diskFull(envsRoot: string, what: string, output = ""): DrillError {
  return new DrillError("setup-failed", `the disk is full, so drill could not ${what}`, {
    hint: `Free some space (the environments live in ${envsRoot}; about 50 MB each), then run \`drill setup\`.`,
    details: output.trim().split("\n").slice(-4).join("\n") || undefined,
  });
}

export function envFailure(envsRoot: string, error: unknown, output: string, what: string): DrillError {
  // venv hides ensurepip's own error, so a full disk is also read from the free space left.
  if (freeBytes(envsRoot) < LOW_SPACE) return diskFull(envsRoot, what, output);
  if (DISK_FULL.test(output) || DISK_FULL.test(String((error as { code?: string } | null)?.code ?? ""))) {
    return diskFull(envsRoot, what, output);
  }
  if (NETWORK_TROUBLE.test(output)) {
    // Our pins all exist, so "no versions at all" means the index could not be reached.
    return new DrillError("network", "pip could not reach the package index, so the Python environment was not built", {
      hint: "Check your network connection (or PIP_INDEX_URL / proxy settings), then run `drill setup`.",
      details: output.trim().split("\n").slice(-6).join("\n"),
    });
  }
  if (error instanceof DrillError) return error;
  return new DrillError("setup-failed", `drill could not ${what}`, {
    hint: /ensurepip is not available|No module named (venv|ensurepip)/.test(output)
      ? "On Debian or Ubuntu: apt install python3-venv"
      : "`drill setup` tries again safely.",
    details: output.trim().split("\n").slice(-12).join("\n") || describeFsError(error),
  });
}
