import { basename } from "node:path";
import { runCheck, type CheckOutcome } from "../core/check/run-check.js";
import { describeFsError, DrillError } from "../system/errors.js";
import { prepareHistoryForWriting } from "../core/record/history.js";
import { recordCheck, type RecordedCheck } from "../core/record/record-check.js";
import { highlight, logger, printJson } from "../ui/logger.js";
import { newSpinner } from "../ui/spinner.js";
import { resolveSession, type ActiveSession } from "../core/record/sessions.js";
import { formatDuration } from "../core/record/timeline.js";
import { formatFailures, formatResultLine, formatServices, formatVerdict } from "../ui/check-report.js";
import { formatNextUp } from "../ui/fire-drill-report.js";
import { practiceLabel, type Practice } from "../core/catalog/practices.js";
import { requirementLines } from "../core/catalog/spec.js";
import { servePort } from "../core/check/serve.js";
import { isGreenOutcome, showReviewAfterGreen } from "./review.js";

export interface CheckCommandOptions {
  dir?: string;
  url?: string;
  port?: number;
  json?: boolean;
  /** Run only these requirements (validated against the spec); such a run is never recorded. */
  only?: string[];
}

/** A check as run and recorded: its verdict and what recording it did. */
export interface CheckedSession extends RecordedCheck {
  outcome: CheckOutcome;
}

/**
 * Failures after which the learner's own code ran, so the attempt counts. Anything else (a
 * port taken, a URL where nothing answers, Python missing, a refused option) ran nothing of
 * theirs and is not recorded.
 */
const LEARNER_CODE_RAN = new Set(["server-exited", "server-not-ready"]);

/** Runs a check for a session, shows it as it goes, and records it. Shared with the countdown. */
export async function checkSession(active: ActiveSession, options: Omit<CheckCommandOptions, "dir" | "only">): Promise<CheckedSession> {
  const at = new Date();
  let outcome: CheckOutcome;
  try {
    outcome = await runShown(active, options);
  } catch (error) {
    if (error instanceof DrillError && LEARNER_CODE_RAN.has(error.code)) throw await recordStartFailure(active, options, at, error);
    throw error;
  }
  // The verdict is on screen before anything is recorded, so a recording failure never hides it.
  showVerdict(active, outcome);

  const recorded = await recordCheck(active, { kind: "verdict", outcome }, at);
  if (recorded.snapshotSkipped) logger.warn(`snapshot skipped: ${recorded.snapshotSkipped}`);
  const result: CheckedSession = { outcome, ...recorded };
  const inRecord = !("notRecorded" in recorded);
  if (options.json) printJson(checkJson(active, outcome, recorded));
  if (!inRecord) throw notRecorded("this check's verdict (above)", recorded.notRecorded);
  // After green: what an interviewer would notice, a few lines under the verdict (drill review).
  if (isGreenOutcome(outcome)) await showReviewAfterGreen(active);
  // The check itself is recorded; a failure to lay out the next practice must not hide it.
  if (recorded.fireDrill?.kind === "failed") {
    logger.warn(`fire drill: could not start the next practice (${recorded.fireDrill.error.message}); \`drill resume\` tries again`);
  } else if (recorded.fireDrill?.kind === "next") {
    logger.info(formatNextUp(recorded.fireDrill.practice, recorded.fireDrill.session.workspace));
  } else if (recorded.fireDrill?.kind === "finished") {
    const { formatSplits } = await import("../ui/fire-drill-report.js");
    logger.info(formatSplits(recorded.fireDrill.progress));
  }
  logger.info(
    highlight.dim(
      `${formatDuration(recorded.elapsedMs)} since start · check took ${(outcome.durationMs / 1000).toFixed(1)} s${recorded.commit ? ` · snapshot ${recorded.commit.slice(0, 8)}` : ""}`,
    ),
  );
  return result;
}

/** Runs the check (or the named requirements of it) and shows it as it goes. */
async function runShown(active: ActiveSession, options: Omit<CheckCommandOptions, "dir">): Promise<CheckOutcome> {
  const { practice, workspace } = active;
  const spinner = newSpinner();
  const scope = options.only?.length ? ` · only ${options.only.join(", ")}` : "";
  logger.info(`${highlight.practice(practiceLabel(practice))} · checking ${highlight.path(workspace)}${scope}`);
  try {
    return await runCheck({
      practice,
      workspace,
      ...(options.url ? { url: options.url } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.only?.length ? { only: options.only } : {}),
      onServices: (lines) => {
        if (lines.length) logger.info(`services for this check:\n${formatServices(lines)}`);
      },
      onServerStarting: (command) => spinner.start(`starting your server: ${[basename(command[0] ?? ""), ...command.slice(1)].join(" ")}`),
      onServerReady: (baseUrl, ms) => spinner.succeed(`server ready at ${baseUrl} (${(ms / 1000).toFixed(1)} s)`),
      onPlanned: (names) => logger.info(highlight.dim(`running ${names.length} checks from the hidden suite`)),
      onResult: (result) => logger.info(formatResultLine(result)),
    });
  } catch (error) {
    if (spinner.isSpinning) spinner.fail("the server did not get ready");
    throw error;
  }
}

function showVerdict(active: ActiveSession, outcome: CheckOutcome): void {
  logger.break();
  const failures = formatFailures(outcome, servePort(active.practice));
  if (failures) logger.info(failures);
  logger.info(formatVerdict(outcome));
  for (const note of outcome.cleanupNotes) logger.info(highlight.warn(`note: ${note}`));
}

/**
 * drill check --only: just the named requirements, for focus. Never recorded (no check event,
 * no snapshot): only a full run is an attempt's check, so a partial run can neither turn an
 * attempt green nor count as a check in stats.
 */
async function checkOnly(active: ActiveSession, options: Omit<CheckCommandOptions, "dir">): Promise<CheckOutcome> {
  const outcome = await runShown(active, options);
  showVerdict(active, outcome);
  logger.info(highlight.dim(`only ${options.only?.join(", ")} ran · not recorded: run drill check without --only to record an attempt`));
  if (options.json) printJson({ ...checkJson(active, outcome), only: options.only });
  return outcome;
}

function notRecorded(what: string, error: unknown): DrillError {
  const reason = error instanceof DrillError ? error.message : describeFsError(error);
  return new DrillError("record-failed", `${what} was not recorded: ${reason}`, {
    hint: "Your code is untouched. Make drill's data folder writable (or point DRILL_HOME at one), then run drill check again to record it.",
  });
}

/** The server crashed or never got ready: the learner's code ran, so the attempt is recorded. */
async function recordStartFailure(
  active: ActiveSession,
  options: Omit<CheckCommandOptions, "dir">,
  at: Date,
  failure: DrillError,
): Promise<DrillError> {
  const recorded = await recordCheck(active, { kind: "server-failed", mode: options.url ? "url" : "managed", error: failure.message }, at);
  if (recorded.snapshotSkipped) logger.warn(`snapshot skipped: ${recorded.snapshotSkipped}`);
  if (!("notRecorded" in recorded)) return failure;
  // The failure is still what the learner needs to read first; the missing record is said after it.
  const missing = notRecorded("this attempt", recorded.notRecorded).message;
  return new DrillError(failure.code, failure.message, {
    ...(failure.details ? { details: failure.details } : {}),
    hint: [failure.hint, `${missing[0]?.toUpperCase()}${missing.slice(1)}.`].filter(Boolean).join("\n  "),
    exitCode: failure.exitCode,
  });
}

/** The --json form; without `recorded` (check --only) nothing was recorded. */
function checkJson(active: ActiveSession, outcome: CheckOutcome, recorded?: RecordedCheck): Record<string, unknown> {
  return {
    practice: active.practice.slug,
    workspace: active.workspace,
    mode: outcome.mode,
    baseUrl: outcome.baseUrl,
    services: outcome.services,
    passed: outcome.passed,
    failed: outcome.failed,
    skipped: outcome.skipped,
    requirements: outcome.requirements,
    tests: outcome.run.results.map((r) => ({
      name: r.name,
      requirement: r.requirement,
      state: r.state,
      durationMs: r.durationMs,
      ...(r.errors.length ? { errors: r.errors } : {}),
      ...(r.note ? { note: r.note } : {}),
      ...(r.stalledAt ? { stalledAt: r.stalledAt } : {}),
    })),
    elapsedMs: recorded?.elapsedMs ?? null,
    checkMs: outcome.durationMs,
    commit: recorded?.commit ?? null,
    snapshotSkipped: recorded?.snapshotSkipped ?? null,
    recorded: recorded !== undefined && !("notRecorded" in recorded),
    notes: outcome.cleanupNotes,
    ...(outcome.serverExit ? { serverExit: outcome.serverExit } : {}),
  };
}

export async function runCheckCommand(options: CheckCommandOptions): Promise<void> {
  if (options.only?.length) {
    const active = resolveSession(options.dir);
    const only = validRequirements(active.practice, options.only);
    const outcome = await checkOnly(active, { ...options, only });
    process.exitCode = outcome.failed === 0 && outcome.skipped === 0 && !outcome.run.timedOut ? 0 : 1;
    return;
  }
  // Before any work starts (a server, a database): the verdict will have somewhere to go.
  prepareHistoryForWriting();
  const active = resolveSession(options.dir);
  const recorded = await checkSession(active, options);
  const { outcome } = recorded;
  process.exitCode = outcome.failed === 0 && outcome.skipped === 0 && !outcome.run.timedOut ? 0 : 1;
}

/** --only ids as the spec spells them (r03.8 reads as R03.8), or a one-line refusal naming the valid ones. */
export function validRequirements(practice: Practice, ids: readonly string[], what = "--only"): string[] {
  const known = requirementIds(practice);
  const wanted = [...new Set(ids.map((id) => id.trim().toUpperCase()))];
  const unknown = wanted.filter((id) => !known.includes(id));
  if (unknown.length) {
    throw new DrillError(
      "usage",
      `${what}: ${unknown.map((id) => `"${id}"`).join(", ")} ${unknown.length === 1 ? "is not a requirement" : "are not requirements"} of practice ${practice.id}; valid: ${known.join(", ")}`,
    );
  }
  return wanted.sort((a, b) => known.indexOf(a) - known.indexOf(b));
}

/** The practice's requirement ids in number order (R03.2 before R03.10). */
export function requirementIds(practice: Practice): string[] {
  const number = (id: string) => Number(id.split(".")[1]);
  return requirementLines(practice)
    .map((line) => line.split(" ")[0] ?? "")
    .sort((a, b) => number(a) - number(b));
}
