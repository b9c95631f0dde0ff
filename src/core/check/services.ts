// The services a check hands the learner's server, and nothing else: drill never touches state
// it was not given for the check.
//
// DATABASE_URL (practices that list it): a fresh SQLite file in a temporary folder by default;
// with a PostgreSQL server given to drill (DRILL_DATABASE_URL, or services.database in
// .drill/config.json), a throwaway database made for this check and dropped after it, the way
// Django's and pytest's test runners make theirs. REDIS_URL (when the learner gives drill a Redis):
// an empty logical database claimed for this check, emptied afterwards; nothing else on that
// Redis is read or flushed. AMQP_URL (when the learner gives drill a RabbitMQ broker:
// DRILL_AMQP_URL, or services.amqp): a virtual host made for this check through the broker's
// management HTTP API (DRILL_AMQP_MANAGEMENT_URL, or the AMQP URL's host on port 15672 with its
// credentials), deleted after it. A service not given: the server's in-process default.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DrillError } from "../../system/errors.js";
import type { Practice } from "../catalog/practices.js";
import { registerCleanup } from "./processes.js";

type ServiceName = "DATABASE_URL" | "REDIS_URL" | "AMQP_URL";

export interface ServiceLine {
  name: ServiceName;
  /** "real": a service the learner gave drill; "embedded": the default drill made or the server's own. */
  kind: "real" | "embedded";
  /** What the server got, in words, without passwords. */
  description: string;
}

export interface CheckServices {
  /** Added to the server's environment (and the suite's). */
  env: Record<string, string>;
  lines: ServiceLine[];
  /** Drops what was made for the check. Safe to call twice. */
  release(): Promise<void>;
}

export interface ServiceSources {
  database?: string | undefined;
  redis?: string | undefined;
  amqp?: string | undefined;
  /** The broker's management HTTP API, when not the AMQP URL's host on port 15672. */
  amqpManagement?: string | undefined;
}

/** Where the learner gave drill a service: the environment first, then the workspace's config. */
export function serviceSources(env: NodeJS.ProcessEnv, config: ServiceSources = {}): ServiceSources {
  return {
    database: env.DRILL_DATABASE_URL || config.database,
    redis: env.DRILL_REDIS_URL || env.REDIS_URL || config.redis,
    amqp: env.DRILL_AMQP_URL || env.AMQP_URL || config.amqp,
    amqpManagement: env.DRILL_AMQP_MANAGEMENT_URL,
  };
}

export async function prepareServices(practice: Practice, sources: ServiceSources): Promise<CheckServices> {
  const env: Record<string, string> = {};
  const lines: ServiceLine[] = [];
  const releases: Array<() => Promise<void>> = [];
  const release = async () => {
    for (const step of releases.splice(0).reverse()) await step().catch(() => undefined);
  };
  const unregister = registerCleanup(release);
  try {
    for (const name of practice.services as ServiceName[]) {
      if (name === "DATABASE_URL") {
        const database = sources.database ? await throwawayPostgres(practice, sources.database) : sqliteFile();
        releases.push(database.drop);
        env.DATABASE_URL = database.url;
        lines.push({ name, kind: sources.database ? "real" : "embedded", description: database.description });
      } else if (name === "REDIS_URL" && sources.redis) {
        const redis = await claimRedisDatabase(sources.redis);
        releases.push(redis.drop);
        env.REDIS_URL = redis.url;
        lines.push({ name, kind: "real", description: redis.description });
      } else if (name === "AMQP_URL" && sources.amqp) {
        const vhost = await throwawayVhost(practice, sources.amqp, sources.amqpManagement);
        releases.push(vhost.drop);
        env.AMQP_URL = vhost.url;
        lines.push({ name, kind: "real", description: vhost.description });
      } else {
        const given = name === "REDIS_URL" ? sources.redis : undefined;
        if (given) {
          env[name] = given;
          lines.push({ name, kind: "real", description: `${redact(given)} → your server` });
        } else {
          lines.push({ name, kind: "embedded", description: `unset: your server's in-process default` });
        }
      }
    }
  } catch (error) {
    await release();
    unregister();
    throw error;
  }
  return {
    env,
    lines,
    release: async () => {
      await release();
      unregister();
    },
  };
}

interface ThrowawayDatabase {
  url: string;
  description: string;
  drop(): Promise<void>;
}

function sqliteFile(): ThrowawayDatabase {
  const dir = mkdtempSync(join(tmpdir(), "drill-db-"));
  const file = join(dir, "app.db");
  return {
    url: `sqlite+aiosqlite:///${file}`,
    description: `a new SQLite file for this check (${file})`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** postgres:// or postgresql:// (with or without +driver) as a URL node-postgres and people read. */
function parsePostgresUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DrillError("usage", `the PostgreSQL URL given to drill is not a URL: ${redact(raw)}`, {
      hint: "Example: DRILL_DATABASE_URL=postgresql://drill:secret@127.0.0.1:5432/postgres",
    });
  }
  if (!/^postgres(ql)?(\+\w+)?:$/.test(url.protocol)) {
    throw new DrillError("usage", `DRILL_DATABASE_URL must be a postgresql:// URL, not ${url.protocol}//…`, {
      hint: "drill makes a throwaway database on that PostgreSQL server for each check; without it, each check gets a new SQLite file.",
    });
  }
  return url;
}

async function throwawayPostgres(practice: Practice, raw: string): Promise<ThrowawayDatabase> {
  const admin = parsePostgresUrl(raw);
  const name = `drill_${practice.id}_${randomBytes(5).toString("hex")}`;
  const { default: pg } = await import("pg");
  const connect = async () => {
    const url = new URL(admin.href.replace(/^postgres(ql)?(\+\w+)?:/, "postgresql:"));
    const client = new pg.Client({ connectionString: url.href, connectionTimeoutMillis: 5000 });
    await client.connect();
    return client;
  };
  let client: InstanceType<typeof pg.Client>;
  try {
    client = await connect();
  } catch (error) {
    throw new DrillError("service-unavailable", `cannot reach the PostgreSQL server at ${redact(raw)}: ${(error as Error).message}`, {
      hint: "Start it (for example `pg_ctlcluster 15 main start`), fix DRILL_DATABASE_URL, or unset it to check with a SQLite file.",
    });
  }
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const user = decodeURIComponent(admin.username) || "this role";
    if (code === "42501") {
      throw new DrillError(
        "service-unavailable",
        `the role ${user} may not create databases on ${admin.host}, so drill cannot make one for the check`,
        {
          hint: `As a superuser: ALTER ROLE "${user}" CREATEDB; (or unset DRILL_DATABASE_URL to check with a SQLite file)`,
        },
      );
    }
    throw new DrillError("service-unavailable", `could not create a database for the check on ${admin.host}: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const forServer = new URL(admin.href);
  forServer.pathname = `/${name}`;
  // The learner's server uses SQLAlchemy's asyncio engine: hand it the asyncpg dialect.
  const url = forServer.href.replace(/^postgres(ql)?(\+\w+)?:/, "postgresql+asyncpg:");
  return {
    url,
    description: `a throwaway PostgreSQL database ${name} on ${admin.host}, dropped after the check`,
    drop: async () => {
      const dropper = await connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end().catch(() => undefined);
      }
    },
  };
}

/** Claimed databases carry this key (with the check's token) for as long as the check runs. */
const REDIS_CLAIM_KEY = "drill:check";
const REDIS_CLAIM_SECONDS = 6 * 60 * 60;
// Claims the logical database only when it is empty, in one step, so two checks (or a learner's
// own data) never share one.
const CLAIM_IF_EMPTY = `if redis.call('DBSIZE') == 0 then return redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) else return false end`;

async function claimRedisDatabase(raw: string): Promise<ThrowawayDatabase> {
  let base: URL;
  try {
    base = new URL(raw);
  } catch {
    throw new DrillError("usage", `the Redis URL given to drill is not a URL: ${redact(raw)}`, {
      hint: "Example: REDIS_URL=redis://127.0.0.1:6379",
    });
  }
  if (base.protocol !== "redis:" && base.protocol !== "rediss:") {
    throw new DrillError("usage", `REDIS_URL must be a redis:// or rediss:// URL, not ${base.protocol}//…`);
  }
  const { createClient } = await import("redis");
  const token = randomBytes(8).toString("hex");
  const connect = async (database: number) => {
    const url = new URL(base.href);
    url.pathname = `/${database}`;
    const client = createClient({ url: url.href, socket: { connectTimeout: 5000, reconnectStrategy: false } });
    client.on("error", () => undefined);
    await client.connect();
    return client;
  };
  // Database 0 is where a learner's own data most likely lives; drill takes the highest free one.
  for (let database = 15; database >= 1; database--) {
    let client: Awaited<ReturnType<typeof connect>>;
    try {
      client = await connect(database);
    } catch (error) {
      const message = (error as Error).message;
      if (/DB index is out of range|invalid DB index/i.test(message)) continue;
      throw new DrillError("service-unavailable", `cannot reach the Redis at ${redact(raw)}: ${message}`, {
        hint: "Start it (for example `redis-server --daemonize yes`), fix REDIS_URL, or unset it to check with your server's in-process default.",
      });
    }
    try {
      const claimed = await client.eval(CLAIM_IF_EMPTY, { keys: [REDIS_CLAIM_KEY], arguments: [token, String(REDIS_CLAIM_SECONDS)] });
      if (claimed === null) continue;
    } finally {
      await client.close().catch(() => undefined);
    }
    const url = new URL(base.href);
    url.pathname = `/${database}`;
    return {
      url: url.href,
      description: `${redact(url.href)} (logical database ${database}, empty and this check's own, emptied afterwards) → your server`,
      drop: async () => {
        const cleaner = await connect(database);
        try {
          // Only while it is still ours (the server may have deleted the claim with its own keys);
          // a database a later check has claimed is left alone.
          const holder = await cleaner.get(REDIS_CLAIM_KEY);
          if (holder === token || holder === null) await cleaner.flushDb();
        } finally {
          await cleaner.close().catch(() => undefined);
        }
      },
    };
  }
  throw new DrillError("service-unavailable", `no empty logical database (1-15) on the Redis at ${redact(raw)} for this check`, {
    hint: "drill gives each check an empty logical database of its own and never touches others; free one (for example FLUSHDB on one you do not need), or unset REDIS_URL.",
  });
}

const MANAGEMENT_PORT = "15672";
const MANAGEMENT_TIMEOUT_MS = 5000;
const MANAGEMENT_HINT =
  "drill makes a virtual host per check through RabbitMQ's management API: enable it with `rabbitmq-plugins enable rabbitmq_management`, set DRILL_AMQP_MANAGEMENT_URL if it is not on port 15672, or unset DRILL_AMQP_URL to check with your server's in-process queue.";

/** A virtual host of the check's own on the learner's broker, made and deleted through the management API. */
async function throwawayVhost(practice: Practice, raw: string, managementRaw: string | undefined): Promise<ThrowawayDatabase> {
  let amqp: URL;
  try {
    amqp = new URL(raw);
  } catch {
    throw new DrillError("usage", `the AMQP URL given to drill is not a URL: ${redact(raw)}`, {
      hint: "Example: DRILL_AMQP_URL=amqp://guest:guest@127.0.0.1:5672/",
    });
  }
  if (amqp.protocol !== "amqp:" && amqp.protocol !== "amqps:") {
    throw new DrillError("usage", `DRILL_AMQP_URL must be an amqp:// or amqps:// URL, not ${amqp.protocol}//…`, {
      hint: "drill makes a virtual host on that RabbitMQ for each check; without it, your server uses its in-process queue.",
    });
  }
  let management: URL;
  try {
    management = new URL(managementRaw ?? `http://${amqp.hostname}:${MANAGEMENT_PORT}/`);
  } catch {
    throw new DrillError("usage", `DRILL_AMQP_MANAGEMENT_URL is not a URL: ${redact(managementRaw ?? "")}`, {
      hint: "Example: DRILL_AMQP_MANAGEMENT_URL=http://127.0.0.1:15672",
    });
  }
  // The management API takes the AMQP user's credentials unless its own URL carries others.
  const user = decodeURIComponent(management.username || amqp.username || "guest");
  const password = decodeURIComponent(management.password || amqp.password || (amqp.username ? "" : "guest"));
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  management.username = "";
  management.password = "";
  const api = (path: string) => new URL(`api/${path}`, management.href.endsWith("/") ? management.href : `${management.href}/`).href;
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    try {
      return await fetch(api(path), {
        method,
        headers: { authorization, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(MANAGEMENT_TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new DrillError("service-unavailable", `cannot reach RabbitMQ's management API at ${management.origin}: ${cause}`, {
        hint: MANAGEMENT_HINT,
      });
    }
  };
  const whoami = await call("GET", "whoami");
  if (whoami.status === 401) {
    throw new DrillError(
      "service-unavailable",
      `RabbitMQ's management API at ${management.origin} refused the user ${user} (wrong password?)`,
      {
        hint: MANAGEMENT_HINT,
      },
    );
  }
  if (!whoami.ok) {
    throw new DrillError("service-unavailable", `RabbitMQ's management API at ${management.origin} answered ${whoami.status}`, {
      hint: MANAGEMENT_HINT,
    });
  }
  const tags = ((await whoami.json().catch(() => ({}))) as { tags?: string | string[] }).tags ?? [];
  if (!(Array.isArray(tags) ? tags : tags.split(",")).includes("administrator")) {
    throw new DrillError(
      "service-unavailable",
      `the RabbitMQ user ${user} is not an administrator, so drill cannot make a virtual host for the check`,
      {
        hint: `As an administrator: rabbitmqctl set_user_tags ${user} administrator (or unset DRILL_AMQP_URL to check with your server's in-process queue)`,
      },
    );
  }
  const name = `drill_${practice.id}_${randomBytes(5).toString("hex")}`;
  const vhost = encodeURIComponent(name);
  const made = await call("PUT", `vhosts/${vhost}`, { description: "drill: one check's own, deleted after it" });
  if (!made.ok) {
    throw new DrillError(
      "service-unavailable",
      `could not create a virtual host for the check on ${amqp.host}: ${made.status} ${await made.text()}`,
    );
  }
  const drop = async () => {
    await call("DELETE", `vhosts/${vhost}`);
  };
  const amqpUser = decodeURIComponent(amqp.username || "guest");
  const allowed = await call("PUT", `permissions/${vhost}/${encodeURIComponent(amqpUser)}`, { configure: ".*", write: ".*", read: ".*" });
  if (!allowed.ok) {
    await drop().catch(() => undefined);
    throw new DrillError(
      "service-unavailable",
      `could not give ${amqpUser} the virtual host ${name}: ${allowed.status} ${await allowed.text()}`,
    );
  }
  const forServer = new URL(amqp.href);
  forServer.pathname = `/${vhost}`;
  return {
    url: forServer.href,
    description: `${redact(forServer.href)} (virtual host ${name}, this check's own, deleted afterwards) → your server`,
    drop,
  };
}

/** A URL without its password, for the report. */
export function redact(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = "***";
    return url.href;
  } catch {
    return raw.replace(/:[^:@/]*@/, ":***@");
  }
}
