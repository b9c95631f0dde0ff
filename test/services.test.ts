// The services a check hands the learner's server: a fresh SQLite file by default, a throwaway
// PostgreSQL database when drill is given a server (CI gives one through DRILL_TEST_DATABASE_URL),
// dropped afterwards also when drill is interrupted; a role without CREATEDB is one clear line.
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { DrillError } from "../src/system/errors.js";
import { resolvePractice, type Practice } from "../src/core/catalog/practices.js";
import { stopAll } from "../src/core/check/processes.js";
import { prepareServices, redact, serviceSources } from "../src/core/check/services.js";

const POSTGRES = process.env.DRILL_TEST_DATABASE_URL;
const REDIS = process.env.DRILL_TEST_REDIS_URL;
/** A RabbitMQ with its management API whose user is an administrator (.ci/run starts one). */
const AMQP = process.env.DRILL_TEST_AMQP_URL;
/** A role that may log in but not create databases (made by .ci/run next to the one that may). */
const POSTGRES_NO_CREATEDB = process.env.DRILL_TEST_DATABASE_URL_NO_CREATEDB;

/** Practice 01 with DATABASE_URL among its services, so the tests need no database practice to exist. */
function withDatabase(): Practice {
  return { ...resolvePractice("01"), services: ["DATABASE_URL", "REDIS_URL"] };
}

async function databases(prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
    return result.rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

/** The management API of the test broker, as drill finds it (same host, port 15672, same user). */
async function management(method: string, path: string, body?: unknown): Promise<Response> {
  const url = new URL(AMQP as string);
  const auth = Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64");
  return fetch(`http://${url.hostname}:15672/api/${path}`, {
    method,
    headers: { authorization: `Basic ${auth}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function vhosts(prefix: string): Promise<string[]> {
  const response = await management("GET", "vhosts");
  const all = (await response.json()) as Array<{ name: string }>;
  return all.map((vhost) => vhost.name).filter((name) => name.startsWith(prefix));
}

function withBroker(): Practice {
  return { ...resolvePractice("01"), services: ["AMQP_URL"] };
}

describe("services for a check", () => {
  it("gives a new SQLite file per check by default, and removes its folder afterwards", async () => {
    const first = await prepareServices(withDatabase(), {});
    const second = await prepareServices(withDatabase(), {});
    const url = first.env.DATABASE_URL ?? "";
    expect(url).toMatch(/^sqlite\+aiosqlite:\/\/\/\//);
    expect(second.env.DATABASE_URL).not.toBe(url);
    const folder = dirname(fileURLToPath(url.replace("sqlite+aiosqlite:///", "file://")));
    expect(existsSync(folder)).toBe(true);
    expect(first.lines).toEqual([
      expect.objectContaining({ name: "DATABASE_URL", kind: "embedded" }),
      { name: "REDIS_URL", kind: "embedded", description: "unset: your server's in-process default" },
    ]);
    await first.release();
    await second.release();
    expect(existsSync(folder)).toBe(false);
  });

  it.skipIf(!REDIS)("gives each check an empty Redis database of its own, never one holding data, and empties only that one", async () => {
    const { createClient } = await import("redis");
    const at = (database: number) => {
      const url = new URL(REDIS as string);
      url.pathname = `/${database}`;
      return createClient({ url: url.href });
    };
    // Someone's own data in database 15: drill must pass it by and leave it as it was.
    const owner = at(15);
    await owner.connect();
    const hadData = (await owner.dbSize()) > 0;
    if (!hadData) await owner.set("learner:own", "keep me");
    try {
      const practice = { ...resolvePractice("07"), services: ["REDIS_URL"] };
      const [first, second] = await Promise.all([prepareServices(practice, { redis: REDIS }), prepareServices(practice, { redis: REDIS })]);
      const dbOf = (url: string | undefined) => Number(new URL(url ?? "").pathname.slice(1));
      const [a, b] = [dbOf(first?.env.REDIS_URL), dbOf(second?.env.REDIS_URL)];
      expect(a).not.toBe(b);
      expect([a, b]).not.toContain(15);
      expect(first?.lines[0]).toMatchObject({ name: "REDIS_URL", kind: "real" });
      // The server writes to its database; after the check that database is empty again.
      const used = at(a);
      await used.connect();
      await used.set("predict:x", "1");
      await first?.release();
      expect(await used.dbSize()).toBe(0);
      await used.close();
      await second?.release();
      expect(await owner.get("learner:own")).toBe(hadData ? null : "keep me");
    } finally {
      if (!hadData) await owner.del("learner:own");
      await owner.close();
    }
  });

  it("takes the environment before the workspace's config", () => {
    expect(serviceSources({ DRILL_DATABASE_URL: "postgresql://a@h/db" }, { database: "postgresql://b@h/db" }).database).toBe(
      "postgresql://a@h/db",
    );
    expect(serviceSources({}, { database: "postgresql://b@h/db" }).database).toBe("postgresql://b@h/db");
  });

  it("refuses a database URL that is not PostgreSQL, in one line", async () => {
    await expect(prepareServices(withDatabase(), { database: "mysql://root@127.0.0.1/x" })).rejects.toMatchObject({
      code: "usage",
      message: expect.stringContaining("postgresql://"),
    });
  });

  it("says plainly when the PostgreSQL server cannot be reached", async () => {
    const error = await prepareServices(withDatabase(), { database: "postgresql://drill:drill@127.0.0.1:9/postgres" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DrillError);
    expect((error as DrillError).code).toBe("service-unavailable");
    expect((error as DrillError).message).toMatch(
      /cannot reach the PostgreSQL server at postgresql:\/\/drill:\*\*\*@127\.0\.0\.1:9\/postgres/,
    );
  });

  it.skipIf(!POSTGRES)("makes a throwaway PostgreSQL database per check and drops it afterwards", async () => {
    const services = await prepareServices(withDatabase(), { database: POSTGRES });
    const url = services.env.DATABASE_URL ?? "";
    expect(url).toMatch(/^postgresql\+asyncpg:\/\/.*\/drill_01_[0-9a-f]{10}$/);
    const name = url.split("/").at(-1) ?? "";
    expect(await databases(name)).toEqual([name]);
    expect(services.lines[0]).toMatchObject({ name: "DATABASE_URL", kind: "real" });
    await services.release();
    expect(await databases(name)).toEqual([]);
  });

  it.skipIf(!POSTGRES)("drops the throwaway database when drill is interrupted", async () => {
    const services = await prepareServices(withDatabase(), { database: POSTGRES });
    const name = (services.env.DATABASE_URL ?? "").split("/").at(-1) ?? "";
    expect(await databases(name)).toEqual([name]);
    // What the Ctrl-C handler runs: every owned process stopped, then every registered cleanup.
    await stopAll();
    expect(await databases(name)).toEqual([]);
    await services.release();
  });

  it.skipIf(!POSTGRES_NO_CREATEDB)("names the missing CREATEDB privilege and the fix in one line", async () => {
    const error = await prepareServices(withDatabase(), { database: POSTGRES_NO_CREATEDB }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrillError);
    expect((error as DrillError).message).toMatch(/may not create databases/);
    expect((error as DrillError).hint).toMatch(/ALTER ROLE "\w+" CREATEDB/);
  });

  it("refuses a broker URL that is not amqp://, in one line", async () => {
    await expect(prepareServices(withBroker(), { amqp: "http://127.0.0.1:5672/" })).rejects.toMatchObject({
      code: "usage",
      exitCode: 2,
      message: expect.stringContaining("amqp://"),
    });
  });

  it("says plainly when RabbitMQ's management API cannot be reached, and how to enable it", async () => {
    const error = await prepareServices(withBroker(), {
      amqp: "amqp://me:s3cret@127.0.0.2:5672/",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrillError);
    expect((error as DrillError).code).toBe("service-unavailable");
    expect((error as DrillError).exitCode).toBe(2);
    expect((error as DrillError).message).toMatch(/cannot reach RabbitMQ's management API at http:\/\/127\.0\.0\.2:15672/);
    expect((error as DrillError).message).not.toContain("s3cret");
    expect((error as DrillError).hint).toContain("rabbitmq-plugins enable rabbitmq_management");
    // DRILL_AMQP_MANAGEMENT_URL says where the API is when it is not on port 15672.
    const elsewhere = await prepareServices(
      withBroker(),
      serviceSources({ DRILL_AMQP_URL: "amqp://me:s3cret@127.0.0.1:5672/", DRILL_AMQP_MANAGEMENT_URL: "http://127.0.0.1:9" }),
    ).catch((e: unknown) => e);
    expect((elsewhere as DrillError).message).toMatch(/management API at http:\/\/127\.0\.0\.1:9\b/);
  });

  it.skipIf(!AMQP)("makes a RabbitMQ virtual host per check, for the URL's user, and deletes it afterwards", async () => {
    const services = await prepareServices(withBroker(), serviceSources({ DRILL_AMQP_URL: AMQP }));
    const url = new URL(services.env.AMQP_URL ?? "");
    const name = decodeURIComponent(url.pathname.slice(1));
    expect(name).toMatch(/^drill_01_[0-9a-f]{10}$/);
    expect(url.hostname).toBe(new URL(AMQP as string).hostname);
    expect(services.lines).toEqual([
      expect.objectContaining({ name: "AMQP_URL", kind: "real", description: expect.stringContaining(name) }),
    ]);
    expect(services.lines[0]?.description).toContain(":***@");
    expect(await vhosts(name)).toEqual([name]);
    const permissions = (await (await management("GET", `vhosts/${encodeURIComponent(name)}/permissions`)).json()) as Array<{
      user: string;
    }>;
    expect(permissions.map((p) => p.user)).toContain(decodeURIComponent(new URL(AMQP as string).username));
    await services.release();
    expect(await vhosts(name)).toEqual([]);
  });

  it.skipIf(!AMQP)("leaves no virtual host behind when a check fails or drill is interrupted", async () => {
    // A failure while preparing the next service: the virtual host made first is deleted.
    const practice = { ...resolvePractice("01"), services: ["AMQP_URL", "DATABASE_URL"] };
    const before = await vhosts("drill_01_");
    await expect(prepareServices(practice, { amqp: AMQP, database: "mysql://root@127.0.0.1/x" })).rejects.toMatchObject({ code: "usage" });
    expect(await vhosts("drill_01_")).toEqual(before);
    // Ctrl-C: every owned process stopped, then every registered cleanup.
    const services = await prepareServices(withBroker(), { amqp: AMQP });
    const name = decodeURIComponent(new URL(services.env.AMQP_URL ?? "").pathname.slice(1));
    expect(await vhosts(name)).toEqual([name]);
    await stopAll();
    expect(await vhosts(name)).toEqual([]);
    await services.release();
  });

  it.skipIf(!AMQP)("names a broker user who is not an administrator and the fix in one line", async () => {
    const user = `drill_plain_${Date.now().toString(36)}`;
    expect((await management("PUT", `users/${user}`, { password: "plain", tags: "management" })).ok).toBe(true);
    try {
      const url = new URL(AMQP as string);
      url.username = user;
      url.password = "plain";
      const error = await prepareServices(withBroker(), { amqp: url.href }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DrillError);
      expect((error as DrillError).message).toBe(
        `the RabbitMQ user ${user} is not an administrator, so drill cannot make a virtual host for the check`,
      );
      expect((error as DrillError).hint).toContain(`rabbitmqctl set_user_tags ${user} administrator`);
    } finally {
      await management("DELETE", `users/${user}`);
    }
  });

  it("never shows a password", () => {
    expect(redact("postgresql://drill:hunter2@127.0.0.1:5432/postgres")).toBe("postgresql://drill:***@127.0.0.1:5432/postgres");
    expect(redact("amqp://guest@127.0.0.1/")).toBe("amqp://guest@127.0.0.1/");
  });
});
