// drill serve: the learner's server as a check starts it, on a port that stays put, its output
// streamed, until Ctrl-C. Nothing is recorded.
import { basename } from "node:path";
import { OutputTail } from "../core/check/processes.js";
import { servePort, startServe } from "../core/check/serve.js";
import { stopStrayListeners } from "../core/check/leftovers.js";
import { practiceLabel } from "../core/catalog/practices.js";
import { resolveSession } from "../core/record/sessions.js";
import { DrillError } from "../system/errors.js";
import { formatServices } from "../ui/check-report.js";
import { highlight, logger } from "../ui/logger.js";

export interface ServeCommandOptions {
  dir?: string;
  port?: number;
}

/** Keeps the last lines (for the error when start-up fails) and streams every line as it comes. */
class StreamedOutput extends OutputTail {
  override push(chunk: Buffer | string, stream = "out"): void {
    super.push(chunk, stream);
    (stream === "err" ? process.stderr : process.stdout).write(chunk);
  }
}

export async function runServeCommand(options: ServeCommandOptions): Promise<void> {
  const { practice, workspace } = resolveSession(options.dir);
  const port = options.port ?? servePort(practice);
  logger.info(`${highlight.practice(practiceLabel(practice))} · serving ${highlight.path(workspace)}`);
  const { server, services, cleanupNotes } = await startServe({
    practice,
    workspace,
    port,
    output: new StreamedOutput(),
    onServices: ({ lines }) => {
      if (lines.length) logger.info(`services (as in a check):\n${formatServices(lines)}`);
    },
    onServerStarting: (command) =>
      logger.info(highlight.dim(`starting your server: ${[basename(command[0] ?? ""), ...command.slice(1)].join(" ")}`)),
  });
  for (const note of cleanupNotes) logger.warn(note);
  logger.success(`your server is up at ${highlight.command(server.baseUrl)} (Ctrl-C stops it)`);
  logger.info(highlight.dim("Replay any curl a report printed; nothing here is recorded."));
  // Ctrl-C: the entry's signal handlers stop the server's process group and release the
  // services (registered cleanups), then drill exits 130. Here only the server's own exit ends it.
  const code = await server.process.exited;
  await stopStrayListeners(server.port, server.marker, server.process.pid);
  await services.release();
  throw new DrillError("server-exited", `your server exited (code ${code}); nothing is serving on port ${port} any more`, {
    hint: "Its last lines are above. Fix the problem and run drill serve again.",
  });
}
