// How a check reads in the terminal: one line per requirement as results arrive, then a
// reviewer's note for each failure, then the verdict.
import type { CheckOutcome } from "../core/check/run-check.js";
import type { TestResult } from "../core/check/hidden-suite.js";
import type { ServiceLine } from "../core/check/services.js";
import { indent } from "./text.js";
import { highlight } from "./logger.js";

export function formatResultLine(result: TestResult): string {
  const time = highlight.dim(`(${result.durationMs} ms)`);
  if (result.state === "passed") return `  ${highlight.pass("✔")} ${result.name} ${time}`;
  if (result.state === "skipped") {
    return `  ${highlight.skip("○")} ${result.name} ${highlight.skip(`skipped${result.note ? `: ${result.note}` : ""}`)}`;
  }
  return `  ${highlight.fail("✘")} ${result.name} ${time}`;
}

/** The reviewer's note for one failed test. */
function formatFailure(result: TestResult): string {
  const lines = [highlight.fail(`✘ ${result.name}`)];
  const message = result.errors.join("\n\n").trim() || "failed without a message";
  lines.push(indent(message));
  // The reporter adds exchanges only to plain assertions; reviewer notes carry their own.
  if (result.exchanges.length > 0) {
    lines.push(indent("the last exchange of this test:"));
    lines.push(indent(result.exchanges.at(-1) ?? "", "      "));
  }
  return lines.join("\n");
}

/**
 * A server that stopped answering altogether is said once: the requirement where it stopped
 * keeps its note, every later one is named on one line instead of repeating a timeout.
 */
function stalledAfter(failures: TestResult[]): { shown: TestResult[]; note?: string } {
  const first = failures.find((f) => f.stalledAt !== undefined);
  if (!first?.stalledAt) return { shown: failures };
  const at = first.stalledAt;
  const later = failures.filter((f) => f.stalledAt === at && f.requirement !== at);
  const shown = failures.filter((f) => !later.includes(f));
  const names = [...new Set(later.map((f) => f.requirement))];
  const note = `your server stopped answering at ${at}: a request timed out and GET /health got no answer either${
    names.length ? `; every later requirement timed out without being tried (${names.join(", ")})` : ""
  }. Look for a handler that blocks the event loop or waits forever.`;
  return { shown, note };
}

/**
 * The reviewer's notes for the failures. With `replayPort` (drill started the server), every
 * curl and URL in them points at that port instead of the check's random one, so each can be
 * replayed against `drill serve`, which listens there.
 */
export function formatFailures(outcome: CheckOutcome, replayPort?: number): string {
  const failures = outcome.run.results.filter((r) => r.state === "failed");
  if (failures.length === 0) return "";
  const { shown, note } = stalledAfter(failures);
  const replay = outcome.mode === "managed" && replayPort !== undefined ? replayUrl(outcome.baseUrl, replayPort) : undefined;
  // Not a longer port that starts with the same digits.
  const checkUrl = new RegExp(`${outcome.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![0-9])`, "g");
  const retarget = (text: string) => (replay ? text.replace(checkUrl, replay) : text);
  const lines = [
    highlight.fail(`What the reviewer noticed (${failures.length}):`),
    "",
    ...shown.map((f) => `${retarget(formatFailure(f))}\n`),
  ];
  if (note) lines.push(highlight.fail(`✘ ${note}`), "");
  if (replay) lines.push(highlight.dim(`The requests above go to ${replay}: run \`drill serve\` to replay them against your server.`), "");
  return lines.join("\n");
}

/** The check's base URL with the serve port: http://127.0.0.1:41234 -> http://127.0.0.1:8003. */
export function replayUrl(baseUrl: string, port: number): string {
  const url = new URL(baseUrl);
  url.port = String(port);
  return url.origin;
}

/** Which services the server got, so the learner knows which path was graded. */
export function formatServices(lines: ServiceLine[]): string {
  return lines.map((line) => highlight.dim(`  ${line.name}: ${line.kind === "real" ? "" : "(embedded) "}${line.description}`)).join("\n");
}

export function formatVerdict(outcome: CheckOutcome): string {
  const total = outcome.passed + outcome.failed + outcome.skipped;
  const parts = [`${outcome.passed} of ${total} requirements pass`];
  if (outcome.failed) parts.push(highlight.fail(`${outcome.failed} fail`));
  if (outcome.skipped) parts.push(highlight.skip(`${outcome.skipped} skipped`));
  const head = outcome.failed === 0 && outcome.skipped === 0 ? highlight.pass("✔ all requirements pass") : parts.join(" · ");
  const extra: string[] = [];
  if (outcome.serverExit) {
    extra.push(
      highlight.fail(`the server exited during the check (code ${outcome.serverExit.code}); its last lines:`),
      indent(outcome.serverExit.output),
    );
  }
  if (outcome.run.timedOut) extra.push(highlight.fail("the check's time limit ran out before every requirement finished"));
  for (const error of outcome.run.errors) extra.push(highlight.fail(`suite error: ${error}`));
  return [head, ...extra].join("\n");
}
