import { Command } from "@commander-js/extra-typings";
import { parsePort } from "../core/options.js";

export const serve = new Command("serve")
  .description("start your server as a check starts it, on a fixed port, until Ctrl-C: replay any curl a report printed")
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .option("--port <port>", "serve on this port (default: 8000 + the practice's number, the port reports print)", parsePort)
  .addHelpText(
    "after",
    `
Examples:
  drill serve              # practice 03 serves on http://127.0.0.1:8003
  drill serve --port 9000

Nothing is recorded. The server gets the same knobs and services as in a check.`,
  )
  .action(async (options) => (await import("../actions/serve.js")).runServeCommand(options));
