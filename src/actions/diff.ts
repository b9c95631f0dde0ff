// drill diff: the learner's files beside the reference solution, after green as a reward and
// before green only when asked twice (a prompt, or --yes), and then recorded.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { compareWithReference, type ReferenceComparison } from "../core/catalog/reference-diff.js";
import { prepareHistoryForWriting } from "../core/record/history.js";
import { appendEvent, resolveSession, type ActiveSession } from "../core/record/sessions.js";
import { sessionStatus } from "../core/record/timeline.js";
import { DrillError } from "../system/errors.js";
import { colorEnabled, highlight, logger, printJson } from "../ui/logger.js";
import { page } from "../ui/pager.js";
import { isInteractive, select } from "../ui/prompts.js";

export interface DiffCommandOptions {
  dir?: string;
  json?: boolean;
  yes?: boolean;
}

/** Before green: the learner says yes (a prompt, or --yes), and the record says the reference was seen. */
async function confirmBeforeGreen(active: ActiveSession, options: DiffCommandOptions): Promise<void> {
  if (sessionStatus(active.session) === "passed") return;
  // Seen once, seen: asking (and recording) again would add nothing.
  if (active.session.events.some((e) => e.type === "reference-seen")) return;
  if (!options.yes) {
    if (!isInteractive()) {
      throw new DrillError("usage", "this attempt is not green yet, and drill diff would show the reference solution", {
        hint: "Pass --yes to see it anyway (recorded as reference seen), or get the attempt green first.",
      });
    }
    const answer = await select("Your attempt is not green yet. See the reference solution now? (recorded as seen)", [
      { name: "No, keep going on my own", value: false },
      { name: "Yes, show me the reference", value: true },
    ]);
    if (!answer) throw new DrillError("cancelled", "not shown: the reference stays unseen", { exitCode: 0 });
  }
  prepareHistoryForWriting();
  appendEvent(active.session.id, { type: "reference-seen", at: new Date().toISOString() });
}

/** One file's unified diff from git (exit 1 means "they differ"), with the paths as the learner reads them. */
function fileDiff(comparison: ReferenceComparison, file: string, color: boolean): string {
  const ours = comparison.missing.includes(file) ? "/dev/null" : join(comparison.workspace, file);
  const theirs = comparison.added.includes(file) ? "/dev/null" : join(comparison.referenceDir, file);
  const result = spawnSync("git", ["diff", "--no-index", `--color=${color ? "always" : "never"}`, "--no-prefix", "--", theirs, ours], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || (result.status !== 0 && result.status !== 1)) {
    throw new DrillError("usage", `drill diff needs git to compare files: ${result.error?.message ?? result.stderr.trim()}`, {
      hint: "Install git (drill also uses it to snapshot your workspace).",
    });
  }
  // git prints absolute paths without their leading slash under --no-prefix.
  const shown = (dir: string) => new RegExp(`/?${dir.replace(/^\//, "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/`, "g");
  return result.stdout.replace(shown(comparison.referenceDir), "reference/").replace(shown(comparison.workspace), "yours/");
}

export async function runDiffCommand(options: DiffCommandOptions): Promise<void> {
  const active = resolveSession(options.dir);
  await confirmBeforeGreen(active, options);
  const comparison = compareWithReference(active.practice, active.workspace);
  if (options.json) {
    const { changed, added, missing } = comparison;
    printJson({ practice: active.practice.slug, workspace: active.workspace, reference: comparison.referenceDir, changed, added, missing });
    return;
  }
  const files = [...comparison.changed, ...comparison.missing, ...comparison.added].sort();
  if (files.length === 0) {
    logger.info(highlight.pass(`your files match the reference solution (${comparison.same.length} files)`));
    return;
  }
  const color = colorEnabled() && Boolean(process.stdout.isTTY);
  const head = highlight.dim(
    `--- reference/ is ${comparison.referenceDir}, yours/ is ${comparison.workspace}: ${comparison.changed.length} changed, ${comparison.added.length} yours only, ${comparison.missing.length} reference only`,
  );
  page([head, ...files.map((file) => fileDiff(comparison, file, color))].join("\n"));
}
