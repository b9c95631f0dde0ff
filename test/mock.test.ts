// drill mock end to end: the built CLI without a terminal (bad input, the record, one day at a
// time, the report in drill stats), and in tmux at 80x24 with a day shortened by the tests'
// knob (DRILL_MOCK_DAY_SECONDS, test/README.md): the boxes on screen, a check recorded at each
// boundary, the report at the end. The workspace has no Python (DRILL_SKIP_PYTHON), so every
// check is "the server did not start": still a check of the learner's code, recorded.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mockBoxes, mockReport } from "../src/core/modes/mock.js";
import { appendHistory, loadHistory } from "../src/core/record/history.js";
import { activeMs, checks } from "../src/core/record/timeline.js";
import { CLI, expectCleanFailure, runCli, tempDir } from "./helpers.js";
import { hasTmux, press, startInTmux, visible, waitFor } from "./tmux.js";

describe("drill mock without a terminal", () => {
  it("refuses bad input with one line and exit 2", async () => {
    const home = tempDir();
    expectCleanFailure(await runCli(["mock", "99"], { home }), /there is no practice "99"/);
    expectCleanFailure(await runCli(["mock", "01", "02"], { home }), /too many arguments/);
    expectCleanFailure(await runCli(["mock", "01"], { home, env: { DRILL_MOCK_DAY_SECONDS: "soon" } }), /DRILL_MOCK_DAY_SECONDS/);
    expect(loadHistory(home).sessions).toHaveLength(0);
  });

  it("lays out the workspace, records a mock of the day's length, runs one day at a time, and drill stats shows it", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "mock");
    const started = await runCli(["mock", "01", "--dir", dir], { home });
    expect(started.exitCode, started.all).toBe(0);
    expect(started.all).toContain("Interview mock: 01 Async ML inference, a 5:30:00 day in six boxes:");
    expect(started.all).toContain("read 15:00 · boilerplate 45:00 · core logic 2:30:00 · testing 1:00:00");
    const [session] = loadHistory(home).sessions;
    expect(session).toMatchObject({ practice: "01-async-inference", workspace: dir, mode: "mock", timerMinutes: 330 });

    const again = await runCli(["mock", "03", "--dir", join(tempDir(), "other")], { home });
    expectCleanFailure(again, /a mock is still running: 01 Async ML inference in .*mock/);

    const stats = await runCli(["stats"], { home });
    expect(stats.exitCode, stats.all).toBe(0);
    expect(stats.all).toMatch(/Interview mock: 01 Async ML inference, .*\n {2}never all green · still running/);
    expect(stats.all).toMatch(/ {4}15:00 read {12}not reached/);
    // --json gives the same report as data.
    const json = JSON.parse((await runCli(["stats", "--json"], { home })).stdout) as {
      mocks: Array<{ practice: string; over: boolean; boundaries: Array<{ reached: boolean }> }>;
      reviews: unknown[];
    };
    expect(json.mocks).toHaveLength(1);
    expect(json.mocks[0]).toMatchObject({ practice: "01-async-inference", over: false });
    expect(json.mocks[0]?.boundaries).toHaveLength(6);
    expect(json.reviews).toEqual([]);
  });
});

describe.skipIf(!hasTmux)("drill mock in a terminal", () => {
  it("shows the boxes in 80 columns, checks at each boundary, and ends the day with the report", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "mock");
    const name = startInTmux(
      `node ${CLI} mock 01 --dir ${dir}`,
      { DRILL_HOME: home, NO_COLOR: "1", DRILL_SKIP_PYTHON: "1", DRILL_MOCK_DAY_SECONDS: "90" },
      tempDir(),
      { columns: 80, rows: 24 },
    );
    await waitFor(name, /01 Async ML inference · (read|boilerplate) \d\d:\d\d left · day \d\d:\d\d of 01:30/);
    expect(visible(name).join("\n")).toMatch(/box [12]\/6: /);
    await waitFor(name, /⏰ \d\d:\d\d: \w+ is over/);
    // The whole day (90 s), its last check, then the report in the countdown's last words.
    const end = await waitFor(name, /Interview mock: 01 Async ML inference[\s\S]*01:30 buffer[\s\S]*EXIT=0/, 200_000);
    expect(end).toContain("never all green");
    for (const line of visible(name)) expect(line.length).toBeLessThanOrEqual(80);

    const [session] = loadHistory(home).sessions;
    if (!session) throw new Error("no session recorded");
    const boxes = mockBoxes(session);
    const report = mockReport(session);
    // Every boundary reached and checked (the check of the learner's code: no Python, so the server did not start).
    expect(report.boundaries.map((b) => b.reached)).toEqual([true, true, true, true, true, true]);
    for (const boundary of report.boundaries) expect(boundary.check?.error, JSON.stringify(boundary)).toMatch(/server/);
    // Each boundary's check started after its boundary, and before the next one.
    for (const [index, boundary] of report.boundaries.entries()) {
      const at = activeMs(session, new Date(boundary.check?.at ?? 0));
      expect(at).toBeGreaterThanOrEqual(boxes[index]?.endMs ?? Number.NaN);
    }
    expect(checks(session).length).toBeGreaterThanOrEqual(6);
    // The day ended without green: the attempt is recorded as ended, and nothing more runs.
    expect(session.events.at(-1)).toMatchObject({ type: "end" });
    press(name, "q");
  }, 240_000);
});

describe.skipIf(!hasTmux)("leaving a mock and coming back", () => {
  it("Ctrl-C leaves the day running; after a green check, drill resume continues the same mock", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "mock");
    const env = { DRILL_HOME: home, NO_COLOR: "1", DRILL_SKIP_PYTHON: "1" };
    const first = startInTmux(`node ${CLI} mock 01 --dir ${dir} --no-watch`, env, tempDir(), { columns: 80, rows: 24 });
    await waitFor(first, /read \d\d:\d\d left · day \d\d:\d\d of 5:30:00/);
    press(first, "C-c");
    await waitFor(first, /the clock keeps running[\s\S]*EXIT=130/);
    const [session] = loadHistory(home).sessions;
    if (!session) throw new Error("no session recorded");
    // Green (as a check in another terminal would record it): a drill would be over; the day is not.
    const requirements = { "R01.1": "passed" as const };
    appendHistory(
      [
        {
          type: "check",
          at: new Date().toISOString(),
          mode: "managed",
          passed: 1,
          failed: 0,
          skipped: 0,
          requirements,
          session: session.id,
        },
      ],
      home,
    );
    const again = startInTmux(`node ${CLI} resume --dir ${dir} --no-watch`, env, tempDir(), { columns: 80, rows: 24 });
    await waitFor(again, /01 Async ML inference · read \d\d:\d\d left · day \d\d:\d\d of 5:30:00/);
    expect(visible(again).join("\n")).toContain("box 1/6: read the whole problem");
    expect(loadHistory(home).sessions.map((s) => s.id)).toEqual([session.id]);
    press(again, "C-c");
    await waitFor(again, /EXIT=130/);
  }, 60_000);
});
