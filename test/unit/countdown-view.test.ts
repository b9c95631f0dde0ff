// The countdown's frame, rendered without a terminal at the widths learners have: every line
// fits, the clock and the board are there, and a long board keeps the first failure in view.
import { describe, expect, it } from "vitest";
import stringWidth from "string-width";
import { BURST_NOTE, INTRO, renderFrame, type BoardRow, type CockpitState } from "../../src/ui/countdown-view.js";
import { fitWidth, reflow, wrapWidth } from "../../src/ui/fit.js";
import { buildSession, checkEvent, minutesAfter } from "../builders.js";

const START = "2026-03-02T09:00:00.000Z";

function board(count: number, failing: number[] = []): BoardRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `R03.${i + 1}`,
    text: `requirement number ${i + 1} says something long enough to need cutting at narrow widths 日本語 🎉`,
    mark: failing.includes(i + 1) ? "failed" : i < 3 ? "passed" : "unknown",
    ...(failing.includes(i + 1) ? { reason: `expected: status 200 for GET /thing/${i + 1}, got 404 with a body that goes on and on` } : {}),
  }));
}

function state(overrides: Partial<CockpitState> = {}): CockpitState {
  const session = buildSession("03-api-security", [checkEvent(minutesAfter(START, 5), { "R03.1": "passed", "R03.4": "failed" })], {
    startedAt: START,
    timerMinutes: 30,
  });
  return {
    target: { kind: "session", sessionId: session.id },
    view: { session, progress: undefined },
    now: new Date(minutesAfter(START, 10)),
    title: "03 API security",
    board: board(17, [4, 9]),
    check: { phase: "idle" },
    lastRun: "last check 3/17 in 7.0 s",
    watching: true,
    polling: false,
    queued: false,
    message: INTRO,
    ...overrides,
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes this strips
const plain = (line: string) => line.replace(/\u001b\[[0-9;]*m/g, "");

describe("renderFrame", () => {
  for (const columns of [40, 60, 80, 100, 200]) {
    for (const rows of [12, 24, 50]) {
      it(`fits ${columns}x${rows}: no line wider than the terminal, no more lines than it has`, () => {
        const frame = renderFrame(state(), { columns, rows });
        expect(frame.length).toBeLessThanOrEqual(rows);
        for (const line of frame) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
        const text = frame.map(plain).join("\n");
        // The clock, the watcher and the keys are always on screen.
        expect(text).toMatch(/20:00 left/);
        expect(frame.at(-1)).toMatch(/\[c/);
        expect(text).toContain("watching");
        // The first failure is in view, with its reason when there is room for a word of it.
        expect(text).toContain("✘ R03.4");
        expect(frame.some((line) => line.includes("expected:"))).toBe(true);
      });
    }
  }

  it("names what the watcher re-checks on: *.py, and practice 00's Docker files too; polling and off said as such", () => {
    const line = (overrides: Partial<CockpitState>) =>
      renderFrame(state(overrides), { columns: 100, rows: 24 })
        .map(plain)
        .find((l) => /watching/.test(l));
    expect(line({})).toMatch(/watching \*\.py(?! \+)/);
    expect(line({ watchingDocker: true })).toContain("watching *.py + Docker files");
    expect(line({ watchingDocker: true, polling: true })).toContain("watching *.py + Docker files (polling)");
    expect(line({ watching: false })).toContain("not watching (w turns it on)");
  });

  it("shows every requirement in order with its mark when the screen is tall enough", () => {
    const text = renderFrame(state(), { columns: 200, rows: 40 }).map(plain);
    const ids = text.flatMap((line) => /^[✔✘·○…] (R03\.\d+)/.exec(line)?.[1] ?? []);
    expect(ids).toEqual(Array.from({ length: 17 }, (_, i) => `R03.${i + 1}`));
    expect(text).toContain(`✔ ${board(1)[0]?.id} ${board(1)[0]?.text}`);
    expect(text.filter((line) => line.includes("expected:"))).toHaveLength(1);
  });

  it("summarises the requirements that do not fit at 12 rows, keeping the first failure", () => {
    const text = renderFrame(state({ board: board(17, [12]) }), { columns: 80, rows: 12 }).map(plain);
    expect(text).toHaveLength(12);
    expect(text.join("\n")).toContain("✘ R03.12");
    expect(text.join("\n")).toMatch(/… \d+ more lines · 3 ✔ · 1 ✘ · 13 ·/);
  });

  it("says what a running check does, a prompt, the burst note and overtime", () => {
    const running = state({
      check: { phase: "running", scope: "failing", count: 2, done: 1, startedAt: Date.parse(minutesAfter(START, 10)) - 3000 },
      queued: true,
    });
    expect(plain(renderFrame(running, { columns: 100, rows: 24 })[1] ?? "")).toBe(
      "re-checking 2 failing first · 1/2 · 3 s · one more queued",
    );
    expect(plain(renderFrame(state({ prompt: "Quit?" }), { columns: 80, rows: 24 })[2] ?? "")).toBe("Quit? [y/n]");
    expect(plain(renderFrame(state({ message: BURST_NOTE }), { columns: 80, rows: 24 })[2] ?? "")).toBe(BURST_NOTE);
    const late = state({ now: new Date(minutesAfter(START, 31)) });
    expect(plain(renderFrame(late, { columns: 80, rows: 24 })[0] ?? "")).toMatch(/OVERTIME \+01:00/);
    const off = state({ watching: false });
    expect(plain(renderFrame(off, { columns: 80, rows: 24 })[1] ?? "")).toMatch(/^not watching \(w turns it on\)/);
  });

  it("wraps a hint at the width instead of the board", () => {
    const body = "Use a dependency that reads the X-API-Key header and raises 401 with WWW-Authenticate when it is missing. ".repeat(3);
    const frame = renderFrame(state({ panel: { title: "hint 4/18: R03.4", body } }), { columns: 40, rows: 24 }).map(plain);
    expect(frame).toContain("hint 4/18: R03.4");
    expect(frame.some((line) => line.startsWith("Use a dependency"))).toBe(true);
    // The hint is wrapped, not cut: no line of it ends in the cut mark.
    expect(frame.slice(3, -1).filter((line) => line.endsWith("…"))).toEqual([]);
    expect(frame.at(-1)).toBe("any key returns to the board");
    expect(frame.join("\n")).not.toContain("R03.1 requirement");
  });

  it("wraps why a check could not run above the board, at most four lines", () => {
    const alert =
      "✘ the server exited (code 1) before GET /health answered\nA module is missing: run `drill setup --dir /tmp/ws` to install the practice's requirements into its .venv, then save again.";
    for (const columns of [40, 80]) {
      const frame = renderFrame(state({ alert }), { columns, rows: 24 }).map(plain);
      const text = frame.join(" ").replace(/\s+/g, " ");
      expect(text).toContain("the server exited (code 1)");
      if (columns === 80) expect(text).toContain("run `drill setup --dir /tmp/ws`");
      expect(frame.length).toBeLessThanOrEqual(24);
      for (const line of frame) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    }
  });

  it("never throws at 0 columns or 1 row", () => {
    expect(renderFrame(state(), { columns: 0, rows: 24 }).every((line) => line === "")).toBe(true);
    expect(renderFrame(state(), { columns: 80, rows: 1 })).toHaveLength(1);
  });
});

describe("fitWidth and wrapWidth", () => {
  it("cuts by the columns a terminal draws, wide characters and colour included", () => {
    expect(fitWidth("abcdef", 4)).toBe("abc…");
    expect(fitWidth("abcd", 4)).toBe("abcd");
    expect(stringWidth(fitWidth("日本語日本語", 5))).toBeLessThanOrEqual(5);
    expect(fitWidth("\u001b[31mabcdef\u001b[39m", 4)).toBe("\u001b[31mabc…\u001b[0m");
    expect(fitWidth("a\nb", 10)).toBe("a b");
  });

  it("joins a hint's hard-wrapped lines back into its paragraphs and list items, code left alone", () => {
    const hint =
      "- FastAPI's `lifespan` runs code\n  once before the first request.\n- Second item\n  goes on.\n\nA paragraph\nthat wraps.\n```python\nx = 1\ny = 2\n```";
    expect(reflow(hint)).toBe(
      "- FastAPI's `lifespan` runs code once before the first request.\n- Second item goes on.\n\nA paragraph that wraps.\n```python\nx = 1\ny = 2\n```",
    );
  });

  it("wraps words at the width, and cuts a word longer than it", () => {
    expect(wrapWidth("one two three four", 9)).toEqual(["one two", "three", "four"]);
    expect(wrapWidth("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
    for (const line of wrapWidth("日本語の長い文章 and emoji 🎉🎉🎉🎉 words", 6)) expect(stringWidth(line)).toBeLessThanOrEqual(6);
  });
});
