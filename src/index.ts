// The drill CLI entry: wires the commands, and is the one place that turns errors into
// messages and exit codes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError } from "@commander-js/extra-typings";
import { breakCommand } from "./commands/break.js";
import { check } from "./commands/check.js";
import { completion } from "./commands/completion.js";
import { debug } from "./commands/debug.js";
import { diff } from "./commands/diff.js";
import { FLOW, helpFooter } from "./commands/help-text.js";
import { hint } from "./commands/hint.js";
import { serve } from "./commands/serve.js";
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
import { indent } from "./ui/text.js";
import { PACKAGE_ROOT } from "./system/paths.js";

/** Commands that touch a workspace, and so first stop any server left behind in it. */
const WORKSPACE_COMMANDS = new Set(["check", "status", "start", "resume", "reset"]);

const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string };

async function render(error: unknown): Promise<number> {
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help / version).
    return error.exitCode === 0 ? 0 : 2;
  }
  // Loaded only when there is something to colour (see the preAction hook).
  const { default: chalk } = await import("chalk");
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
  const program = new Command("drill")
    .description("Timed, graded rebuild drills for FastAPI ML-backend interviews")
    .version(version, "-v, --version")
    .showHelpAfterError("(run `drill --help` for the commands)")
    .addCommand(list)
    .addCommand(start)
    .addCommand(setup)
    .addCommand(check)
    .addCommand(hint)
    .addCommand(serve)
    .addCommand(diff)
    .addCommand(status)
    .addCommand(resume)
    .addCommand(reset)
    .addCommand(study)
    .addCommand(breakCommand)
    .addCommand(debug)
    .addCommand(fireDrill)
    .addCommand(stats)
    .addCommand(plan)
    .addCommand(completion)
    .addHelpText("after", `\nExamples:\n  drill list\n  drill start 01 --timer 60\n  drill check --only R01.3\n\n${FLOW}`);
  program.exitOverride();
  for (const command of program.commands) {
    command.addHelpText("after", helpFooter(command.name()));
    command.exitOverride();
    command.showHelpAfterError(`(run \`drill ${command.name()} --help\` for its options)`);
  }
  program.hook("preAction", async (_program, action) => {
    // Loaded here, not at the top: `drill --version`, `--help` and a mistyped option need none
    // of it (chalk, child_process), and every command is started dozens of times a day. No
    // child process exists before an action runs, so the signal handlers are in place in time.
    const [{ logger, setSilent }, { setNoticeSink }, { installSignalHandlers }, { default: chalk }] = await Promise.all([
      import("./ui/logger.js"),
      import("./system/notices.js"),
      import("./core/check/processes.js"),
      import("chalk"),
    ]);
    // Core hands its warnings over; they are printed here, on stderr.
    setNoticeSink((message) => logger.warn(message));
    installSignalHandlers((signal) => {
      console.error(chalk.dim(`\n${signal === "SIGINT" ? "interrupted" : `stopped by ${signal}`}: every server drill started is stopped`));
      process.exit(130);
    });
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
    return await render(error);
  }
}

process.exit(await main(process.argv));
