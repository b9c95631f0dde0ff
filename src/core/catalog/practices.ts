// The bundled practices: their metadata (drill.json) and how a learner names one.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { DrillError } from "../../system/errors.js";
import { DRILLS_DIR, HIDDEN_TESTS_DIR, REFERENCE_DIR } from "../../system/paths.js";
import { parseJsonText, text } from "../schema.js";
import { REQUIREMENT_ID } from "./requirement-id.js";

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
  /** Present on a debugging drill (id D1..D9): a broken app to fix, not an app to build. */
  debug?: DebugDetails;
}

/** A debugging drill: a practice with its debug details. */
export type DebugDrill = Practice & { debug: DebugDetails };

/** What a debugging drill adds to a practice's metadata. */
interface DebugDetails {
  /** What `drill debug <name>` takes: "cors". */
  name: string;
  timeBoxMinutes: number;
  /** The requirements the shipped broken app fails; it passes every other one. */
  brokenRequirements: string[];
}

const requirementId = v.pipe(v.string(), v.regex(REQUIREMENT_ID, "a requirement id such as R03.2 or RD1.2"));

const practiceFields = {
  slug: text,
  title: text,
  skill: v.optional(v.string(), ""),
  jd: v.optional(v.string(), ""),
  shared: v.optional(v.array(text), []),
  env: v.optional(v.record(v.pipe(v.string(), v.regex(/^[A-Z][A-Z0-9_]*$/)), v.string()), {}),
  services: v.optional(v.array(v.picklist(["DATABASE_URL", "REDIS_URL", "AMQP_URL"])), []),
  milestones: v.exactOptional(v.record(text, v.array(requirementId))),
  readyTimeoutSeconds: v.optional(v.pipe(v.number(), v.gtValue(0)), 20),
  checkTimeoutSeconds: v.optional(v.pipe(v.number(), v.gtValue(0)), 120),
};

/** drill.json: what a practice declares about itself... */
const practiceJson = v.object({
  id: v.pipe(v.string(), v.regex(/^\d{2}$/, "two digits")),
  kind: v.optional(v.literal("practice"), "practice"),
  ...practiceFields,
});

/** ...or a debugging drill: a broken app, its time box and the requirements it fails. */
const debugJson = v.object({
  id: v.pipe(v.string(), v.regex(/^D\d$/, "D and one digit")),
  kind: v.literal("debug"),
  name: v.pipe(text, v.regex(/^[a-z][a-z0-9-]*$/, "lowercase letters, digits and dashes")),
  timeBoxMinutes: v.pipe(v.number(), v.integer(), v.gtValue(0)),
  brokenRequirements: v.pipe(v.array(requirementId), v.minLength(1)),
  ...practiceFields,
});

const drillJson = v.variant("kind", [debugJson, practiceJson]);

/** A practice folder (`03-api-security`) or a debugging drill's (`d1-cors`). */
const PRACTICE_FOLDER = /^\d{2}-/;
const DEBUG_FOLDER = /^d\d-/;

/** Is this the slug of a debugging drill (`d1-cors`)? Sessions name their practice by slug. */
export function isDebugDrillSlug(slug: string): boolean {
  return DEBUG_FOLDER.test(slug);
}

/** A drill.json read from the folder `slug`: the schema, and a slug and id that fit the folder. */
export function parseDrillJson(json: string, slug: string): v.InferOutput<typeof drillJson> {
  const parsed = parseJsonText(drillJson, json, `drills/${slug}/drill.json`);
  if (parsed.slug !== slug) throw new Error(`drills/${slug}/drill.json names the slug "${parsed.slug}", not its folder's "${slug}"`);
  const folder = parsed.kind === "debug" ? DEBUG_FOLDER : PRACTICE_FOLDER;
  if (!folder.test(slug)) throw new Error(`drills/${slug}/drill.json: a ${parsed.kind} lives in a folder named like ${folder.source}`);
  if (!slug.toLowerCase().startsWith(`${parsed.id.toLowerCase()}-`)) {
    throw new Error(`drills/${slug}/drill.json has the id "${parsed.id}", which its folder's name does not start with`);
  }
  return parsed;
}

function readPractice(slug: string): Practice {
  const dir = join(DRILLS_DIR, slug);
  const parsed = parseDrillJson(readFileSync(join(dir, "drill.json"), "utf8"), slug);
  let practice: Omit<Practice, "dir" | "scaffoldDir" | "specPath" | "hintsPath" | "suitePath" | "referenceDir">;
  if (parsed.kind === "debug") {
    const { kind: _kind, name, timeBoxMinutes, brokenRequirements, ...rest } = parsed;
    practice = { ...rest, debug: { name, timeBoxMinutes, brokenRequirements } };
  } else {
    const { kind: _kind, ...rest } = parsed;
    practice = rest;
  }
  return {
    ...practice,
    dir,
    scaffoldDir: join(dir, "scaffold"),
    specPath: join(dir, "README.md"),
    hintsPath: join(dir, "hints.md"),
    suitePath: join(HIDDEN_TESTS_DIR, `${slug}.test.ts`),
    referenceDir: join(REFERENCE_DIR, slug),
  };
}

const cache = new Map<string, Practice[]>();

/** The drills whose folder matches `folder`, in id order. */
function loadFolders(folder: RegExp): Practice[] {
  let found = cache.get(folder.source);
  if (!found) {
    found = readdirSync(DRILLS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && folder.test(entry.name))
      .filter((entry) => existsSync(join(DRILLS_DIR, entry.name, "drill.json")))
      .map((entry) => readPractice(entry.name))
      // Plain comparison of the ids: localeCompare's first call loads ICU's collator,
      // which costs more than the rest of `drill list` together.
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    cache.set(folder.source, found);
  }
  return found;
}

/**
 * Every bundled practice with a drill.json, in number order. Never a debugging drill: what picks
 * a practice (random, fire drill, plan) picks from these.
 */
export function loadPractices(): Practice[] {
  return loadFolders(PRACTICE_FOLDER);
}

/** Every bundled debugging drill (drills/dN-*), in id order. */
export function loadDebugDrills(): DebugDrill[] {
  return loadFolders(DEBUG_FOLDER).filter((p): p is DebugDrill => p.debug !== undefined);
}

/** Practices and debugging drills: what a check, a session or `drill stats <id>` may concern. */
export function loadCatalog(): Practice[] {
  return [...loadPractices(), ...loadDebugDrills()];
}

/** Does `practice` match what the learner typed: `3`, `03`, `03-api-security`, `api-security`, `D1`, `d1-cors`, `cors`? */
function matches(practice: Practice, input: string): boolean {
  const wanted = input.trim().toLowerCase();
  const asNumber = /^\d{1,2}$/.test(wanted) ? wanted.padStart(2, "0") : undefined;
  return (
    practice.id === asNumber ||
    practice.id.toLowerCase() === wanted ||
    practice.slug === wanted ||
    practice.slug.slice(3) === wanted ||
    practice.debug?.name === wanted
  );
}

/**
 * Accepts `3`, `03`, `03-api-security` or `api-security`, and a debugging drill's `D1`, `d1-cors`
 * or `cors` (a check, a reset or the gates concern either kind).
 */
export function resolvePractice(input: string): Practice {
  const found = loadCatalog().find((p) => matches(p, input));
  if (!found) {
    const known = loadPractices()
      .map((p) => `${p.id} ${p.slug.slice(3)}`)
      .join(", ");
    throw new DrillError("unknown-practice", `there is no practice "${input}"`, {
      hint: `Pick one of: ${known}. \`drill list\` shows them all.`,
    });
  }
  return found;
}

/** Accepts `D1`, `d1`, `d1-cors` or `cors`. */
export function resolveDebugDrill(input: string): DebugDrill {
  const found = loadDebugDrills().find((p) => matches(p, input));
  if (!found) {
    const known = loadDebugDrills()
      .map((p) => `${p.debug.name} (${p.id})`)
      .join(", ");
    throw new DrillError("unknown-practice", `there is no debugging drill "${input}"`, {
      hint: known ? `Pick one of: ${known}. \`drill list\` shows them all.` : "This copy of drill has no debugging drills.",
    });
  }
  return found;
}

/** How a practice is named to the learner: "03 API security". */
export function practiceLabel(practice: Pick<Practice, "id" | "title">): string {
  return `${practice.id} ${practice.title}`;
}

export function practiceBySlug(slug: string): Practice | undefined {
  return loadCatalog().find((p) => p.slug === slug);
}

/** A practice as `drill list` shows it, with the learner's best time to green. */
export interface PracticeRow {
  id: string;
  slug: string;
  title: string;
  skill: string;
  jd: string;
  bestMs: number | null;
  /** A practice to build, or a debugging drill to fix (listed apart). */
  kind: "practice" | "debug";
  /** A debugging drill's: what `drill debug` takes, and its time box. */
  name?: string;
  timeBoxMinutes?: number;
}
