// Small file helpers shared across core.
import { existsSync, readFileSync } from "node:fs";

/** A text file's contents, or undefined when there is no such file. */
export function readIfPresent(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}
