import { Command } from "@commander-js/extra-typings";
import { parsePort, parseUrl } from "../core/options.js";

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const check = new Command("check")
  .description("start your server, run the practice's hidden suite against it, record the attempt")
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .option("--url <base>", "test a server that is already running at this base URL instead of starting one", parseUrl)
  .option("--port <port>", "start your server on this port instead of a free one", parsePort)
  .option("--json", "print the result as JSON")
  .action(async (options) => (await import("../actions/check.js")).runCheckCommand(options));
