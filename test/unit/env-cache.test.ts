import { describe, expect, it } from "vitest";
import { envKey, normalizeRequirements } from "../../src/core/workspace/env-cache.js";
import { envFailure } from "../../src/core/workspace/env-failures.js";
import { isWaitingForSetup } from "../../src/core/record/sessions.js";
import { archivePath } from "../../src/core/workspace/archive.js";
import type { Session } from "../../src/core/record/history.js";

const python = { implementation: "CPython", version: "3.11.7", machine: "x86_64", system: "Linux", executable: "/usr/bin/python3.11" };

describe("the environment cache's key", () => {
  it("ignores comments, blank lines, case, spacing and order", () => {
    const a = normalizeRequirements("fastapi==0.165.0\n# the server\nuvicorn == 0.54.0  # pinned\n\n");
    const b = normalizeRequirements("Uvicorn==0.54.0\r\nFastAPI==0.165.0\n");
    expect(a).toEqual(["fastapi==0.165.0", "uvicorn==0.54.0"]);
    expect(envKey(a, python)).toBe(envKey(b, python));
    expect(envKey(a, python)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("changes with a pin or with the Python", () => {
    const pins = normalizeRequirements("fastapi==0.165.0\n");
    expect(envKey(normalizeRequirements("fastapi==0.165.1\n"), python)).not.toBe(envKey(pins, python));
    expect(envKey(pins, { ...python, version: "3.11.8" })).not.toBe(envKey(pins, python));
    expect(envKey(pins, { ...python, executable: "/opt/python/bin/python3.11" })).not.toBe(envKey(pins, python));
  });
});

describe("attempts", () => {
  const start = {
    type: "start" as const,
    at: "2026-01-01T10:00:00.000Z",
    practice: "01",
    workspace: "/w",
    phase: 3 as const,
    timerMinutes: 60,
    mode: "drill" as const,
  };
  const base: Session = {
    id: "s",
    practice: "01",
    workspace: "/w",
    phase: 3,
    timerMinutes: 60,
    mode: "drill",
    startedAt: start.at,
    events: [start],
  };

  it("a start paused at its first instant is waiting for drill setup; a pause later is the learner's", () => {
    expect(isWaitingForSetup({ ...base, events: [start, { type: "pause", at: start.at }] })).toBe(true);
    expect(isWaitingForSetup({ ...base, events: [start, { type: "pause", at: "2026-01-01T10:05:00.000Z" }] })).toBe(false);
    expect(isWaitingForSetup({ ...base, events: [start, { type: "pause", at: start.at }, { type: "resume", at: start.at }] })).toBe(false);
    expect(isWaitingForSetup(base)).toBe(false);
  });

  it("an archived workspace sits beside the original, stamped in UTC", () => {
    expect(archivePath("/home/me/drill-01-async-inference", new Date("2026-12-04T18:53:01.500Z"))).toBe(
      "/home/me/drill-01-async-inference.archived-20261204-185301",
    );
  });
});

describe("why a build failed, in the learner's words", () => {
  const root = "/nonexistent/drill/envs"; // free space unknown: read from the output alone

  it("names a full disk, an unreachable index, and a Python without venv", () => {
    const full = envFailure(
      root,
      undefined,
      "ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device",
      "install",
    );
    expect([full.code, full.message]).toEqual(["setup-failed", "the disk is full, so drill could not install"]);
    const offline = envFailure(
      root,
      undefined,
      "ERROR: Could not find a version that satisfies the requirement fastapi==0.165.0 (from versions: none)",
      "install",
    );
    expect(offline.code).toBe("network");
    const noVenv = envFailure(
      root,
      undefined,
      "The virtual environment was not created successfully because ensurepip is not available.",
      "create",
    );
    expect(noVenv.hint).toBe("On Debian or Ubuntu: apt install python3-venv");
    const other = envFailure(root, undefined, "ERROR: something else", "install");
    expect([other.code, other.hint]).toEqual(["setup-failed", "`drill setup` tries again safely."]);
  });
});
