// The bundled practices: their metadata (drill.json) and how a learner names one.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { DrillError } from "../../system/errors.js";
import { DRILLS_DIR, HIDDEN_TESTS_DIR, REFERENCE_DIR } from "../../system/paths.js";
import { parseJsonText, text } from "../schema.js";

export interface Practice {
  id: string;
  slug: string;
  title: string;
  skill: string;
  /** The job-description line the practice trains. */
  jd: string;
  /** Files copied from drills/_shared into the workspace root. */
  shared: string[];
  /** Knobs given to the learner's server and to the hidden suite. */
  env: Record<string, string>;
  /** Service URLs the practice reads when set (DATABASE_URL, REDIS_URL, AMQP_URL). */
  services: string[];
  /**
   * Named groups of requirement ids that together mean a skill is in place (for practice 03:
   * "api-key-auth", "cors"), so readiness can tell when a skill arrived within a session.
   */
  milestones?: Record<string, string[]>;
  readyTimeoutSeconds: number;
  checkTimeoutSeconds: number;
  dir: string;
  scaffoldDir: string;
  specPath: string;
  hintsPath: string;
  suitePath: string;
  referenceDir: string;
}

/** drill.json: what a practice declares about itself. */
const drillJson = v.object({
  id: v.pipe(v.string(), v.regex(/^\d{2}$/, "two digits")),
  slug: text,
  title: text,
  skill: v.optional(v.string(), ""),
  jd: v.optional(v.string(), ""),
  shared: v.optional(v.array(text), []),
  env: v.optional(v.record(v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]*$/)), v.string()), {}),
  services: v.optional(v.array(v.picklist(["DATABASE_URL", "REDIS_URL", "AMQP_URL"])), []),
  milestones: v.exactOptional(v.record(text, v.array(v.pipe(v.string(), v.regex(/^R\d{2}\.\d+$/))))),
  readyTimeoutSeconds: v.optional(v.pipe(v.number(), v.gtValue(0)), 20),
  checkTimeoutSeconds: v.optional(v.pipe(v.number(), v.gtValue(0)), 120),
});

function readPractice(slug: string): Practice {
  const dir = join(DRILLS_DIR, slug);
  const raw = parseJsonText(drillJson, readFileSync(join(dir, "drill.json"), "utf8"), `drills/${slug}/drill.json`);
  if (raw.slug !== slug) throw new Error(`drills/${slug}/drill.json names the slug "${raw.slug}", not its folder's "${slug}"`);
  return {
    ...raw,
    dir,
    scaffoldDir: join(dir, "scaffold"),
    specPath: join(dir, "README.md"),
    hintsPath: join(dir, "hints.md"),
    suitePath: join(HIDDEN_TESTS_DIR, `${slug}.test.ts`),
    referenceDir: join(REFERENCE_DIR, slug),
  };
}

let cache: Practice[] | undefined;

/** Every bundled practice with a drill.json, in number order. */
export function loadPractices(): Practice[] {
  if (!cache) {
    cache = readdirSync(DRILLS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && /^\d{2}-/.test(entry.name))
      .filter((entry) => existsSync(join(DRILLS_DIR, entry.name, "drill.json")))
      .map((entry) => readPractice(entry.name))
      // Plain comparison of the two-digit ids: localeCompare's first call loads ICU's collator,
      // which costs more than the rest of `drill list` together.
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return cache;
}

/** Accepts `3`, `03`, `03-api-security` or `api-security`. */
export function resolvePractice(input: string): Practice {
  const practices = loadPractices();
  const wanted = input.trim().toLowerCase();
  const asNumber = /^\d{1,2}$/.test(wanted) ? wanted.padStart(2, "0") : undefined;
  const found = practices.find((p) => p.id === asNumber || p.slug === wanted || p.slug.slice(3) === wanted);
  if (!found) {
    const known = practices.map((p) => `${p.id} ${p.slug.slice(3)}`).join(", ");
    throw new DrillError("unknown-practice", `there is no practice "${input}"`, {
      hint: `Pick one of: ${known}. \`drill list\` shows them all.`,
    });
  }
  return found;
}

/** How a practice is named to the learner: "03 API security". */
export function practiceLabel(practice: Pick<Practice, "id" | "title">): string {
  return `${practice.id} ${practice.title}`;
}

export function practiceBySlug(slug: string): Practice | undefined {
  return loadPractices().find((p) => p.slug === slug);
}

/** A practice as `drill list` shows it, with the learner's best time to green. */
export interface PracticeRow {
  id: string;
  slug: string;
  title: string;
  skill: string;
  jd: string;
  bestMs: number | null;
}
