import { collectStatus } from "../core/record/status.js";
import { resolveSession } from "../core/record/sessions.js";
import { logger, printJson } from "../ui/logger.js";
import { formatStatus } from "../ui/status.js";

export async function runStatusCommand(options: { dir?: string; json?: boolean }): Promise<void> {
  const data = collectStatus(resolveSession(options.dir));
  if (options.json) printJson(data);
  else logger.info(formatStatus(data));
}
