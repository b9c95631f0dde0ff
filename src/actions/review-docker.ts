// `drill review docker [--dir] [--json]`: the static review of a folder's Dockerfile and compose
// file (src/core/docker), the same review practice 00's check grades as R00.6 to R00.17.
// `drill check --compose` lives here too: it needs a Docker engine, and says so plainly without one.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DOCKERFILE, type DockerReview, findComposeFile, reviewDocker } from "../core/docker/review.js";
import { DrillError } from "../system/errors.js";
import { formatDockerReview } from "../ui/docker-review.js";
import { highlight, logger, printJson } from "../ui/logger.js";
import { upComposeStack } from "../core/docker/compose-stack.js";
import { envsDir } from "../core/workspace/env-cache.js";
import { prepareHistoryForWriting } from "../core/record/history.js";
import { resolveSession } from "../core/record/sessions.js";
import { checkSession } from "./check.js";

export interface ReviewDockerOptions {
  dir?: string;
  json?: boolean;
}

/** The review of `dir` (default: the current directory); refuses a folder with nothing to review. */
export async function collectDockerReview(dir = process.cwd()): Promise<DockerReview> {
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new DrillError("dir-unusable", `${folder} is not a folder`, { hint: "Point --dir at the folder that holds your Dockerfile." });
  }
  if (!existsSync(join(folder, DOCKERFILE)) && !findComposeFile(folder)) {
    throw new DrillError("usage", `${folder} holds no Dockerfile and no compose file to review`, {
      hint: "Run it in your workspace, or point --dir at the folder with the Dockerfile and docker-compose.yml.",
    });
  }
  return reviewDocker(folder, cachedHadolintBins());
}

/** The bin folders of drill's cached environments that hold hadolint (practice 00's). */
function cachedHadolintBins(): string[] {
  const root = envsDir();
  try {
    return readdirSync(root)
      .filter((key) => !key.startsWith("."))
      .map((key) => join(root, key, process.platform === "win32" ? "Scripts" : "bin"))
      .filter((bin) => existsSync(join(bin, process.platform === "win32" ? "hadolint.exe" : "hadolint")));
  } catch {
    return [];
  }
}

/** Exit 0 when every rule holds, 1 when a note is left (or a rule could not run), 2 on bad input. */
export async function runReviewDockerCommand(options: ReviewDockerOptions): Promise<void> {
  const review = await collectDockerReview(options.dir);
  if (options.json) printJson(review);
  else logger.info(formatDockerReview(review));
  process.exitCode = review.rules.every((rule) => rule.verdict === "passed") ? 0 : 1;
}

/** Whether a Docker engine answers: the client alone (as on this kind of machine) is not enough. */
export function dockerEngineAnswers(): Promise<boolean> {
  return new Promise((done) => {
    execFile("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 10_000 }, (error, stdout) => {
      done(!error && stdout.trim() !== "");
    });
  });
}

/**
 * `drill check --compose`: the workspace's stack built and started by docker compose, the check
 * run against its app (recorded like `--url`), and the stack taken down whatever happens.
 */
export async function runCheckComposeCommand(
  options: { dir?: string; json?: boolean } = {},
  engineAnswers: () => Promise<boolean> = dockerEngineAnswers,
): Promise<void> {
  if (!(await engineAnswers())) {
    // One line that fits 80 columns: what is missing, and what still works without it.
    throw new DrillError("service-unavailable", "no Docker engine here; the static review still counts: drill review docker");
  }
  prepareHistoryForWriting();
  const active = resolveSession(options.dir);
  const stack = await upComposeStack(active.workspace, {
    onBuilding: (project) => logger.info(highlight.dim(`docker compose: building and starting your stack (project ${project})`)),
    onWaiting: (baseUrl) => logger.info(highlight.dim(`docker compose: up; waiting for ${baseUrl}/health`)),
  });
  try {
    const { outcome } = await checkSession(active, { url: stack.baseUrl, ...(options.json ? { json: true } : {}) });
    process.exitCode = outcome.failed === 0 && outcome.skipped === 0 && !outcome.run.timedOut ? 0 : 1;
  } finally {
    await stack.down();
    logger.info(highlight.dim("docker compose: your stack is down again (containers, network and volumes removed)"));
  }
}
