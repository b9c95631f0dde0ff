// How `drill debug` shows a debugging drill before its clock starts: what it is, its time box,
// and the symptom as the learner meets it.
import { type Practice, practiceLabel } from "../core/catalog/practices.js";
import { formatDuration } from "../core/record/timeline.js";
import { highlight } from "./logger.js";

/** The symptom's Markdown as terminal text: code fences dropped, their lines kept and indented. */
function symptomLines(symptom: string): string[] {
  let inCode = false;
  const lines: string[] = [];
  for (const line of symptom.split("\n")) {
    if (line.startsWith("```")) {
      inCode = !inCode;
      continue;
    }
    lines.push(inCode ? highlight.fail(`    ${line}`) : `  ${line}`.trimEnd());
  }
  return lines;
}

export function formatSymptom(drill: Practice, symptom: string, timerMinutes: number): string {
  return [
    `${highlight.practice(practiceLabel(drill))}  ${highlight.dim(`debugging drill, time box ${formatDuration(timerMinutes * 60_000)}`)}`,
    "",
    ...(symptom ? symptomLines(symptom) : [highlight.dim("  (the README in the workspace describes the symptom)")]),
    "",
  ].join("\n");
}
