// Control of the learner's server, when `drill check` started it. Under `drill check --url`
// drill did not start the server, so tests that need control are skipped with a reason.
import type { TestContext } from "vitest";
import { clearStall } from "./http.js";

const controlUrl = process.env.DRILL_CONTROL_URL;

export const SKIP_NO_CONTROL = "needs drill to start the server (restart it, read its output); not available with --url";

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  if (!controlUrl) throw new Error(SKIP_NO_CONTROL);
  const response = await fetch(`${controlUrl}${path}`, init);
  if (!response.ok) {
    const text = await response.text();
    throw new Error(text || `drill's server control answered ${response.status}`);
  }
  return response;
}

export const server = {
  /** True when drill started the server and the suite may restart it or read its output. */
  controlled: Boolean(controlUrl),

  /**
   * Stops the server (SIGTERM, then SIGKILL) and starts it again on the same port, waiting
   * until /health answers. `env` adds to or overrides the environment for the new process.
   */
  async restart(options: { env?: Record<string, string> } = {}): Promise<void> {
    await call("/restart", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ env: options.env ?? {} }),
    });
    clearStall();
  },

  /** The server's own output (stdout and stderr, interleaved), the most recent lines. */
  async output(): Promise<string> {
    const response = await call("/output");
    return response.text();
  },
};

/** Call first in a test that needs server control: under --url it skips with the reason. */
export function needsControl(ctx: TestContext): void {
  if (!server.controlled) ctx.skip(SKIP_NO_CONTROL);
}
