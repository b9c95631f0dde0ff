// drill check --compose where a Docker engine answers. CI has none, so a stand-in `docker` on
// PATH plays compose's part: `up` starts the workspace's app with uvicorn on the published port
// (it returns before the app listens, as a real `up` may), `port` says where it is published,
// `down` stops it, and every call is logged. What is tested is drill's side: the project name,
// the app found and reached, the check recorded like --url, and the stack always taken down.
import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fse from "fs-extra";
import { describe, expect, it } from "vitest";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { freePort } from "../src/core/check/ports.js";
import { loadHistory } from "../src/core/record/history.js";
import { expectCleanFailure, isAlive, runCli, startWorkspace, TEST_VENV, tempDir } from "./helpers.js";

const FAKE_DOCKER = `#!/bin/bash
state="$FAKE_DOCKER_STATE"
echo "$*" >> "$state/calls"
if [ "$1" = info ]; then echo 27.3.1; exit 0; fi
[ "$1" = compose ] || exit 1
project=$3; file=$5; cmd=$6
case "$cmd" in
  up)
    if [ -n "$FAKE_DOCKER_FAIL_UP" ]; then echo 'failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1'; exit 1; fi
    cd "$(dirname "$file")" || exit 1
    DATABASE_URL="sqlite+aiosqlite:///$state/app.db" setsid "$FAKE_PYTHON" -m uvicorn app.main:app --host 127.0.0.1 --port "$FAKE_DOCKER_PORT" > "$state/app.log" 2>&1 < /dev/null &
    echo $! > "$state/pid"
    echo " Container $project-app-1  Started" ;;
  port) echo "0.0.0.0:$FAKE_DOCKER_PORT" ;;
  down) [ -f "$state/pid" ] && kill "$(cat "$state/pid")" 2>/dev/null; echo " Container $project-app-1  Removed" ;;
  logs) cat "$state/app.log" ;;
esac
`;

/** A bin folder with the stand-in docker, and the environment that points drill at it. */
async function fakeDocker(extra: Record<string, string> = {}): Promise<{ env: Record<string, string>; state: string }> {
  const bin = tempDir();
  const state = tempDir();
  writeFileSync(join(bin, "docker"), FAKE_DOCKER);
  chmodSync(join(bin, "docker"), 0o755);
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_DOCKER_STATE: state,
    FAKE_DOCKER_PORT: String(await freePort()),
    FAKE_PYTHON: join(TEST_VENV, "bin", "python"),
    ...extra,
  };
  return { env, state };
}

const calls = (state: string) =>
  readFileSync(join(state, "calls"), "utf8")
    .trim()
    .split("\n")
    .map((line) => line.replace(/ -f \S+/, " -f FILE"));

describe("drill check --compose with a Docker engine (a stand-in docker)", () => {
  it("builds and starts the stack under a project of drill's, checks its app where it is published, records it, and takes it down", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "00");
    fse.copySync(resolvePractice("00").referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    const { env, state } = await fakeDocker();
    const result = await runCli(["check", "--compose", "--dir", dir], { home, env, timeout: 300_000 });
    const project = `drill-ws-${/drill-ws-(\d+)/.exec(result.stdout)?.[1]}`;
    expect(calls(state)).toEqual([
      "info --format {{.ServerVersion}}",
      `compose -p ${project} -f FILE up -d --build --wait`,
      `compose -p ${project} -f FILE port app 8000`,
      `compose -p ${project} -f FILE down -v --remove-orphans`,
    ]);
    expect(result.stdout).toContain(`waiting for http://127.0.0.1:${env.FAKE_DOCKER_PORT}/health`);
    // Every HTTP requirement and the Docker review pass against the stack's app.
    for (const id of ["R00.1", "R00.2", "R00.3", "R00.4", "R00.8", "R00.11", "R00.15"])
      expect(result.stdout).toMatch(new RegExp(`✔ ${id.replace(".", "\\.")}\\b`));
    expect(result.stdout).toContain("your stack is down again");
    // down stopped the app (the stand-in's SIGTERM; uvicorn takes a moment to exit).
    const pid = Number(readFileSync(join(state, "pid"), "utf8"));
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(pid)).toBe(false);
    const [session] = loadHistory(home).sessions;
    const recorded = session?.events.filter((e) => e.type === "check") ?? [];
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ mode: "url" });
  });

  it("a stack that does not build: compose's own words, exit 2, and the stack still taken down", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "00");
    fse.copySync(resolvePractice("00").referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
    const { env, state } = await fakeDocker({ FAKE_DOCKER_FAIL_UP: "1" });
    const result = await runCli(["check", "--compose", "--dir", dir], { home, env });
    expectCleanFailure(result, /docker compose could not build or start your stack/);
    expect(result.stderr).toContain("did not complete successfully: exit code: 1");
    expect(calls(state).at(-1)).toMatch(/down -v --remove-orphans$/);
    expect(existsSync(join(state, "pid"))).toBe(false);
  });

  it("refuses --url, --port and --only beside --compose in one line", async () => {
    const home = tempDir();
    expectCleanFailure(
      await runCli(["check", "--compose", "--url", "http://127.0.0.1:8000"], { home }),
      /--compose starts your stack itself, so it takes no --url/,
    );
    expectCleanFailure(await runCli(["check", "--compose", "--only", "R00.1"], { home }), /so it takes no --only/);
  });
});
