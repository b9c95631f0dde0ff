// A failing requirement shows its request as curl; pasted into a shell it must send the bytes
// the suite sent, also for header values outside ASCII (fetch sends them one byte per character).
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { toCurl } from "../../hidden-tests/harness/http.js";

/** What bash makes of the printed command: the argv curl would get. */
function argvOf(command: string): string[] {
  const script = `set -- ${command.replace(/^curl /, "")}; for a in "$@"; do printf '%s\\0' "$a"; done`;
  return execFileSync("bash", ["-c", script]).toString("latin1").split("\0").slice(0, -1);
}

describe("toCurl", () => {
  it("writes plain headers in single quotes", () => {
    const command = toCurl({ method: "GET", url: "http://127.0.0.1:1/me", headers: { "x-api-key": "it's" } });
    expect(command).toBe(`curl -i -X GET 'http://127.0.0.1:1/me' -H 'x-api-key: it'\\''s'`);
    expect(argvOf(command)).toEqual(["-i", "-X", "GET", "http://127.0.0.1:1/me", "-H", "x-api-key: it's"]);
  });

  it("writes a non-ASCII header as $'…\\xHH' with the byte fetch sends", () => {
    const command = toCurl({ method: "GET", url: "http://127.0.0.1:1/me", headers: { "x-api-key": "caf\u00e9 'q' \\" } });
    expect(command).toContain(`$'x-api-key: caf\\xe9 \\x27q\\x27 \\x5c'`);
    const header = argvOf(command)[5] ?? "";
    expect(Buffer.from(header, "latin1")).toEqual(Buffer.from("x-api-key: caf\u00e9 'q' \\", "latin1"));
  });

  it("keeps a body as UTF-8 text", () => {
    const command = toCurl({ method: "POST", url: "http://127.0.0.1:1/p", headers: {}, body: '{"text":"déjà"}' });
    expect(command).toContain(`--data-raw '{"text":"déjà"}'`);
  });
});
