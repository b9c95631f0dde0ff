// Debugging drill D3: async SQLAlchemy. Every test is named after the README requirement it checks.
import { describe, it } from "vitest";
import {
  TransportError,
  answered,
  check,
  expectField,
  expectJsonObject,
  expectStatus,
  http,
  isNonEmptyString,
  settle,
  type Exchange,
} from "./harness/index.js";

/** Names unique to this check, so a check run twice against one database (under --url) never meets its own names. */
const RUN = `${Date.now().toString(36)}`;
let serial = 0;
const uniqueName = (what: string) => `${what}-${RUN}-${++serial}`;

const isId = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
const MISSING_GREENLET_HINT =
  'a 500 here is usually sqlalchemy.exc.MissingGreenlet in the server\'s output: an attribute that needs the database (a lazy relationship, or anything expired by commit) was read outside an await. Load what the response needs in the query (selectinload, or lazy="selectin" on the relationship)';
const SESSION_HINT =
  "one AsyncSession must never serve two requests: create one per request in a dependency (`async with sessionmaker() as session: yield session`)";

async function createModel(name: string, hint = "POST /models creates a model and answers 201 with it"): Promise<number> {
  const exchange = await http.post("/models", { name });
  expectStatus(exchange, 201, hint);
  return expectField(exchange, "id", isId, "a positive integer (the new model's id)", hint) as number;
}

async function addVersion(modelId: number, version: string, accuracy: number): Promise<Exchange> {
  return http.post(`/models/${modelId}/versions`, { version, accuracy });
}

/** Checks a GET /models/{id} answer: the model and exactly `versions`, in the order they were created. */
function expectDetail(
  exchange: Exchange,
  id: number,
  name: string,
  versions: Array<{ version: string; accuracy: number }>,
  hint: string,
): void {
  expectStatus(exchange, 200, hint);
  expectField(exchange, "id", (v) => v === id, String(id), hint);
  expectField(exchange, "name", (v) => v === name, JSON.stringify(name), hint);
  const got = expectField(
    exchange,
    "versions",
    (v) => Array.isArray(v) && v.length === versions.length,
    `a list of ${versions.length} versions`,
    `${hint}: every version added to this model, and only those`,
  ) as Array<Record<string, unknown>>;
  versions.forEach((expected, index) => {
    const item = got[index] ?? {};
    check(item.version === expected.version && item.accuracy === expected.accuracy && item.model_id === id && isId(item.id), {
      expected: `versions[${index}] to be ${JSON.stringify({ model_id: id, ...expected })} with its id (versions in the order they were added)`,
      got: JSON.stringify(item),
      exchange,
      hint,
    });
  });
  const ids = got.map((item) => item.id as number);
  check(
    ids.every((value, index) => index === 0 || value > (ids[index - 1] as number)),
    { expected: "versions in the order they were added (ascending ids)", got: JSON.stringify(ids), exchange, hint },
  );
}

describe("D3 async SQLAlchemy", () => {
  it("RD3.1 POST /models creates a model", async () => {
    const name = uniqueName("churn");
    const created = await http.post("/models", { name });
    expectStatus(created, 201, "POST /models answers 201 with the new model");
    expectField(created, "id", isId, "a positive integer");
    expectField(created, "name", (v) => v === name, JSON.stringify(name));
    const second = await http.post("/models", { name: uniqueName("fraud") });
    expectStatus(second, 201, "a second model is created too");
    expectField(second, "id", (v) => isId(v) && v !== (created.json as { id: unknown }).id, "a new id, not the first model's");

    const duplicate = await http.post("/models", { name });
    expectStatus(
      duplicate,
      409,
      "a model name is unique: a second POST with the same name answers 409 (catch IntegrityError and roll back)",
    );
    expectField(duplicate, "detail", isNonEmptyString, "a non-empty string saying why");
    const after = await http.post("/models", { name: uniqueName("after-conflict") });
    expectStatus(after, 201, "after a 409 the next POST /models still works: the failed transaction was rolled back");

    for (const bad of [{}, { name: "" }, { name: "x".repeat(101) }, { name: 42 }]) {
      expectStatus(
        await http.post("/models", bad),
        422,
        `a bad body (${JSON.stringify(bad).slice(0, 40)}) is rejected by the request model`,
      );
    }
  });

  it("RD3.2 POST /models/{id}/versions adds a version", async () => {
    const modelId = await createModel(uniqueName("ranker"));
    const exchange = await addVersion(modelId, "1.0.0", 0.91);
    const hint = "POST /models/{id}/versions answers 201 with the new version";
    expectStatus(exchange, 201, hint);
    expectField(exchange, "id", isId, "a positive integer", hint);
    expectField(exchange, "model_id", (v) => v === modelId, String(modelId), hint);
    expectField(exchange, "version", (v) => v === "1.0.0", '"1.0.0"', hint);
    expectField(exchange, "accuracy", (v) => v === 0.91, "0.91", hint);

    const unknown = await addVersion(987_654_321, "1.0.0", 0.5);
    expectStatus(unknown, 404, "a version for a model id that does not exist answers 404");
    for (const bad of [{ accuracy: 0.5 }, { version: "", accuracy: 0.5 }, { version: "2.0.0", accuracy: 1.5 }, { version: "2.0.0" }]) {
      const rejected = await http.post(`/models/${modelId}/versions`, bad);
      expectStatus(rejected, 422, `a bad body (${JSON.stringify(bad)}) is rejected by the request model`);
    }
  });

  it("RD3.3 an unknown model id is a 404", async () => {
    for (const id of [987_654_321, 987_654_322]) {
      const exchange = await http.get(`/models/${id}`);
      expectStatus(exchange, 404, "GET /models/{id} for an id that was never created answers 404");
      expectField(exchange, "detail", isNonEmptyString, "a non-empty string saying why");
    }
  });

  it("RD3.4 GET /models/{id} answers the model with its versions", async () => {
    const name = uniqueName("scorer");
    const modelId = await createModel(name);
    const hint = `GET /models/{id} answers the model with every version added to it. ${MISSING_GREENLET_HINT}`;
    expectDetail(await http.get(`/models/${modelId}`), modelId, name, [], hint);
    const versions = [
      { version: "1.0.0", accuracy: 0.81 },
      { version: "1.1.0", accuracy: 0.84 },
      { version: "2.0.0", accuracy: 0.9 },
    ];
    for (const item of versions) expectStatus(await addVersion(modelId, item.version, item.accuracy), 201, "adding a version answers 201");
    expectDetail(await http.get(`/models/${modelId}`), modelId, name, versions, hint);
  });

  it("RD3.5 GET /models lists every model with its version count and latest version", async () => {
    const first = { name: uniqueName("listed"), versions: ["0.1.0", "0.2.0"] };
    const second = { name: uniqueName("listed"), versions: [] as string[] };
    const firstId = await createModel(first.name);
    for (const version of first.versions) expectStatus(await addVersion(firstId, version, 0.7), 201, "adding a version answers 201");
    const secondId = await createModel(second.name);
    const exchange = await http.get("/models");
    const hint = `GET /models answers a list of every model with version_count and latest_version. ${MISSING_GREENLET_HINT}`;
    expectStatus(exchange, 200, hint);
    const list = exchange.json;
    check(Array.isArray(list), { expected: "a JSON list of models", got: exchange.text.slice(0, 200), exchange, hint });
    const rows = list as Array<Record<string, unknown>>;
    const ids = rows.map((row) => row.id);
    check(
      ids.every((value, index) => index === 0 || (value as number) > (ids[index - 1] as number)),
      { expected: "the models in id order", got: JSON.stringify(ids), exchange, hint },
    );
    const rowOf = (id: number) => rows.find((row) => row.id === id);
    for (const [id, model] of [
      [firstId, first],
      [secondId, second],
    ] as const) {
      const row = rowOf(id);
      const expected = { id, name: model.name, version_count: model.versions.length, latest_version: model.versions.at(-1) ?? null };
      check(
        row !== undefined &&
          row.name === expected.name &&
          row.version_count === expected.version_count &&
          row.latest_version === expected.latest_version,
        {
          expected: `the model ${id} listed as ${JSON.stringify(expected)}`,
          got: JSON.stringify(row ?? "not in the list"),
          exchange,
          hint,
        },
      );
    }
  });

  it("RD3.6 requests at the same time each get their own session", async () => {
    const models: Array<{ id: number; name: string; versions: Array<{ version: string; accuracy: number }> }> = [];
    for (let n = 0; n < 4; n++) {
      const name = uniqueName("busy");
      models.push({ id: await createModel(name), name, versions: [] });
    }
    // Every request at once: 16 writes across the four models, reads of each model and of the list.
    const sent: Array<{ what: string; request: Promise<Exchange>; status: number }> = [];
    for (let round = 0; round < 4; round++) {
      for (const [index, model] of models.entries()) {
        const item = { version: `${round + 1}.0.${index}`, accuracy: 0.5 + round / 10 };
        model.versions.push(item);
        sent.push({ what: `POST /models/${model.id}/versions`, request: addVersion(model.id, item.version, item.accuracy), status: 201 });
        if (round % 2 === 0) sent.push({ what: `GET /models/${model.id}`, request: http.get(`/models/${model.id}`), status: 200 });
      }
      sent.push({ what: "GET /models", request: http.get("/models"), status: 200 });
    }
    const results = await settle(sent.map((item) => item.request));
    const wrong = results
      .map((result, index) => ({ result, item: sent[index] as (typeof sent)[number] }))
      .filter(({ result, item }) => result instanceof TransportError || result.status !== item.status);
    if (wrong.length > 0) {
      const { result, item } = wrong[0] as (typeof wrong)[number];
      const exchange = answered(result, item.what, SESSION_HINT);
      expectStatus(
        exchange,
        item.status,
        `${wrong.length} of ${sent.length} requests sent at the same moment did not answer as they do alone. ${SESSION_HINT}`,
      );
    }
    // What was written is there, read by fresh requests.
    for (const model of models) {
      const exchange = await http.get(`/models/${model.id}`);
      expectJsonObject(exchange, SESSION_HINT);
      const byVersion = (exchange.json as { versions?: Array<{ version: string }> }).versions ?? [];
      const stored = [...model.versions].sort(
        (a, b) => byVersion.findIndex((v) => v.version === a.version) - byVersion.findIndex((v) => v.version === b.version),
      );
      expectDetail(
        exchange,
        model.id,
        model.name,
        stored,
        `after the burst, each model shows exactly the 4 versions added to it. ${SESSION_HINT}`,
      );
    }
  });
});
