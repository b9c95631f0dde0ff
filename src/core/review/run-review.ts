// The review of a workspace's Python: drill's own AST rules (review/drill_review.py) and ruff
// with the pinned selection (review/ruff.toml), both run by the workspace's Python (the cached
// environment drill prepared, where ruff is installed). Advice, never a requirement: nothing
// here touches a verdict. A note the practice's own scaffold would get is dropped, so the review
// never blames the learner for drill's starting files.
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { execa } from "execa";
import * as v from "valibot";
import type { Practice } from "../catalog/practices.js";
import { DrillError } from "../../system/errors.js";
import { PACKAGE_ROOT } from "../../system/paths.js";
import { parseData } from "../schema.js";
import { pythonFiles } from "../watch/workspace-watcher.js";
import { pythonForWorkspace } from "../workspace/python.js";
import { ruleFor } from "./rules.js";

const REVIEW_SCRIPT = join(PACKAGE_ROOT, "review", "drill_review.py");
const RUFF_CONFIG = join(PACKAGE_ROOT, "review", "ruff.toml");
const TOOL_TIMEOUT_MS = 60_000;

export interface ReviewNote {
  rule: string;
  source: "drill" | "ruff";
  /** Relative to the workspace, with forward slashes. */
  file: string;
  line: number;
  col: number;
  title: string;
  thought: string;
  idiom: string;
  sheet?: string;
  /** ruff's own message, for ruff's notes. */
  detail?: string;
}

export interface ReviewResult {
  practice: string;
  workspace: string;
  files: number;
  notes: ReviewNote[];
  /** "missing": the workspace's Python has no ruff (drill setup installs it); drill's rules still ran. */
  ruff: "ran" | "missing";
  /** Files that could not be parsed (a syntax error): their notes are unknown. */
  unparsed: { file: string; line: number; message: string }[];
}

const scriptOutput = v.object({
  notes: v.array(v.object({ rule: v.string(), file: v.string(), line: v.number(), col: v.number() })),
  errors: v.array(v.object({ file: v.string(), line: v.number(), message: v.string() })),
});

const ruffOutput = v.array(
  v.object({
    code: v.nullable(v.string()),
    message: v.string(),
    filename: v.string(),
    location: v.object({ row: v.number(), column: v.number() }),
  }),
);

/**
 * The Python files the learner works in: the ones whose saves the countdown re-checks (not .venv,
 * .drill, caches), less the provided files drill copied to the root (`model.py`).
 */
function learnerFiles(root: string, providedAtRoot: readonly string[] = []): string[] {
  const provided = new Set(providedAtRoot.map((file) => join(root, file)));
  return [...pythonFiles(root).keys()].filter((path) => !provided.has(path)).sort();
}

interface RawNote {
  rule: string;
  source: "drill" | "ruff";
  path: string;
  line: number;
  col: number;
  detail?: string;
}

async function runDrillRules(python: string, files: string[]): Promise<{ notes: RawNote[]; unparsed: ReviewResult["unparsed"] }> {
  const run = await execa(python, [REVIEW_SCRIPT, ...files], { reject: false, timeout: TOOL_TIMEOUT_MS });
  let value: unknown;
  try {
    value = JSON.parse(run.stdout);
  } catch {
    throw new DrillError(
      "setup-failed",
      `drill's review script did not answer (${run.stderr.trim().split("\n").at(-1) ?? `exit ${run.exitCode}`})`,
      {
        hint: "Run `drill setup` to repair the workspace's Python, then try again.",
      },
    );
  }
  const parsed = parseData(scriptOutput, value);
  if (!parsed.ok) throw new Error(`review/drill_review.py printed an unexpected shape: ${parsed.problem}`);
  return {
    notes: parsed.value.notes.map((note) => ({ rule: note.rule, source: "drill", path: note.file, line: note.line, col: note.col })),
    unparsed: parsed.value.errors,
  };
}

async function runRuff(python: string, files: string[]): Promise<RawNote[] | "missing"> {
  const args = ["-m", "ruff", "check", "--config", RUFF_CONFIG, "--output-format", "json", "--no-cache", "--exit-zero", ...files];
  const run = await execa(python, args, { reject: false, timeout: TOOL_TIMEOUT_MS });
  if (run.exitCode !== 0 && /No module named ruff/.test(run.stderr)) return "missing";
  let value: unknown;
  try {
    value = JSON.parse(run.stdout);
  } catch {
    throw new DrillError("setup-failed", `ruff did not answer (${run.stderr.trim().split("\n").at(-1) ?? `exit ${run.exitCode}`})`, {
      hint: "Run `drill setup` to repair the workspace's Python (it installs ruff), then try again.",
    });
  }
  const parsed = parseData(ruffOutput, value);
  if (!parsed.ok) throw new Error(`ruff printed an unexpected shape: ${parsed.problem}`);
  // A syntax error comes back as code null or "invalid-syntax"; drill's script reports those files already.
  return parsed.value.flatMap((item) =>
    item.code === null || !/^[A-Z]+\d+$/.test(item.code)
      ? []
      : [
          {
            rule: item.code,
            source: "ruff" as const,
            path: item.filename,
            line: item.location.row,
            col: item.location.column,
            detail: item.message,
          },
        ],
  );
}

function lineText(path: string, line: number, cache: Map<string, string[]>): string {
  let lines = cache.get(path);
  if (!lines) {
    lines = readFileSync(path, "utf8").split(/\r?\n/);
    cache.set(path, lines);
  }
  return (lines[line - 1] ?? "").trim();
}

const toSlashes = (path: string) => path.split(sep).join("/");

/**
 * Every note on the workspace's Python, in file and line order, without those the practice's
 * scaffold gets on the same file and line text.
 */
export async function reviewWorkspace(practice: Practice, workspace: string): Promise<ReviewResult> {
  const files = learnerFiles(workspace, practice.shared);
  const scaffoldFiles = learnerFiles(practice.scaffoldDir);
  const { python } = await pythonForWorkspace(workspace);
  const both = [...files, ...scaffoldFiles];
  const [drill, ruff] = await Promise.all([runDrillRules(python, both), runRuff(python, both)]);
  // What the practice is about (drill.json): the provided model's predict() rule only where it ships one.
  const hasModel = practice.shared.includes("model.py");
  const raw = [...drill.notes, ...(ruff === "missing" ? [] : ruff)].filter((note) => hasModel || note.rule !== "DR003");
  const cache = new Map<string, string[]>();
  const inScaffold = new Set(
    raw
      .filter((note) => note.path.startsWith(practice.scaffoldDir + sep))
      .map((note) => `${note.rule}|${toSlashes(relative(practice.scaffoldDir, note.path))}|${lineText(note.path, note.line, cache)}`),
  );
  const notes: ReviewNote[] = [];
  for (const note of raw) {
    if (note.path.startsWith(practice.scaffoldDir + sep)) continue;
    const file = toSlashes(relative(workspace, note.path));
    if (inScaffold.has(`${note.rule}|${file}|${lineText(note.path, note.line, cache)}`)) continue;
    const rule = ruleFor(note.rule);
    notes.push({
      rule: note.rule,
      source: note.source,
      file,
      line: note.line,
      col: note.col,
      title: rule?.title ?? note.detail ?? note.rule,
      thought: rule?.thought ?? "",
      idiom: rule?.idiom ?? "",
      ...(rule?.sheet ? { sheet: rule.sheet } : {}),
      ...(note.detail ? { detail: note.detail } : {}),
    });
  }
  notes.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.rule.localeCompare(b.rule));
  const unparsed = drill.unparsed
    .filter((error) => !error.file.startsWith(practice.scaffoldDir + sep))
    .map((error) => ({ ...error, file: toSlashes(relative(workspace, error.file)) }));
  return { practice: practice.slug, workspace, files: files.length, notes, ruff: ruff === "missing" ? "missing" : "ran", unparsed };
}
