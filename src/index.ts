// The drill CLI entry: wires the commands, and is the one place that turns errors into
// messages and exit codes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "@commander-js/extra-typings";
import chalk from "chalk";
import { breakCommand } from "./commands/break.js";
import { check } from "./commands/check.js";
import { fireDrill } from "./commands/fire-drill.js";
import { list } from "./commands/list.js";
import { plan } from "./commands/plan.js";
import { reset } from "./commands/reset.js";
import { resume } from "./commands/resume.js";
import { setup } from "./commands/setup.js";
import { start } from "./commands/start.js";
import { stats } from "./commands/stats.js";
import { status } from "./commands/status.js";
import { study } from "./commands/study.js";
import { DrillError } from "./system/errors.js";
import { logger, setSilent } from "./ui/logger.js";
import { indent } from "./ui/text.js";
import { setNoticeSink } from "./system/notices.js";
import { PACKAGE_ROOT } from "./system/paths.js";
import { installSignalHandlers } from "./core/check/processes.js";

/** Commands that touch a workspace, and so first stop any server left behind in it. */
const WORKSPACE_COMMANDS = new Set(["check", "status", "start", "resume", "reset"]);

const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };

function render(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help / version).
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof DrillError) {
    if (error.code === "cancelled" || error.code === "interrupted") {
      console.error(chalk.dim(error.message));
      return error.exitCode;
    }
    console.error(chalk.red(`✘ ${error.message}`));
    if (error.details) console.error(indent(error.details));
    if (error.hint) console.error(chalk.dim(`  ${error.hint}`));
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  console.error(chalk.red(`✘ drill hit an unexpected problem: ${message}`));
  if (process.env.DRILL_DEBUG && error instanceof Error) console.error(error.stack);
  else console.error(chalk.dim("  Run again with DRILL_DEBUG=1 for the details, and please report it."));
  return 70;
}

async function main(argv: string[]): Promise<number> {
  // Core hands its warnings over; they are printed here, on stderr.
  setNoticeSink((message) => logger.warn(message));
  installSignalHandlers((signal) => {
    console.error(chalk.dim(`\n${signal === "SIGINT" ? "interrupted" : `stopped by ${signal}`}: every server drill started is stopped`));
    process.exit(130);
  });
  const program = new Command("drill")
    .description("Timed, graded rebuild drills for FastAPI ML-backend interviews")
    .version(version, "-v, --version")
    .showHelpAfterError("(run `drill --help` for the commands)")
    .addCommand(list)
    .addCommand(start)
    .addCommand(setup)
    .addCommand(check)
    .addCommand(status)
    .addCommand(resume)
    .addCommand(reset)
    .addCommand(study)
    .addCommand(breakCommand)
    .addCommand(fireDrill)
    .addCommand(stats)
    .addCommand(plan);
  program.exitOverride();
  for (const command of program.commands) {
    command.exitOverride();
    command.showHelpAfterError(`(run \`drill ${command.name()} --help\` for its options)`);
  }
  program.hook("preAction", async (_program, action) => {
    if ((action.opts() as { json?: boolean }).json) setSilent(true);
    // A server left running by a drill that was killed is stopped by the next command that
    // touches its workspace (check also does this for the workspace it resolves).
    if (WORKSPACE_COMMANDS.has(action.name())) {
      const { reapLeftoversAround } = await import("./core/check/leftovers.js");
      for (const note of await reapLeftoversAround((action.opts() as { dir?: string }).dir ?? process.cwd())) logger.warn(note);
    }
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    return render(error);
  }
}

process.exit(await main(process.argv));
