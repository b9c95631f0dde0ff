// A debugging drill's symptom: the README's "## The symptom" section, as the learner meets it
// (a browser console message, a slow endpoint, a traceback), shown before the clock starts.
import { readFileSync } from "node:fs";
import type { Practice } from "./practices.js";

/** The text under the README's `## The symptom` heading, up to the next `## `; "" when there is none. */
export function symptomOf(drill: Pick<Practice, "specPath">): string {
  const text = readFileSync(drill.specPath, "utf8");
  const match = /^## The symptom[^\n]*\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text);
  return match?.[1]?.trim() ?? "";
}
