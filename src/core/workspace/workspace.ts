// A learner's workspace: the scaffold, the shared model, the spec, and `.drill/` with the
// session it belongs to. Created fresh, never over anything that exists.
import { accessSync, constants, existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as v from "valibot";
import { describeFsError, DrillError } from "../../system/errors.js";
import type { Practice } from "../catalog/practices.js";
import { makeDirectory, SHARED_DIR } from "../../system/paths.js";
import { parseData, text } from "../schema.js";

export const WORKSPACE_FILE = join(".drill", "session.json");
const CONFIG_FILE = join(".drill", "config.json");

/** .drill/session.json: which session and practice a workspace belongs to. */
const workspaceMarker = v.object({
  version: v.literal(1),
  sessionId: text,
  practice: text,
  createdAt: v.string(),
});

export type WorkspaceMarker = v.InferOutput<typeof workspaceMarker>;

/** .drill/config.json: the learner's own settings for this workspace. */
const workspaceConfig = v.strictObject({
  /** The command that starts the learner's server, as argv; {python}, {host}, {port} are filled in. */
  command: v.exactOptional(v.pipe(v.array(v.string()), v.minLength(1))),
  /** Services given to drill for this workspace's checks (the environment's DRILL_*_URL win). */
  services: v.exactOptional(v.strictObject({ database: v.exactOptional(text), redis: v.exactOptional(text), amqp: v.exactOptional(text) })),
});

export type WorkspaceConfig = v.InferOutput<typeof workspaceConfig>;

const WORKSPACE_GITIGNORE = [".venv/", "__pycache__/", "*.pyc", ".pytest_cache/", "*.db", ""].join("\n");

export function defaultWorkspaceDir(practice: Practice, cwd = process.cwd()): string {
  return resolve(cwd, `drill-${practice.slug}`);
}

/** Is there anything at `dir` that creating a workspace would overwrite? (A file always is.) */
export function isOccupied(dir: string): boolean {
  // A dangling symlink is something there too: never made into a workspace, never removed.
  if (!existsSync(dir)) return lstatSync(dir, { throwIfNoEntry: false }) !== undefined;
  try {
    if (!statSync(dir).isDirectory()) return true;
    return readdirSync(dir).length > 0;
  } catch {
    return true; // cannot look inside: never assume it is empty
  }
}

/**
 * Refuses, before any work starts, a place where no workspace can be made: a file, a path
 * through a file, or a folder drill cannot write in. (A non-empty folder is the caller's
 * question: it may offer another name.)
 */
export function assertWorkspacePlace(dir: string, what = "the workspace"): void {
  const wanted = resolve(dir);
  let current = wanted;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  if (!statSync(current).isDirectory()) {
    throw new DrillError(
      "dir-unusable",
      current === wanted
        ? `${wanted} is a file, not a folder; drill needs a folder for ${what}`
        : `drill cannot put ${what} in ${wanted}: ${current} is a file, not a folder`,
      { hint: "Pick another folder with --dir." },
    );
  }
  try {
    accessSync(current, constants.W_OK);
  } catch (error) {
    throw new DrillError("dir-unusable", `drill cannot create ${what} in ${current}: ${describeFsError(error)}`, {
      hint: "Pick a folder you can write to with --dir.",
    });
  }
}

/** Copies scaffold, shared files and spec into a new (absent or empty) directory. */
export async function createWorkspace(practice: Practice, dir: string, marker: WorkspaceMarker): Promise<void> {
  if (isOccupied(dir)) {
    throw new DrillError("workspace-exists", `${dir} already exists and is not empty; drill never overwrites it`, {
      hint: "Pick another folder with --dir, or move that one away first.",
    });
  }
  const existed = existsSync(dir);
  // Loaded here: every command finds workspaces through this file, only start copies one.
  const { default: fse } = await import("fs-extra");
  try {
    makeDirectory(dir);
    await fse.copy(practice.scaffoldDir, dir, { overwrite: false, errorOnExist: true });
    for (const file of practice.shared) {
      await fse.copy(join(SHARED_DIR, file), join(dir, file), { overwrite: false, errorOnExist: true });
    }
    await fse.copy(practice.specPath, join(dir, "README.md"), { overwrite: false, errorOnExist: true });
    await fse.outputFile(join(dir, ".gitignore"), WORKSPACE_GITIGNORE, { flag: "wx" });
    await fse.outputJson(join(dir, WORKSPACE_FILE), marker, { spaces: 2, flag: "wx" });
  } catch (error) {
    // The folder was absent or empty, so everything in it is ours: leave it as it was.
    await (existed ? fse.emptyDir(dir) : fse.remove(dir)).catch(() => undefined);
    if (error instanceof DrillError) throw error;
    throw new DrillError("dir-unusable", `drill could not create the workspace ${dir}: ${describeFsError(error)}`, {
      hint: "Pick a folder you can write to with --dir.",
    });
  }
}

/** Finds the workspace that contains `start` (walking up), or throws a clear error. */
export function findWorkspace(start: string, explicit: boolean): { dir: string; marker: WorkspaceMarker } {
  let dir = resolve(start);
  if (!existsSync(dir)) {
    throw new DrillError("no-workspace", `${dir} does not exist`, {
      hint: "Create a workspace with `drill start <practice>`, or point --dir at one.",
    });
  }
  if (explicit && !statSync(dir).isDirectory()) {
    throw new DrillError("no-workspace", `${dir} is a file, not a drill workspace`, {
      hint: "Point --dir at the folder `drill start` made.",
    });
  }
  for (;;) {
    const file = join(dir, WORKSPACE_FILE);
    if (existsSync(file)) return { dir, marker: readMarker(file) };
    const parent = dirname(dir);
    if (explicit || parent === dir) break;
    dir = parent;
  }
  throw new DrillError("no-workspace", `${resolve(start)} is not a drill workspace (no ${WORKSPACE_FILE})`, {
    hint: "Run this inside a folder made by `drill start`, or pass --dir <workspace>.",
  });
}

function readMarker(file: string): WorkspaceMarker {
  let parsed: ReturnType<typeof parseData<typeof workspaceMarker>>;
  try {
    parsed = parseData(workspaceMarker, JSON.parse(readFileSync(file, "utf8")));
  } catch {
    parsed = { ok: false, problem: "not JSON" };
  }
  if (parsed.ok) return parsed.value;
  throw new DrillError("no-workspace", `${file} is damaged (${parsed.problem}), so drill cannot tell which practice this is`, {
    hint: 'It should hold {"version": 1, "sessionId": "...", "practice": "NN-slug", ...}; restore it from git (`git checkout .drill`).',
  });
}

export function readWorkspaceConfig(dir: string): WorkspaceConfig {
  const file = join(dir, CONFIG_FILE);
  if (!existsSync(file)) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw invalidConfig(file, (error as Error).message);
  }
  const parsed = parseData(workspaceConfig, value);
  if (!parsed.ok) throw invalidConfig(file, parsed.problem);
  return parsed.value;
}

function invalidConfig(file: string, problem: string): DrillError {
  return new DrillError("usage", `${file} is not valid: ${problem}`, {
    hint: 'Example: {"command": ["{python}", "-m", "uvicorn", "app.main:app", "--host", "{host}", "--port", "{port}"], "services": {"database": "postgresql://..."}}',
  });
}
