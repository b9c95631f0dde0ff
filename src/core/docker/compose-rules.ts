// A compose file: validated against the Compose Specification's JSON schema (vendored in
// compose-spec.json; COMPOSE_SPEC_SOURCE says which version), then drill's teaching rules for an
// app and its PostgreSQL. Notes name the line, found through the YAML document's source ranges.
import { Ajv } from "ajv";
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import schema from "./compose-spec.json" with { type: "json" };
import type { Note } from "./dockerfile-rules.js";

/** Where compose-spec.json came from: github.com/compose-spec/compose-spec, schema/compose-spec.json. */
export const COMPOSE_SPEC_SOURCE = "compose-spec/compose-spec@170098ba07d9f53c383a41bfd4c5166b0a4529a6 (2026-06-23)";

export interface ComposeFile {
  doc: Document;
  /** The parsed value (plain objects), or undefined when the YAML does not parse. */
  data: unknown;
  lineOf: (path: (string | number)[]) => number | undefined;
  syntaxErrors: Note[];
}

export function parseCompose(text: string): ComposeFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxErrors = doc.errors.map((error) => ({
    line: lineCounter.linePos(error.pos[0]).line,
    message: `YAML does not parse: ${error.message.split("\n")[0]}`,
  }));
  const lineOf = (path: (string | number)[]): number | undefined => {
    // The deepest part of the path that exists: a map entry by its key's line (a nested map's own
    // range starts at its first key, a line too late), a list item by its own.
    for (let depth = path.length; depth > 0; depth--) {
      const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
      const key = path[depth - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
        const keyRange = isScalar(pair?.key) ? pair.key.range : undefined;
        if (keyRange) return lineCounter.linePos(keyRange[0]).line;
      } else if (isSeq(parent) && /^\d+$/.test(String(key))) {
        const range = (parent.items[Number(key)] as { range?: [number, number, number] } | undefined)?.range;
        if (range) return lineCounter.linePos(range[0]).line;
      }
    }
    const range = (doc.contents as { range?: [number, number, number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  return { doc, data: syntaxErrors.length ? undefined : doc.toJS(), lineOf, syntaxErrors };
}

let validator: ReturnType<Ajv["compile"]> | undefined;

/** Notes for every place the file breaks the Compose Specification's schema. */
function schemaNotes(compose: ComposeFile): Note[] {
  if (compose.syntaxErrors.length) return compose.syntaxErrors;
  // The schema declares draft-07 by an https URL Ajv does not know, and uses formats (duration)
  // it does not ship: neither changes what a compose file may hold.
  validator ??= new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: false }).compile(schema);
  if (validator(compose.data)) return [];
  const seen = new Set<string>();
  const notes: Note[] = [];
  const errors = validator.errors ?? [];
  for (const error of errors) {
    // oneOf reports every branch it tried: the deepest place is the mistake (a wrong condition,
    // not "depends_on must be a list"), and the first message per place is enough.
    if (errors.some((other) => other.instancePath.startsWith(`${error.instancePath}/`))) continue;
    if (seen.has(error.instancePath)) continue;
    seen.add(error.instancePath);
    const path = error.instancePath
      .split("/")
      .slice(1)
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"));
    const where = path.length ? path.join(".") : "the file";
    const params = error.params as { additionalProperty?: string; allowedValues?: unknown[] };
    const extra =
      error.keyword === "additionalProperties"
        ? ` (${String(params.additionalProperty)})`
        : error.keyword === "enum"
          ? ` (${(params.allowedValues ?? []).join(", ")})`
          : "";
    // An unknown key is reported on its own line, not on the line of the map that holds it.
    const at = error.keyword === "additionalProperties" ? [...path, String(params.additionalProperty)] : path;
    notes.push({ ...lineAt(compose, at), message: `${where} ${error.message ?? "is invalid"}${extra}` });
  }
  return notes;
}

function lineAt(compose: ComposeFile, path: (string | number)[]): { line?: number } {
  const line = compose.lineOf(path);
  return line === undefined ? {} : { line };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

interface Services {
  all: Json;
  db?: [string, Json];
  app?: [string, Json];
}

function services(compose: ComposeFile): Services {
  const all = isObject(compose.data) && isObject(compose.data.services) ? compose.data.services : {};
  const entries = Object.entries(all).filter((entry): entry is [string, Json] => isObject(entry[1]));
  const db = entries.find(([, service]) => typeof service.image === "string" && /(^|\/)postgres(:|@|$)/.test(service.image));
  const app =
    entries.find(([name, service]) => name !== db?.[0] && service.build !== undefined) ?? entries.find(([name]) => name !== db?.[0]);
  return { all, ...(db ? { db } : {}), ...(app ? { app } : {}) };
}

/** A service's environment as a map, from either the map or the list form. */
function environment(service: Json): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env
        .filter((item): item is string => typeof item === "string")
        .map((item) => [item.split("=")[0] ?? "", item.split("=").slice(1).join("=")]),
    );
  }
  if (isObject(env)) return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? "" : String(value)]));
  return {};
}

export interface ComposeRule {
  id: string;
  title: string;
  why: string;
  check: (compose: ComposeFile) => Note[];
}

export const COMPOSE_RULES: ComposeRule[] = [
  {
    id: "compose-schema",
    title: "valid against the Compose Specification",
    why: "docker compose refuses a file the specification does not allow, often only when you run it on the day.",
    check: schemaNotes,
  },
  {
    id: "two-services",
    title: "two services: the app and PostgreSQL",
    why: "The app is built from this folder and the database is the official postgres image: one container each.",
    check(compose) {
      const { all, db, app } = services(compose);
      const names = Object.keys(all);
      const notes: Note[] = [];
      if (names.length !== 2) {
        notes.push({ ...lineAt(compose, ["services"]), message: `services holds ${names.length} (${names.join(", ") || "none"}), not 2` });
      }
      if (!db) notes.push({ ...lineAt(compose, ["services"]), message: "no service runs the postgres image" });
      if (!app || app[1].build === undefined)
        notes.push({ ...lineAt(compose, ["services"]), message: "no service builds the app from the Dockerfile (build: .)" });
      return notes;
    },
  },
  {
    id: "waits-for-healthy-db",
    title: "the app waits for a healthy database",
    why: "depends_on alone waits for the container to start, not for PostgreSQL to accept connections: the app's first connect fails.",
    check(compose) {
      const { db, app } = services(compose);
      if (!db || !app) return [{ ...lineAt(compose, ["services"]), message: "needs an app service and a postgres service first" }];
      const notes: Note[] = [];
      const [dbName, dbService] = db;
      const [appName, appService] = app;
      const dependsOn = appService.depends_on;
      const condition = isObject(dependsOn) && isObject(dependsOn[dbName]) ? dependsOn[dbName].condition : undefined;
      if (condition !== "service_healthy") {
        notes.push({
          ...lineAt(compose, ["services", appName, "depends_on"]),
          message: `${appName} does not wait with depends_on: { ${dbName}: { condition: service_healthy } }`,
        });
      }
      const healthcheck = dbService.healthcheck;
      if (!isObject(healthcheck) || healthcheck.test === undefined || healthcheck.disable === true) {
        notes.push({
          ...lineAt(compose, ["services", dbName]),
          message: `${dbName} has no healthcheck (e.g. test: ["CMD-SHELL", "pg_isready -U $$POSTGRES_USER"]), so it never becomes healthy`,
        });
      }
      return notes;
    },
  },
  {
    id: "database-url",
    title: "DATABASE_URL points at the database service",
    why: "Containers reach each other by service name on compose's network; localhost is the app's own container.",
    check(compose) {
      const { db, app } = services(compose);
      if (!db || !app) return [{ ...lineAt(compose, ["services"]), message: "needs an app service and a postgres service first" }];
      const [appName, appService] = app;
      const url = environment(appService).DATABASE_URL;
      const at = lineAt(compose, ["services", appName, "environment"]);
      if (!url) return [{ ...at, message: `${appName} has no DATABASE_URL in its environment` }];
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return [{ ...at, message: `DATABASE_URL is not a URL: ${url}` }];
      }
      const notes: Note[] = [];
      if (parsed.hostname !== db[0]) {
        notes.push({ ...at, message: `DATABASE_URL's host is ${parsed.hostname}, not the database service's name ${db[0]}` });
      }
      if (parsed.protocol !== "postgresql+asyncpg:") {
        notes.push({ ...at, message: `DATABASE_URL starts ${parsed.protocol}//; SQLAlchemy's async engine needs postgresql+asyncpg://` });
      }
      return notes;
    },
  },
  {
    id: "named-volume",
    title: "a named volume for the data",
    why: "Without one the database lives in the container's writable layer: docker compose down takes every row with it.",
    check(compose) {
      const { db } = services(compose);
      if (!db) return [{ ...lineAt(compose, ["services"]), message: "no postgres service to keep data for" }];
      const [dbName, dbService] = db;
      const declared = isObject(compose.data) && isObject(compose.data.volumes) ? Object.keys(compose.data.volumes) : [];
      const mounts = Array.isArray(dbService.volumes) ? dbService.volumes : [];
      const named = mounts.some((mount) => {
        const [source, target] = typeof mount === "string" ? mount.split(":") : isObject(mount) ? [mount.source, mount.target] : [];
        return (
          typeof source === "string" && declared.includes(source) && typeof target === "string" && target.startsWith("/var/lib/postgresql")
        );
      });
      if (named) return [];
      return [
        {
          ...lineAt(compose, ["services", dbName, "volumes"]),
          message: `${dbName} mounts no named volume (declared under the top-level volumes:) at /var/lib/postgresql/data`,
        },
      ];
    },
  },
];
