import { basename } from "node:path";
import ora from "ora";
import { runCheck, type CheckOutcome } from "../core/check.js";
import { DrillError } from "../core/errors.js";
import { highlight, isSilent, logger } from "../core/logger.js";
import { appendEvent, resolveSession, type ActiveSession } from "../core/sessions.js";
import { snapshotWorkspace } from "../core/snapshot.js";
import { activeMs, formatDuration } from "../core/timeline.js";
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
}

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
    if (error instanceof DrillError && ["server-exited", "server-not-ready", "port-taken"].includes(error.code)) {
      const commit = await snapshotWorkspace(workspace, `drill check: server did not start (${formatDuration(activeMs(session, at))})`);
      appendEvent(session.id, {
        type: "check",
        at: at.toISOString(),
        mode: options.url ? "url" : "managed",
        passed: 0,
        failed: 0,
        skipped: 0,
        requirements: {},
        error: error.message,
        ...(commit ? { commit } : {}),
      });
    }
    throw error;
  }
  const elapsed = activeMs(session, at);
  const total = outcome.passed + outcome.failed + outcome.skipped;
  const commit = await snapshotWorkspace(
    workspace,
    `drill check: ${outcome.passed}/${total} requirements pass (${formatDuration(elapsed)} since start)`,
  );
  const recorded = appendEvent(session.id, {
    type: "check",
    at: at.toISOString(),
    mode: outcome.mode,
    passed: outcome.passed,
    failed: outcome.failed,
    skipped: outcome.skipped,
    requirements: outcome.requirements,
    ...(commit ? { commit } : {}),
  });
  logger.break();
  const failures = formatFailures(outcome);
  if (failures) logger.info(failures);
  logger.info(formatVerdict(outcome));
  if (recorded.run) {
    // The check itself is recorded; a failure to lay out the next practice must not hide it.
    await announceFireDrillProgress(recorded.run).catch((error: unknown) =>
      logger.warn(`fire drill: could not start the next practice (${(error as Error).message}); \`drill resume\` tries again`),
    );
  }
  logger.info(
    highlight.dim(`${formatDuration(elapsed)} since start · check took ${(outcome.durationMs / 1000).toFixed(1)} s${commit ? ` · snapshot ${commit.slice(0, 8)}` : ""}`),
  );
  return { outcome, elapsedMs: elapsed, commit };
}

/** In a fire drill, a green check (or a skip) moves the run on to its next practice. */
async function announceFireDrillProgress(runId: string): Promise<void> {
  const { advanceFireDrill } = await import("../core/fire-drill.js");
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

export function checkJson(active: ActiveSession, recorded: RecordedCheck): Record<string, unknown> {
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
    ...(outcome.serverExit ? { serverExit: outcome.serverExit } : {}),
  };
}

export async function runCheckCommand(options: CheckCommandOptions): Promise<void> {
  const active = resolveSession(options.dir);
  const recorded = await checkSession(active, options);
  if (options.json) console.log(JSON.stringify(checkJson(active, recorded), null, 2));
  const { outcome } = recorded;
  process.exitCode = outcome.failed === 0 && outcome.skipped === 0 && !outcome.run.timedOut ? 0 : 1;
}
