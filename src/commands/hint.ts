import { Command } from "@commander-js/extra-typings";

export const hint = new Command("hint")
  .description("print the hint for a requirement (default: the first one failing in your last check) and record it")
  .argument("[requirement]", "a requirement id such as R03.8")
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .option("--json", "print the hint as JSON")
  .addHelpText(
    "after",
    `
Examples:
  drill hint          # the hint for the first requirement your last check failed
  drill hint R03.8    # the hint for R03.8

A hint taken counts in drill stats, once per hint, as the countdown's h does.`,
  )
  .action(async (requirement, options) => (await import("../actions/hint.js")).runHintCommand(requirement, options));
