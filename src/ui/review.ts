// The review's notes as the learner reads them: the full list (`drill review`), and the few
// lines under a green verdict (`drill check`, the countdown) with the rest one command away.
import type { ReviewNote, ReviewResult } from "../core/review/run-review.js";
import { highlight } from "./logger.js";

/** `app/main.py:12  on_event instead of lifespan  [DR001]` (ruff's own words in the brackets). */
function noteHeadline(note: ReviewNote): string {
  const tag = note.source === "ruff" && note.detail ? `${note.rule}: ${note.detail}` : note.rule;
  return `${highlight.path(`${note.file}:${note.line}`)}  ${note.title}  ${highlight.dim(`[${tag}]`)}`;
}

/** One note in full: where, what an interviewer would think, the idiom instead, the cheat sheet. */
function formatNote(note: ReviewNote): string[] {
  const lines = [noteHeadline(note)];
  // List items, so the countdown's panel (which reflows paragraphs) keeps them on their own lines.
  if (note.thought) lines.push(`  - an interviewer thinks: ${note.thought}`);
  if (note.idiom) lines.push(`  - instead: ${note.idiom}`);
  if (note.sheet) lines.push(`  - see: ${note.sheet}`);
  return lines;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** `drill review`'s output. */
export function formatReview(result: ReviewResult): string[] {
  const lines: string[] = [];
  const head = `review of ${result.practice}: ${plural(result.notes.length, "note")} on ${plural(result.files, "Python file")}`;
  lines.push(result.notes.length === 0 ? highlight.pass(`${head}: nothing an interviewer would frown at`) : head);
  for (const note of result.notes) lines.push("", ...formatNote(note));
  for (const error of result.unparsed) {
    lines.push("", highlight.warn(`${error.file}:${error.line}  not reviewed: Python cannot parse it (${error.message})`));
  }
  if (result.ruff === "missing") {
    lines.push(
      "",
      highlight.warn("ruff is not installed in this workspace's Python: only drill's own rules ran (`drill setup` installs it)"),
    );
  }
  if (result.notes.length > 0)
    lines.push(
      "",
      highlight.dim("Advice, never part of the verdict: the hidden suite grades behaviour; an interviewer reads the code too."),
    );
  return lines;
}

/** A few lines under a green verdict: the count and the first notes' headlines. */
export function formatNotesAfterGreen(notes: readonly ReviewNote[], max = 3): string[] {
  if (notes.length === 0) return [highlight.pass("review: no notes, nothing an interviewer would frown at")];
  const lines = [
    `review: ${plural(notes.length, "note")} an interviewer would make (advice, not the verdict; \`drill review\` explains each)`,
  ];
  for (const note of notes.slice(0, max)) lines.push(`  ${noteHeadline(note)}`);
  if (notes.length > max) lines.push(highlight.dim(`  ... ${notes.length - max} more: drill review`));
  return lines;
}

/** Every note in full, for a pager (the countdown's r after green in a fire drill). */
export function formatReviewNotes(notes: readonly ReviewNote[]): string[] {
  return notes.flatMap((note, index) => [...(index ? [""] : []), ...formatNote(note)]);
}

/** One short line for the countdown's note: "review: 2 notes (r shows them)". */
export function reviewSummary(notes: readonly ReviewNote[]): string {
  return notes.length === 0 ? "review: no notes" : `review: ${plural(notes.length, "note")} (r shows them)`;
}
