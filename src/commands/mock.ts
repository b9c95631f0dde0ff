import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const mock = new Command("mock")
  .description(
    "the interview day: one practice in the kit's 5.5-hour time boxes (read, boilerplate, core logic, testing, docs, buffer), checked at each boundary",
  )
  .argument("[practice]", "number or name (default: one at random)")
  .option("-d, --dir <path>", "where to create the workspace (default: ./drill-<practice>-mock)")
  .option("--no-watch", "do not re-check on save (press w in the countdown to start watching)")
  .action(async (id, options) => (await import("../actions/mock.js")).runMockCommand(id, options));
