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
  | "bad-port"
  | "url-not-loopback"
  | "server-unreachable"
  | "service-unavailable"
  | "server-exited"
  | "server-not-ready"
  | "suite-failed"
  | "check-timeout"
  | "corrupt-state"
  | "history-newer"
  | "home-unusable"
  | "dir-unusable"
  | "archive-taken"
  | "open-attempt"
  | "record-failed"
  | "cancelled"
  | "interrupted";

export class DrillError extends Error {
  readonly code: DrillErrorCode;
  readonly hint: string | undefined;
  /** Extra lines shown under the message (for example the server's last output lines). */
  readonly details: string | undefined;
  readonly exitCode: number;

  constructor(code: DrillErrorCode, message: string, options: { hint?: string; details?: string | undefined; exitCode?: number } = {}) {
    super(message);
    this.name = "DrillError";
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
    this.exitCode = options.exitCode ?? (code === "interrupted" ? 130 : 2);
  }
}

/** A file-system error in a few words a learner can act on ("permission denied"), never a stack. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const words: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "the file system is read-only",
    ENOTDIR: "a part of that path is a file, not a folder",
    EISDIR: "it is a folder, not a file",
    EEXIST: "something already exists there",
    ENOENT: "a folder on that path does not exist",
    ENOSPC: "no space left on the device",
    EDQUOT: "the disk quota is used up",
    ENAMETOOLONG: "the path is too long",
    ELOOP: "too many symbolic links on that path",
  };
  if (typeof code === "string" && words[code]) return `${words[code]} (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}
