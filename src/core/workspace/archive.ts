// Moving an attempt's workspace aside (drill reset, or abandoning an attempt to start afresh in
// its folder): renamed beside itself with a time stamp, its files and git history intact.
// Nothing is deleted.
import { existsSync, lstatSync, renameSync } from "node:fs";
import { describeFsError, DrillError } from "../../system/errors.js";

/** 20261204-185301: when a workspace was moved aside (UTC, as the fire drill's archives). */
function archiveStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");
}

/** Where `dir` goes when archived at `at`. */
export function archivePath(dir: string, at: Date): string {
  return `${dir}.archived-${archiveStamp(at)}`;
}

/** Renames the workspace to its archive name and returns that; refuses, changing nothing, if the name is taken. */
export function archiveWorkspace(dir: string, at = new Date()): string {
  const aside = archivePath(dir, at);
  if (existsSync(aside) || lstatSync(aside, { throwIfNoEntry: false })) {
    throw new DrillError("archive-taken", `cannot archive ${dir}: ${aside} already exists, and drill never overwrites it`, {
      hint: "Move that folder away (or wait a second for a new time stamp), then try again.",
    });
  }
  try {
    renameSync(dir, aside);
  } catch (error) {
    throw new DrillError("dir-unusable", `drill could not move ${dir} aside: ${describeFsError(error)}; nothing was changed`, {
      hint: "Close programs that hold files in it (on Windows an editor can), or check the folder's permissions.",
    });
  }
  return aside;
}
