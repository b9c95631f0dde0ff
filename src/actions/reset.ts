// drill reset: the current attempt's folder moved aside (renamed with a time stamp, its files and
// git history intact), the attempt recorded as abandoned if it was still open, and a fresh
// workspace of the same practice laid out where it was. Nothing is deleted.
import { resolve, sep } from "node:path";
import { DrillError } from "../system/errors.js";
import { prepareHistoryForWriting, type Session } from "../core/record/history.js";
import { abandonSession, latestAttempt, readHistory, resolveSession } from "../core/record/sessions.js";
import { isOpen } from "../core/record/timeline.js";
import { archiveWorkspace } from "../core/workspace/archive.js";
import { practiceLabel, resolvePractice, type Practice } from "../core/catalog/practices.js";
import { highlight, logger } from "../ui/logger.js";
import { beginAttempt } from "./start.js";

/** The attempt to reset: the practice's latest (when named), else the workspace's around the current directory or --dir. */
function attemptToReset(id: string | undefined, dir: string | undefined): { session: Session; practice: Practice; workspace: string } {
  if (id === undefined) return resolveSession(dir);
  const practice = resolvePractice(id);
  const session = latestAttempt(readHistory(), practice.slug, false);
  if (!session) {
    throw new DrillError("no-session", `there is no attempt of ${practiceLabel(practice)} with its folder in place to reset`, {
      hint: `\`drill start ${practice.id}\` starts one.`,
    });
  }
  return { session, practice, workspace: session.workspace };
}

export async function runResetCommand(id: string | undefined, options: { dir?: string }): Promise<void> {
  if (id !== undefined && options.dir !== undefined) throw new DrillError("usage", "give a practice or --dir, not both");
  prepareHistoryForWriting();
  const { session, practice, workspace } = attemptToReset(id, options.dir);
  if (session.run) {
    throw new DrillError("usage", "this attempt is part of a fire drill, which has its own order", {
      hint: "`drill fire-drill` starts a fresh run (it archives the old workspaces too).",
    });
  }
  if (session.mode === "break") {
    throw new DrillError("usage", "this workspace is a `drill break` exercise, not a practice from scratch", {
      hint: "`drill break` lays out a fresh broken app.",
    });
  }
  const cwd = resolve(process.cwd());
  const shellInside = cwd === workspace || cwd.startsWith(`${workspace}${sep}`);
  const wasOpen = isOpen(session);
  const aside = archiveWorkspace(workspace);
  if (wasOpen) abandonSession(session.id);
  logger.info(
    `archived ${highlight.path(workspace)} → ${highlight.path(aside)} (its files and git history intact; nothing deleted)${wasOpen ? "; that attempt is recorded as abandoned" : ""}`,
  );
  if (shellInside) logger.info(highlight.dim(`your shell is still in the archived folder: \`cd ${workspace}\` for the fresh one`));
  await beginAttempt(practice, workspace, { phase: session.phase, timerMinutes: session.timerMinutes, mode: "drill" });
}
