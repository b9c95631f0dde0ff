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
import { practiceLabel } from "../core/catalog/practices.js";

export interface CheckCommandOptions {
  dir?: string;
  url?: string;
  port?: number;
  json?: boolean;
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
export async function checkSession(active: ActiveSession, options: Omit<CheckCommandOptions, "dir">): Promise<CheckedSession> {
  const { practice, workspace } = active;
  const at = new Date();
  const spinner = newSpinner();
  logger.info(`${highlight.practice(practiceLabel(practice))} · checking ${highlight.path(workspace)}`);
  let outcome: CheckOutcome;
  try {
    outcome = await runCheck({
      practice,
      workspace,
      ...(options.url ? { url: options.url } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
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
    if (error instanceof DrillError && LEARNER_CODE_RAN.has(error.code)) throw await recordStartFailure(active, options, at, error);
    throw error;
  }
  // The verdict is on screen before anything is recorded, so a recording failure never hides it.
  logger.break();
  const failures = formatFailures(outcome);
  if (failures) logger.info(failures);
  logger.info(formatVerdict(outcome));
  for (const note of outcome.cleanupNotes) logger.info(highlight.warn(`note: ${note}`));

  const recorded = await recordCheck(active, { kind: "verdict", outcome }, at);
  if (recorded.snapshotSkipped) logger.warn(`snapshot skipped: ${recorded.snapshotSkipped}`);
  const result: CheckedSession = { outcome, ...recorded };
  const inRecord = !("notRecorded" in recorded);
  if (options.json) printJson(checkJson(active, result, inRecord));
  if (!inRecord) throw notRecorded("this check's verdict (above)", recorded.notRecorded);
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

function checkJson(active: ActiveSession, recorded: CheckedSession, inRecord: boolean): Record<string, unknown> {
  const { outcome } = recorded;
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
    elapsedMs: recorded.elapsedMs,
    checkMs: outcome.durationMs,
    commit: recorded.commit ?? null,
    snapshotSkipped: recorded.snapshotSkipped ?? null,
    recorded: inRecord,
    notes: outcome.cleanupNotes,
    ...(outcome.serverExit ? { serverExit: outcome.serverExit } : {}),
  };
}

export async function runCheckCommand(options: CheckCommandOptions): Promise<void> {
  // Before any work starts (a server, a database): the verdict will have somewhere to go.
  prepareHistoryForWriting();
  const active = resolveSession(options.dir);
  const recorded = await checkSession(active, options);
  const { outcome } = recorded;
  process.exitCode = outcome.failed === 0 && outcome.skipped === 0 && !outcome.run.timedOut ? 0 : 1;
}
