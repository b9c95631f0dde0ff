import { basename, dirname, sep } from "node:path";
import { appendEvent, isWaitingForSetup, resolveSession } from "../core/record/sessions.js";
import { setupWorkspace } from "../core/workspace/setup.js";
import { highlight, logger } from "../ui/logger.js";
import { newSpinner } from "../ui/spinner.js";
import { practiceLabel } from "../core/catalog/practices.js";

/**
 * Readies the workspace's Python with progress on screen: `.venv` linked to the cached
 * environment (built the first time, with pip's progress; reused after), or the workspace's own
 * `.venv` folder repaired. Shared by start, reset and setup.
 */
export async function readyPython(workspace: string, options: { thorough?: boolean } = {}): Promise<void> {
  const spinner = newSpinner();
  // One line at any width: a spinner line that wraps is redrawn as two (a 0-column terminal counts as 80).
  const toWidth = (text: string) => {
    const width = Math.max(20, (process.stdout.columns || 80) - 3);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  let built = false;
  await setupWorkspace(
    workspace,
    {
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
      onLinked: (dir) => {
        // The key is 64 hex digits: its first 12 name it well enough on screen (`ls -l .venv` shows all).
        const line = `Python ready: .venv → ${highlight.path(`${dirname(dir)}${sep}${basename(dir).slice(0, 12)}…`)}`;
        if (built) spinner.succeed(`${line} (built and cached)`);
        else logger.success(`${line} (cached)`);
      },
    },
    options,
  );
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
