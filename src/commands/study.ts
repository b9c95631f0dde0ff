import { Command } from "@commander-js/extra-typings";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const study = new Command("study")
  .description("phase 1: read a practice's spec and the key blocks of its reference solution, with why each matters")
  .argument("<practice>", "number or name: 3, 03, 03-api-security or api-security")
  .option("--blocks-only", "leave out the spec: only the key blocks")
  .option("--json", "print the key blocks as JSON (not recorded as studying)")
  .action(async (id, options) => (await import("../actions/study.js")).runStudyCommand(id, options));
