import { basename, dirname, join, sep } from "node:path";
import { appendEvent, isWaitingForSetup, resolveSession } from "../core/record/sessions.js";
import { setupWorkspace, type SetupProgress } from "../core/workspace/setup.js";
import { prepareEnv } from "../core/workspace/env-cache.js";
import { highlight, logger } from "../ui/logger.js";
import { newSpinner } from "../ui/spinner.js";
import { practiceLabel, type Practice } from "../core/catalog/practices.js";

/**
 * What preparing an environment says on screen: a spinner while it builds, and `ready`, the one
 * line that says it is there (`what` names it: "Python ready: .venv → …").
 */
function envProgressOnScreen(what: (dir: string) => string): { progress: SetupProgress; ready: (dir: string) => void } {
  const spinner = newSpinner();
  // One line at any width: a spinner line that wraps is redrawn as two (a 0-column terminal counts as 80).
  const toWidth = (text: string) => {
    const width = Math.max(20, (process.stdout.columns || 80) - 3);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  let built = false;
  const ready = (dir: string) => {
    if (built) spinner.succeed(`${what(dir)} (built and cached)`);
    else logger.success(`${what(dir)} (cached)`);
  };
  const progress: SetupProgress = {
    onBroken: (problem) => logger.warn(`the cached Python environment is damaged (${problem}); rebuilding it`),
    onCreating: (python) => {
      built = true;
      spinner.start(toWidth(`building the Python environment with ${python} (first time only; later starts reuse it)`));
    },
    onInstalling: () => {
      if (spinner.isSpinning) spinner.text = "installing the pinned requirements";
      else spinner.start("installing the pinned requirements");
    },
    onInstallLine: (line) => {
      spinner.text = toWidth(`installing the pinned requirements: ${line}`);
    },
    onStepFailed: (summary) => spinner.fail(summary),
    onOwnVenv: () => logger.info(highlight.dim("using the workspace's own .venv folder")),
    onInstalled: () => spinner.succeed("requirements installed into .venv"),
    onLinked: ready,
  };
  return { progress, ready };
}

/** The environment's folder as shown: its key is 64 hex digits, the first 12 name it well enough (`ls -l .venv` shows all). */
function shortEnv(dir: string): string {
  return highlight.path(`${dirname(dir)}${sep}${basename(dir).slice(0, 12)}…`);
}

/**
 * Readies the workspace's Python with progress on screen: `.venv` linked to the cached
 * environment (built the first time, with pip's progress; reused after), or the workspace's own
 * `.venv` folder repaired. Shared by start, break, reset and setup.
 */
export async function readyPython(workspace: string, options: { thorough?: boolean } = {}): Promise<void> {
  await setupWorkspace(workspace, envProgressOnScreen((dir) => `Python ready: .venv → ${shortEnv(dir)}`).progress, options);
}

/**
 * Builds (or finds) the cached environments of several practices before a clock starts (the
 * fire drill lays each workspace out later, when the one before it passes, and only links it).
 */
export async function readyPracticeEnvs(practices: Practice[]): Promise<void> {
  for (const practice of practices) {
    const { progress, ready } = envProgressOnScreen((dir) => `Python for ${practiceLabel(practice)} ready: ${shortEnv(dir)}`);
    ready((await prepareEnv(join(practice.scaffoldDir, "requirements.txt"), progress)).dir);
  }
}

export async function runSetupCommand(options: { dir?: string }): Promise<void> {
  const active = resolveSession(options.dir, process.cwd(), { restartClock: true });
  logger.info(`${highlight.practice(practiceLabel(active.practice))} · setting up ${highlight.path(active.workspace)}`);
  await readyPython(active.workspace, { thorough: true });
  if (isWaitingForSetup(active.session)) {
    // `drill start` could not finish this workspace, so its clock never ran: it starts now.
    try {
      appendEvent(active.session.id, { type: "resume", at: new Date().toISOString() });
      logger.info(`the clock starts now; ${highlight.command(`drill resume --dir ${active.workspace}`)} shows the countdown`);
    } catch (error) {
      logger.warn(`Python is ready, but the clock could not be started: ${(error as Error).message}`);
    }
  }
  logger.info(`next: build the server, then ${highlight.command("drill check")}`);
}
