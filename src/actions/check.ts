import { basename } from "node:path";
import ora from "ora";
import { runCheck, type CheckOutcome } from "../core/check/run-check.js";
import { describeFsError, DrillError } from "../system/errors.js";
import { appendHistory, prepareHistoryForWriting } from "../core/record/history.js";
import { highlight, isSilent, logger } from "../ui/logger.js";
import { resolveSession, type ActiveSession } from "../core/record/sessions.js";
import { snapshotWorkspace } from "../core/workspace/snapshot.js";
import { activeMs, formatDuration } from "../core/record/timeline.js";
import { formatFailures, formatResultLine, formatServices, formatVerdict } from "../ui/check-report.js";

export interface CheckCommandOptions {
  dir?: string;
  url?: string;
  port?: number;
  json?: boolean;
}

export interface RecordedCheck {
  outcome: CheckOutcome;
  elapsedMs: number;
  commit: string | undefined;
  /** Why the workspace could not be snapshotted (the check itself still counts). */
  snapshotSkipped?: string;
}

/**
 * Failures after which the learner's own code ran, so the attempt counts. Anything else (a
 * port taken, a URL where nothing answers, Python missing, a refused option) ran nothing of
 * theirs and is not recorded.
 */
const LEARNER_CODE_RAN = new Set(["server-exited", "server-not-ready"]);

/** Runs a check for a session, shows it as it goes, and records it. Shared with the countdown. */
export async function checkSession(active: ActiveSession, options: Omit<CheckCommandOptions, "dir">): Promise<RecordedCheck> {
  const { practice, workspace, session } = active;
  const at = new Date();
  const spinner = ora({ isSilent: isSilent(), stream: process.stdout, discardStdin: false });
  logger.info(`${highlight.practice(`${practice.id} ${practice.title}`)} · checking ${highlight.path(workspace)}`);
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
  const elapsed = activeMs(session, at);
  const total = outcome.passed + outcome.failed + outcome.skipped;

  // The verdict is on screen before anything is recorded, so a recording failure never hides it.
  logger.break();
  const failures = formatFailures(outcome);
  if (failures) logger.info(failures);
  logger.info(formatVerdict(outcome));
  for (const note of outcome.cleanupNotes) logger.info(highlight.warn(`note: ${note}`));

  const snapshot = await snapshotWorkspace(
    workspace,
    `drill check: ${outcome.passed}/${total} requirements pass (${formatDuration(elapsed)} since start)`,
  );
  if (snapshot.skipped) logger.warn(`snapshot skipped: ${snapshot.skipped}`);
  const result: RecordedCheck = {
    outcome,
    elapsedMs: elapsed,
    commit: snapshot.commit,
    ...(snapshot.skipped ? { snapshotSkipped: snapshot.skipped } : {}),
  };
  try {
    appendHistory([
      {
        type: "check",
        at: at.toISOString(),
        mode: outcome.mode,
        passed: outcome.passed,
        failed: outcome.failed,
        skipped: outcome.skipped,
        requirements: outcome.requirements,
        ...(snapshot.commit ? { commit: snapshot.commit } : {}),
        session: session.id,
      },
    ]);
  } catch (error) {
    if (options.json) console.log(JSON.stringify(checkJson(active, result, false), null, 2));
    throw notRecorded("this check's verdict (above)", error);
  }
  if (options.json) console.log(JSON.stringify(checkJson(active, result, true), null, 2));
  if (session.run) {
    // The check itself is recorded; a failure to lay out the next practice must not hide it.
    await announceFireDrillProgress(session.run).catch((error: unknown) =>
      logger.warn(`fire drill: could not start the next practice (${(error as Error).message}); \`drill resume\` tries again`),
    );
  }
  logger.info(
    highlight.dim(
      `${formatDuration(elapsed)} since start · check took ${(outcome.durationMs / 1000).toFixed(1)} s${snapshot.commit ? ` · snapshot ${snapshot.commit.slice(0, 8)}` : ""}`,
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
async function recordStartFailure(active: ActiveSession, options: Omit<CheckCommandOptions, "dir">, at: Date, failure: DrillError): Promise<DrillError> {
  const { workspace, session } = active;
  const snapshot = await snapshotWorkspace(workspace, `drill check: server did not start (${formatDuration(activeMs(session, at))})`);
  if (snapshot.skipped) logger.warn(`snapshot skipped: ${snapshot.skipped}`);
  try {
    appendHistory([
      {
        type: "check",
        at: at.toISOString(),
        mode: options.url ? "url" : "managed",
        passed: 0,
        failed: 0,
        skipped: 0,
        requirements: {},
        error: failure.message,
        ...(snapshot.commit ? { commit: snapshot.commit } : {}),
        session: session.id,
      },
    ]);
    return failure;
  } catch (error) {
    // The failure is still what the learner needs to read first; the missing record is said after it.
    const missing = notRecorded("this attempt", error).message;
    return new DrillError(failure.code, failure.message, {
      ...(failure.details ? { details: failure.details } : {}),
      hint: [failure.hint, `${missing[0]?.toUpperCase()}${missing.slice(1)}.`].filter(Boolean).join("\n  "),
      exitCode: failure.exitCode,
    });
  }
}

/** In a fire drill, a green check (or a skip) moves the run on to its next practice. */
async function announceFireDrillProgress(runId: string): Promise<void> {
  const { advanceFireDrill } = await import("../core/modes/fire-drill.js");
  const advanced = await advanceFireDrill(runId);
  if (advanced.kind === "next") {
    logger.info(
      `${highlight.pass("fire drill:")} next up ${highlight.practice(`${advanced.practice.id} ${advanced.practice.title}`)} in ${highlight.path(advanced.session.workspace)}`,
    );
  } else if (advanced.kind === "finished") {
    const { formatSplits } = await import("../ui/fire-drill-report.js");
    logger.info(formatSplits(advanced.progress));
  }
}

export function checkJson(active: ActiveSession, recorded: RecordedCheck, inRecord: boolean): Record<string, unknown> {
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
