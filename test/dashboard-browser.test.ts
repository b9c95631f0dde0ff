// Practice 09's reference dashboard, seen as a person sees it: the reference solution is started the
// way the gates start it, given some traffic, and /dashboard is opened in headless Chromium with
// JavaScript disabled. The figures must be on screen (the page's rendered, visible text), and a
// screenshot is kept as an artifact for a person to look at.
import { accessSync, constants, mkdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { chromium, type Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { resolvePractice } from "../src/core/catalog/practices.js";
import { HOST, type LearnerServer, startLearnerServer } from "../src/core/check/learner-server.js";
import { freePort } from "../src/core/check/ports.js";
import { buildWorkspace, ROOT } from "./helpers.js";

const ARTIFACT = join(ROOT, "test-artifacts", "09-dashboard.png");

/**
 * DRILL_TEST_CHROMIUM when set (taken as it is: a wrong path fails the test rather than skipping
 * it), else `chromium` on PATH; undefined when there is none.
 */
function findChromium(): string | undefined {
  if (process.env.DRILL_TEST_CHROMIUM) return process.env.DRILL_TEST_CHROMIUM;
  return (process.env.PATH ?? "")
    .split(delimiter)
    .map((dir) => join(dir, "chromium"))
    .find((path) => {
      try {
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

const CHROMIUM = findChromium();
const NO_CHROMIUM = "no Chromium: set DRILL_TEST_CHROMIUM or put chromium on PATH (Debian: apt-get install chromium)";

async function send(base: string, method: string, path: string, json?: unknown): Promise<number> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(json === undefined ? {} : { body: JSON.stringify(json), headers: { "content-type": "application/json" } }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** What a person sees in the element: its rendered text (hidden elements and markup excluded). */
function onScreen(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, not the DOM's, is what this test is about
  return locator.innerText().then((text) => text.trim());
}

interface Summary {
  model: { version: string; note: string };
  totals: { requests: number; errors: number; error_rate: number };
  routes: Array<{ method: string; route: string; requests: number; errors: number; error_rate: number; p50_ms: number; p95_ms: number }>;
}

describe("practice 09's reference dashboard in a browser", () => {
  it("shows the figures with JavaScript disabled, and escapes what an operator typed", async (ctx) => {
    if (!CHROMIUM) ctx.skip(NO_CHROMIUM);
    const practice = resolvePractice("09");
    const workspace = buildWorkspace(practice, { reference: true });
    const port = await freePort(HOST);
    const server: LearnerServer = await startLearnerServer({
      command: [join(workspace, ".venv", "bin", "python"), "-m", "uvicorn", "app.main:app", "--host", HOST, "--port", String(port)],
      cwd: workspace,
      env: { ...process.env, ...practice.env, HOST, PORT: String(port), PYTHONUNBUFFERED: "1" },
      port,
      readyTimeoutMs: practice.readyTimeoutSeconds * 1000,
    });
    const browser = await chromium.launch({
      executablePath: CHROMIUM as string,
      // As root (CI), Chromium refuses to start with its sandbox.
      args: process.getuid?.() === 0 ? ["--no-sandbox"] : [],
    });
    try {
      const base = server.baseUrl;
      const version = "sentiment-1.5.0-canary";
      const note = "<b>canary</b> for 10% of traffic & rising";
      expect(await send(base, "PUT", "/model", { version, note })).toBe(200);
      expect(await send(base, "POST", "/predict", { text: "great service, would recommend" })).toBe(200);
      expect(await send(base, "POST", "/predict", { text: "Terrible support and a slow refund." })).toBe(200);
      expect(await send(base, "POST", "/predict", { text: "great [fail]" })).toBe(503);
      for (const delay of [40, 80, 120, 160]) expect(await send(base, "GET", `/debug/latency/${delay}`)).toBe(200);
      expect(await send(base, "GET", "/debug/latency/10?status=502")).toBe(502);
      expect(await send(base, "GET", "/no-such-page")).toBe(404);
      const summaryResponse = await fetch(`${base}/dashboard/summary`);
      const summary = (await summaryResponse.json()) as Summary;
      expect(summary.totals.requests).toBe(10);
      expect(summary.totals.errors).toBe(2);

      const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 720 } });
      const page = await context.newPage();
      const response = await page.goto(`${base}/dashboard`);
      expect(response?.status()).toBe(200);
      mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
      await page.screenshot({ path: ARTIFACT, fullPage: true });
      console.log(`practice 09 dashboard screenshot: ${ARTIFACT}`);

      const visible = (selector: string) => onScreen(page.locator(selector));
      expect(await page.locator("#model-version").isVisible()).toBe(true);
      expect(await visible("#model-version")).toBe(version);
      expect(await visible("#model-note")).toBe(note);
      expect(await page.locator("#model-note b").count(), "the note's <b> is text, not markup").toBe(0);
      expect(await visible("#total-requests")).toBe("10");
      expect(await visible("#total-errors")).toBe("2");
      expect(await visible("#total-error-rate")).toBe("20.0%");

      const body = await visible("body");
      for (const row of summary.routes) {
        const tr = page.locator(`#routes tr[data-method="${row.method}"][data-route="${row.route}"]`);
        expect(await tr.isVisible(), `${row.method} ${row.route}`).toBe(true);
        const text = await onScreen(tr);
        expect(text).toContain(row.route);
        expect(await onScreen(tr.locator(".requests"))).toBe(String(row.requests));
        expect(await onScreen(tr.locator(".errors"))).toBe(String(row.errors));
        expect(await onScreen(tr.locator(".error-rate"))).toBe(`${(row.error_rate * 100).toFixed(1)}%`);
        for (const [cell, ms] of [
          [".p50", row.p50_ms],
          [".p95", row.p95_ms],
        ] as const) {
          const shown = /^(\d+) ms$/.exec(await onScreen(tr.locator(cell)));
          expect(shown, `${row.method} ${row.route} ${cell}`).not.toBeNull();
          expect(Math.abs(Number(shown?.[1]) - ms)).toBeLessThanOrEqual(0.5);
        }
      }
      expect(body).toContain("/debug/latency/{delay_ms}");
      expect(body).toContain("unmatched");
      expect(body).not.toContain("/no-such-page");
      await context.close();
    } finally {
      await browser.close();
      await server.process.stop();
    }
  });
});
