import { resolveSession } from "../core/record/sessions.js";
import { setupWorkspace } from "../core/workspace/setup.js";
import { highlight, logger } from "../ui/logger.js";
import { newSpinner } from "../ui/spinner.js";
import { practiceLabel } from "../core/catalog/practices.js";

export async function runSetupCommand(options: { dir?: string }): Promise<void> {
  const active = resolveSession(options.dir);
  logger.info(`${highlight.practice(practiceLabel(active.practice))} · setting up ${highlight.path(active.workspace)}`);
  const spinner = newSpinner();
  await setupWorkspace(active.workspace, {
    onVenvCreating: (python) => spinner.start(`creating .venv with ${python}`),
    onVenvReady: (created) => (created ? spinner.succeed("created .venv") : logger.info(highlight.dim("using the existing .venv"))),
    onInstalling: () => spinner.start("installing the pinned requirements"),
    onInstallLine: (line) => {
      spinner.text = `installing: ${line.slice(0, 90)}`;
    },
    onInstalled: () => spinner.succeed("requirements installed into .venv"),
    onStepFailed: (summary) => spinner.fail(summary),
  });
  logger.info(`next: build the server, then ${highlight.command("drill check")}`);
}
