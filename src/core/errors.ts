// One error type for everything the learner can fix: a code for tests and --json, a one-line
// message, and a hint. Only the entry file turns these into an exit code.

export type DrillErrorCode =
  | "usage"
  | "unknown-practice"
  | "bad-timer"
  | "bad-phase"
  | "no-workspace"
  | "workspace-exists"
  | "no-session"
  | "python-missing"
  | "network"
  | "setup-failed"
  | "port-taken"
  | "service-unavailable"
  | "server-exited"
  | "server-not-ready"
  | "suite-failed"
  | "check-timeout"
  | "corrupt-state"
  | "cancelled"
  | "interrupted";

export class DrillError extends Error {
  readonly code: DrillErrorCode;
  readonly hint: string | undefined;
  /** Extra lines shown under the message (for example the server's last output lines). */
  readonly details: string | undefined;
  readonly exitCode: number;

  constructor(
    code: DrillErrorCode,
    message: string,
    options: { hint?: string; details?: string; exitCode?: number } = {},
  ) {
    super(message);
    this.name = "DrillError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.exitCode = options.exitCode ?? (code === "interrupted" ? 130 : 2);
  }
}

export function isDrillError(error: unknown): error is DrillError {
  return error instanceof DrillError;
}
