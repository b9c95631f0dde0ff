// What drill says when a workspace is ready: where it is, the requirements, what to do next.
import { highlight, logger } from "./logger.js";
import { type Practice, practiceLabel } from "../core/catalog/practices.js";
import { requirementLines } from "../core/catalog/spec.js";

export function announceWorkspace(practice: Practice, dir: string): void {
  logger.success(`workspace for ${highlight.practice(practiceLabel(practice))} at ${highlight.path(dir)}`);
  logger.break();
  logger.info(`The spec is ${highlight.path(`${dir}/README.md`)}. Requirements:`);
  for (const line of requirementLines(practice)) logger.info(`  ${line}`);
  logger.break();
  logger.info(
    `next: ${highlight.command(`drill setup --dir ${dir}`)}, build the server, then ${highlight.command(`drill check --dir ${dir}`)}`,
  );
}
