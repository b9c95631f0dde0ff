// The one place drill asks questions. It never prompts without a terminal (CI, pipes), and a
// Ctrl-C during a prompt becomes a clean cancel rather than a stack trace.
import { select as inquirerSelect } from "@inquirer/prompts";
import { DrillError } from "../system/errors.js";

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && process.env.CI !== "true";
}

function asCancel(error: unknown): never {
  if (error instanceof Error && (error.name === "ExitPromptError" || error.name === "AbortPromptError")) {
    throw new DrillError("cancelled", "cancelled", { exitCode: 130 });
  }
  throw error;
}

/** `preselected`: the choice the cursor starts on (the first when absent). */
export async function select<T>(
  message: string,
  choices: Array<{ name: string; value: T; description?: string }>,
  preselected?: T,
): Promise<T> {
  return inquirerSelect<T>({ message, choices, pageSize: 12, ...(preselected === undefined ? {} : { default: preselected }) }).catch(
    asCancel,
  );
}
