import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const setup = new Command("setup")
  .description(
    "repair the workspace's Python: link .venv to the cached environment of the practice's pinned requirements, rebuilding it when damaged (drill start does this already)",
  )
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .action(async (options) => (await import("../actions/setup.js")).runSetupCommand(options));
