import { Command } from "@commander-js/extra-typings";
import { parsePort, parseUrl } from "../core/options.js";
import { DrillError } from "../system/errors.js";

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

// Heavy modules load only when the command runs, so `drill --version` and `--help` start fast.
export const check = new Command("check")
  .description("start your server, run the practice's hidden suite against it, record the attempt")
  .option("-d, --dir <path>", "the workspace (default: the one around the current directory, else the active session's)")
  .option("--url <base>", "test a server that is already running at this base URL instead of starting one", parseUrl)
  .option("--port <port>", "start your server on this port instead of a free one", parsePort)
  .option("--only <id>", "run just this requirement (repeatable: --only R03.8 --only R03.9); not recorded", collect)
  .option("--json", "print the result as JSON")
  .option("--compose", "build and start the stack with docker compose and check it (needs a Docker engine)")
  .addHelpText(
    "after",
    `
Examples:
  drill check                       # the whole suite, recorded as a check of the attempt
  drill check --only R03.8          # just R03.8 (repeatable), for focus; never recorded
  drill check --port 8000           # your server on a port of your choice
  drill check --url http://127.0.0.1:8000   # a server you started yourself
  drill check --compose             # your docker-compose.yml built, started, checked, taken down

A failing requirement prints each request as curl against the port of \`drill serve\`, to replay.`,
  )
  .action(async ({ compose, ...options }) => {
    if (!compose) return (await import("../actions/check.js")).runCheckCommand(options);
    const clash = [options.url && "--url", options.port !== undefined && "--port", options.only && "--only"].filter(Boolean);
    if (clash.length) throw new DrillError("usage", `--compose starts your stack itself, so it takes no ${clash.join(" or ")}`);
    return (await import("../actions/review-docker.js")).runCheckComposeCommand(options);
  });
