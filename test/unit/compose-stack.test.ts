// Which service of a compose file is the learner's app, and the container port it publishes, in
// each syntax compose accepts: what `drill check --compose` asks docker compose to map.
import { describe, expect, it } from "vitest";
import { appService } from "../../src/core/docker/compose-stack.js";
import { DrillError } from "../../src/system/errors.js";

const file = (app: string) => `services:\n  db:\n    image: postgres:17\n    ports: ["5432:5432"]\n${app}`;

describe("appService", () => {
  it("finds the service built from the folder and its container port, in the short and long syntax", () => {
    expect(appService(file('  api:\n    build: .\n    ports:\n      - "8080:8000"\n'), "compose.yaml")).toEqual({
      service: "api",
      port: 8000,
    });
    expect(appService(file('  api:\n    build: .\n    ports: ["127.0.0.1:8080:9000/tcp"]\n'), "compose.yaml")).toEqual({
      service: "api",
      port: 9000,
    });
    expect(appService(file("  api:\n    build: .\n    ports: [8000]\n"), "compose.yaml")).toEqual({ service: "api", port: 8000 });
    expect(
      appService(file("  api:\n    build:\n      context: .\n    ports:\n      - target: 7000\n        published: 80\n"), "compose.yaml"),
    ).toEqual({
      service: "api",
      port: 7000,
    });
  });

  it("refuses, in words, a file with no built service and an app that publishes nothing", () => {
    expect(() => appService(file(""), "compose.yaml")).toThrow(/no service built from this folder/);
    expect(() => appService(file("  api:\n    build: .\n"), "compose.yaml")).toThrow(DrillError);
    expect(() => appService(file("  api:\n    build: .\n"), "compose.yaml")).toThrow(/"api" in compose\.yaml publishes no port/);
  });
});
