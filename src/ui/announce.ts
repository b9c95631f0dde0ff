// What drill says when a workspace is ready: where it is, the requirements, what to do next.
import { highlight, logger } from "./logger.js";
import { type Practice, practiceLabel } from "../core/catalog/practices.js";
import { requirementLines } from "../core/catalog/spec.js";

/** `pythonReady`: drill start readied the workspace's Python, so no `drill setup` step is named. */
export function announceWorkspace(practice: Practice, dir: string, pythonReady = false): void {
  logger.success(`workspace for ${highlight.practice(practiceLabel(practice))} at ${highlight.path(dir)}`);
  logger.break();
  logger.info(`The spec is ${highlight.path(`${dir}/README.md`)}. Requirements:`);
  for (const line of requirementLines(practice)) logger.info(`  ${line}`);
  logger.break();
  const setup = pythonReady ? "" : `${highlight.command(`drill setup --dir ${dir}`)}, `;
  const work = practice.debug ? "find and fix the bug in your editor" : "build the server in your editor";
  logger.info(`next: ${setup}${work}, then ${highlight.command(`drill check --dir ${dir}`)}`);
}
