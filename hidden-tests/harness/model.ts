// What the provided model (drills/_shared/model.py with model_weights.json) answers for the texts
// the suites send. test/model.test.ts runs the real model to keep this table true.
export const MODEL_VERSION = "sentiment-1.4.0";

export interface ModelPrediction {
  label: "positive" | "negative";
  score: number;
}

export const MODEL_ANSWERS: Record<string, ModelPrediction> = {
  "great service, would recommend": { label: "positive", score: 0.937 },
  "Terrible support and a slow refund.": { label: "negative", score: 0.982 },
  "The app works, but it crashes and the docs are not helpful": { label: "negative", score: 0.5987 },
  "I love how fast and reliable this is!": { label: "positive", score: 0.9781 },
  "worst update ever: broken, buggy, awful": { label: "negative", score: 0.9959 },
  "never again, I hate the bugs": { label: "negative", score: 0.9608 },
  "Fast delivery and a helpful team": { label: "positive", score: 0.8909 },
};

/** A text containing this makes the provided model's predict() raise ModelError, every time. */
export const FAILURE_MARKER = "[fail]";

/** A text containing this makes predict() raise ModelError on its first `times` calls (1-9) with that exact text in one process. */
export function transientFailureMarker(times: number): string {
  if (!Number.isInteger(times) || times < 1 || times > 9) throw new Error(`transient failures are 1 to 9, not ${times}`);
  return `[fail-first:${times}]`;
}

/**
 * The words the model reads (lower-case runs of letters and '): case, spacing, digits and
 * punctuation do not change its answer, and neither does a transient failure marker once the
 * model answers (its words carry no weight; test/model.test.ts holds the weights to that).
 */
function modelWords(text: string): string {
  const unmarked = text.replace(/\[fail-first:[1-9]\]/g, " ");
  return (unmarked.toLowerCase().match(/[a-z']+/g) ?? []).join(" ");
}

const ANSWERS_BY_WORDS = new Map(Object.entries(MODEL_ANSWERS).map(([text, answer]) => [modelWords(text), answer]));

/** The model's answer for `text` (or any text with the same words); throws for a text not in the table. */
export function expectedPrediction(text: string): ModelPrediction {
  const expected = ANSWERS_BY_WORDS.get(modelWords(text));
  if (!expected) throw new Error(`no expected prediction recorded for ${JSON.stringify(text)}`);
  return expected;
}
