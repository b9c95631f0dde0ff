// Phase 2's "break something, then fix it": a passing solution (the learner's own when they
// have one, else the reference) with one realistic bug from the practice's mutants in it. The
// mutants are the ones the gates prove each hidden suite catches, so every injected bug shows
// up as failing requirements in `drill check`.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import fse from "fs-extra";
import { simpleGit } from "simple-git";
import * as v from "valibot";
import { parseJsonText, text } from "../schema.js";
import type { History, Session } from "../record/history.js";
import { COMMIT_PATTERN } from "../record/history-records.js";
import { HIDDEN_TESTS_DIR } from "../../system/paths.js";
import { isDebugDrillSlug, type Practice } from "../catalog/practices.js";
import { REQUIREMENT_ID } from "../catalog/requirement-id.js";
import { KEY_BLOCKS_FILE } from "../catalog/study.js";
import { isGreen, type CheckEvent } from "../record/timeline.js";
import { WORKSPACE_FILE } from "../workspace/workspace.js";
import { readIfPresent } from "../../system/files.js";

/** A bug is found faster than a practice is built: the default countdown of `drill break`. */
export const BREAK_TIMER_MINUTES = 15;

const mutantSchema = v.object({
  id: text,
  description: text,
  /** Find/replace edits on the reference: each `find` must occur in its file. */
  edits: v.pipe(v.array(v.object({ file: text, find: text, replace: v.string() })), v.minLength(1)),
  /** The requirements whose tests fail with this bug in the reference. */
  caughtBy: v.array(v.pipe(v.string(), v.regex(REQUIREMENT_ID))),
  /** Shows only when requests race: the gates count it caught when one of a few checks catches it. */
  race: v.exactOptional(v.boolean()),
  /** Shows only with these real services (e.g. AMQP_URL): the gates run it with them when CI has them. */
  services: v.exactOptional(v.array(v.picklist(["DATABASE_URL", "REDIS_URL", "AMQP_URL"]))),
});

export type Mutant = v.InferOutput<typeof mutantSchema>;

export type PassingSolution =
  /** The learner's files at a green check, extracted into a temp dir (see discardSolution). */
  { source: "learner"; dir: string; workspace: string; commit: string; greenAt: string } | { source: "reference"; dir: string };

export function loadMutants(practice: Practice): Mutant[] {
  const path = join(HIDDEN_TESTS_DIR, "mutants", `${practice.slug}.json`);
  return existsSync(path)
    ? parseJsonText(v.array(mutantSchema), readFileSync(path, "utf8"), `hidden-tests/mutants/${practice.slug}.json`)
    : [];
}

/** What the bug was, to reveal once the learner has fixed it. */
export function describeMutant(practice: Practice, mutantId: string): string | undefined {
  return loadMutants(practice).find((mutant) => mutant.id === mutantId)?.description;
}

interface GreenCheck {
  session: Session;
  check: CheckEvent;
}

/** Every green check in the record, the most recent first. */
function greenChecks(history: History): GreenCheck[] {
  return history.sessions
    .flatMap((session) =>
      session.events.filter((e): e is CheckEvent => e.type === "check" && isGreen(e)).map((check) => ({ session, check })),
    )
    .sort((a, b) => Date.parse(b.check.at) - Date.parse(a.check.at));
}

/** The practice (slug) of the most recent green check, if the learner has one (a debugging drill's never counts). */
export function lastGreenPractice(history: History): string | undefined {
  return greenChecks(history).find(({ session }) => !isDebugDrillSlug(session.practice))?.session.practice;
}

/** Mutant ids already injected in earlier break sessions of a practice. */
export function brokenBefore(practice: Practice, history: History): Set<string> {
  return new Set(history.sessions.flatMap((s) => (s.mode === "break" && s.practice === practice.slug && s.mutant ? [s.mutant] : [])));
}

/**
 * Files drill lays into every workspace itself (so they are not the learner's work), and the
 * venv, which a workspace may hold as a symlink that `.venv/` in .gitignore does not match.
 * `.drill/config.json` is the learner's (their server command) and is kept.
 */
function isLearnerFile(path: string, practice: Practice): boolean {
  const top = path.split("/")[0] ?? path;
  if (top === ".drill") return path === ".drill/config.json"; // git paths always use "/"
  return ![".venv", ".gitignore", "README.md", "requirements.txt", ...practice.shared].includes(top);
}

/**
 * A path from a git tree that stays inside the folder it is written to. Git refuses such paths
 * on checkout, but a tree can be made by hand: an absolute path, `..`, `.git`, an empty or
 * drive-like part never reach the disk.
 */
function isSafeTreePath(path: string): boolean {
  if (!path || path.startsWith("/") || /[\\\0:]/.test(path)) return false;
  return path.split("/").every((part) => part !== "" && part !== "." && part !== ".." && part.toLowerCase() !== ".git");
}

/**
 * Writes the learner's files as they were at `commit` into `into` (a new, empty folder), without
 * touching their workspace or its repository. Only regular files are written, only inside
 * `into`, and never over anything: whatever paths the commit holds, nothing lands outside.
 */
async function extractLearnerFiles(practice: Practice, workspace: string, commit: string, into: string): Promise<void> {
  if (!COMMIT_PATTERN.test(commit)) throw new Error(`not a commit: ${commit}`);
  const root = resolve(into);
  const git = simpleGit(workspace);
  const listing = await git.raw(["ls-tree", "-r", "-z", "--full-tree", commit]);
  for (const entry of listing.split("\0").filter(Boolean)) {
    // "<mode> <type> <object>\t<path>"; symlinks (120000) and submodules are not source files.
    const tab = entry.indexOf("\t");
    const [mode, type, object] = entry.slice(0, tab).split(" ");
    const path = entry.slice(tab + 1);
    if (tab < 0 || type !== "blob" || (mode !== "100644" && mode !== "100755") || !object || !/^[0-9a-f]+$/.test(object)) continue;
    if (!isSafeTreePath(path) || !isLearnerFile(path, practice)) continue;
    const target = resolve(root, path);
    if (!target.startsWith(root + sep)) continue;
    await fse.ensureDir(dirname(target));
    // "wx": a second entry of the same name (a hand-made tree) never overwrites the first.
    writeFileSync(target, await git.binaryCatFile(["blob", object]), { mode: mode === "100755" ? 0o755 : 0o644, flag: "wx" });
  }
}

/**
 * The learner's most recent passing solution of a practice: the files at the commit of their
 * latest green check whose workspace (and commit) still exist. Break sessions do not count:
 * their code is a bug fix, not the learner's own build. Else the reference solution.
 */
export async function findPassingSolution(practice: Practice, history: History): Promise<PassingSolution> {
  const candidates = greenChecks(history).filter(
    ({ session, check }) => session.practice === practice.slug && session.mode !== "break" && check.commit,
  );
  for (const { session, check } of candidates) {
    const commit = check.commit as string;
    if (!existsSync(join(session.workspace, WORKSPACE_FILE))) continue;
    const dir = await mkdtemp(join(tmpdir(), `drill-solution-${practice.id}-`));
    try {
      await extractLearnerFiles(practice, session.workspace, commit, dir);
      return { source: "learner", dir, workspace: session.workspace, commit, greenAt: check.at };
    } catch {
      // The commit is gone (the learner rewrote or removed the repository): try an older one.
      await fse.remove(dir);
    }
  }
  return referenceSolution(practice);
}

export function referenceSolution(practice: Practice): PassingSolution {
  return { source: "reference", dir: practice.referenceDir };
}

/** Removes what findPassingSolution extracted; the reference stays. */
export async function discardSolution(solution: PassingSolution): Promise<void> {
  if (solution.source === "learner") await fse.remove(solution.dir);
}

/** Copies a solution over a fresh workspace (the reference's key-blocks.json is study material, not code). */
export async function overlaySolution(solution: PassingSolution, workspace: string): Promise<void> {
  const keyBlocks = join(solution.dir, KEY_BLOCKS_FILE);
  await fse.copy(solution.dir, workspace, { overwrite: true, filter: (src) => src !== keyBlocks });
}

function occurrences(text: string, find: string): number {
  return text.split(find).length - 1;
}

/** Mutants that fit a solution: every edit's text occurs exactly once in its file, so the edit lands where it was meant to. */
export function applicableMutants(practice: Practice, solutionDir: string): Mutant[] {
  return loadMutants(practice).filter((mutant) =>
    mutant.edits.every((edit) => {
      const text = readIfPresent(join(solutionDir, edit.file));
      return text !== undefined && occurrences(text, edit.find) === 1;
    }),
  );
}

/** One of the mutants at random, preferring those not injected before. */
export function pickMutant(applicable: Mutant[], random: () => number = Math.random, seen: ReadonlySet<string> = new Set()): Mutant {
  const fresh = applicable.filter((mutant) => !seen.has(mutant.id));
  const pool = fresh.length > 0 ? fresh : applicable;
  const picked = pool[Math.min(pool.length - 1, Math.floor(random() * pool.length))];
  if (!picked) throw new Error("pickMutant needs at least one mutant to pick from");
  return picked;
}

export function applyMutant(dir: string, mutant: Mutant): void {
  for (const edit of mutant.edits) {
    const path = join(dir, edit.file);
    const text = readFileSync(path, "utf8");
    const count = occurrences(text, edit.find);
    if (count !== 1) throw new Error(`mutant ${mutant.id}: ${JSON.stringify(edit.find)} occurs ${count} times in ${edit.file}, not once`);
    // A function replacement, so `$&` and friends in the mutant's code are taken literally.
    writeFileSync(
      path,
      text.replace(edit.find, () => edit.replace),
    );
  }
}
