// The Docker review's pure parts: the Dockerfile parser, drill's teaching rules and the compose
// rules (the Compose Specification's schema included). hadolint and the folder are in
// test/docker-review.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMPOSE_RULES, parseCompose } from "../../src/core/docker/compose-rules.js";
import { parseDockerfile } from "../../src/core/docker/dockerfile.js";
import { TEACHING_RULES } from "../../src/core/docker/dockerfile-rules.js";
import { resolvePractice } from "../../src/core/catalog/practices.js";

const reference = resolvePractice("00").referenceDir;
const DOCKERFILE = readFileSync(join(reference, "Dockerfile"), "utf8");
const COMPOSE = readFileSync(join(reference, "docker-compose.yml"), "utf8");

function dockerNotes(text: string): Record<string, Array<{ line?: number; message: string }>> {
  const instructions = parseDockerfile(text);
  return Object.fromEntries(TEACHING_RULES.map((rule) => [rule.id, rule.check(instructions)]));
}

function composeNotes(text: string): Record<string, Array<{ line?: number; message: string }>> {
  const compose = parseCompose(text);
  return Object.fromEntries(COMPOSE_RULES.map((rule) => [rule.id, rule.check(compose)]));
}

const failing = (notes: Record<string, unknown[]>) => Object.keys(notes).filter((id) => (notes[id]?.length ?? 0) > 0);

describe("parseDockerfile", () => {
  it("joins continuations, drops comments, and keeps the line each instruction starts on", () => {
    const text =
      '# syntax=docker/dockerfile:1\nFROM python:3.12-slim\n\nRUN apt-get update \\\n  # a comment inside\n  && apt-get install -y curl\ncmd ["a"]\n';
    expect(parseDockerfile(text)).toEqual([
      { keyword: "FROM", args: "python:3.12-slim", line: 2 },
      { keyword: "RUN", args: "apt-get update && apt-get install -y curl", line: 4 },
      { keyword: "CMD", args: '["a"]', line: 7 },
    ]);
  });

  it("honours the escape directive", () => {
    expect(parseDockerfile("# escape=`\nFROM python:3.12-slim\nRUN echo a `\n  b\n")[1]).toEqual({
      keyword: "RUN",
      args: "echo a b",
      line: 3,
    });
  });
});

describe("the Dockerfile's teaching rules", () => {
  it("find nothing in the reference's Dockerfile", () => {
    expect(failing(dockerNotes(DOCKERFILE))).toEqual([]);
  });

  it("name the lines of code copied before the requirements and of a server bound to 127.0.0.1", () => {
    const text = [
      "FROM python:3.12-slim",
      "WORKDIR /app",
      "COPY . .",
      "RUN pip install --no-cache-dir -r requirements.txt",
      "USER nobody",
      "EXPOSE 8000",
      'CMD ["uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", "8000"]',
    ].join("\n");
    const notes = dockerNotes(text);
    expect(failing(notes)).toEqual(["requirements-first", "bind-all-interfaces"]);
    expect(notes["requirements-first"]).toEqual([
      { line: 3, message: expect.stringMatching(/^line 3 copies the code before the requirements are installed \(line 4\)/) },
    ]);
    expect(notes["bind-all-interfaces"]).toEqual([{ line: 7, message: expect.stringMatching(/^line 7 binds the server to 127\.0\.0\.1/) }]);
  });

  it.each([
    ["slim-base", "FROM python:3.12-slim", "FROM python:3.12"],
    ["no-pip-cache", "RUN pip install --no-cache-dir -r requirements.txt", "RUN pip install -r requirements.txt"],
    ["non-root-user", "USER appuser", "USER root"],
    [
      "exec-form-cmd",
      'CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]',
      "CMD uvicorn app.main:app --host 0.0.0.0 --port 8000",
    ],
    ["bind-all-interfaces", "EXPOSE 8000", "EXPOSE 9000"],
  ])("%s fails on its mistake, at the line", (id, find, replace) => {
    const broken = DOCKERFILE.replace(find, replace);
    expect(broken).not.toBe(DOCKERFILE);
    const notes = dockerNotes(broken);
    expect(failing(notes)).toEqual([id]);
    const line = broken.split("\n").findIndex((l) => l.startsWith(replace.split(" ")[0] === "EXPOSE" ? "CMD" : replace)) + 1;
    expect(notes[id]?.[0]?.line).toBe(line);
  });

  it("reads the last stage of a multi-stage build and a continued CMD", () => {
    const text =
      'FROM python:3.12 AS build\nRUN pip wheel x\nFROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY app ./app\nUSER 1000\nEXPOSE 80\nCMD ["uvicorn", "app.main:app", \\\n  "--host=0.0.0.0", "--port=80"]\n';
    expect(failing(dockerNotes(text))).toEqual([]);
  });
});

describe("the compose rules", () => {
  it("find nothing in the reference's compose file", () => {
    expect(failing(composeNotes(COMPOSE))).toEqual([]);
  });

  it("report a schema violation at its line", () => {
    const notes = composeNotes(COMPOSE.replace("condition: service_healthy", "condition: healthy"));
    const line = COMPOSE.split("\n").findIndex((l) => l.includes("condition:")) + 1;
    expect(notes["compose-schema"]?.[0]).toMatchObject({ line });
    expect(failing(notes)).toEqual(["compose-schema", "waits-for-healthy-db"]);
  });

  it("report YAML that does not parse", () => {
    const notes = composeNotes("services:\n  app: [\n");
    expect(notes["compose-schema"]?.[0]?.message).toMatch(/YAML does not parse/);
  });

  it.each([
    ["waits-for-healthy-db", "    depends_on:\n      db:\n        condition: service_healthy\n", "    depends_on:\n      - db\n"],
    ["database-url", "@db:5432", "@localhost:5432"],
    ["named-volume", "- pgdata:/var", "- ./pgdata:/var"],
    ["two-services", "  db:\n    image: postgres:17\n", "  db:\n    image: mysql:8\n"],
  ])("%s fails on its mistake", (id, find, replace) => {
    const broken = COMPOSE.replace(find, replace);
    expect(broken).not.toBe(COMPOSE);
    expect(failing(composeNotes(broken))).toContain(id);
  });

  it("reads DATABASE_URL from the list form of environment", () => {
    const listed = COMPOSE.replace(
      "      DATABASE_URL: postgresql+asyncpg://app:app@db:5432/app",
      "      - DATABASE_URL=postgresql+asyncpg://app:app@db:5432/app",
    );
    expect(listed).not.toBe(COMPOSE);
    expect(failing(composeNotes(listed))).toEqual([]);
  });
});
