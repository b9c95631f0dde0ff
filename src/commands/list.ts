import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const list = new Command("list")
  .description("the practices, what each trains, and your best time so far")
  .option("--json", "print the list as JSON")
  .action(async (options) => (await import("../actions/list.js")).runListCommand(options));
