// drill stats: numbers with known answers from fixture histories (test/fixtures/histories),
// the readiness checklist, the chart, and the command through the built binary.
import { copyFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadHistory, type History, type Session, type SessionEvent } from "../src/core/record/history.js";
import { loadPractices, resolvePractice } from "../src/core/catalog/practices.js";
import { assessReadiness, composeProblems, dockerfileProblems, type ReadinessItem } from "../src/core/progress/readiness.js";
import { collectStats, median, type PracticeStats, type StatsRow } from "../src/core/progress/stats.js";
import { CHART_WIDTH, renderTimeToGreenChart } from "../src/ui/chart.js";
import { buildSession, checkEvent, countsCheck, MIN, minutesAfter } from "./builders.js";
import { ROOT, runCli, tempDir } from "./helpers.js";

const FIXTURES = join(ROOT, "test", "fixtures", "histories");
const NOW = new Date("2026-03-06T12:00:00.000Z");
const P01 = resolvePractice("01");
const P03 = resolvePractice("03");
const D1 = resolvePractice("D1");

/** A DRILL_HOME holding the fixture as its history.jsonl. */
function homeWith(fixture: string): string {
  const home = tempDir();
  copyFileSync(join(FIXTURES, fixture), join(home, "history.jsonl"));
  return home;
}

function practiceStats(history: History, practice = P01): PracticeStats {
  const [stats] = collectStats(history, [practice], NOW).practices;
  if (!stats) throw new Error("no stats");
  return stats;
}

function row(stats: PracticeStats, key: StatsRow) {
  const found = stats.rows.find((r) => r.row === key);
  if (!found) throw new Error(`no row ${key}`);
  return found;
}

function item(items: ReadinessItem[], id: ReadinessItem["id"]): ReadinessItem {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`no item ${id}`);
  return found;
}

const T0 = "2026-03-02T09:00:00.000Z";
const at = (minutes: number) => minutesAfter(T0, minutes);

/** A session of practice 03 (or 01) built in code, for the readiness edges. */
function session(practice: string, events: SessionEvent[], fields: Partial<Session> = {}): Session {
  return buildSession(practice, events, { id: `${practice}-${events.length}`, startedAt: T0, workspace: "/nonexistent", ...fields });
}

const check = (minutes: number, requirements: Record<string, "passed" | "failed">) => checkEvent(at(minutes), requirements);

/** A check where all of a practice's eight requirements passed. */
const green = (minutes: number): SessionEvent => countsCheck(at(minutes), 8);

const statuses = (ids: string[], status: "passed" | "failed") => Object.fromEntries(ids.map((id) => [id, status]));
const AUTH = P03.milestones?.["api-key-auth"] ?? [];

describe("median", () => {
  it("is the middle value of an odd count and the mean of the two middle values of an even count", () => {
    expect(median([50, 40, 70])).toBe(50);
    expect(median([45, 30])).toBe(37.5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe("collectStats from a recorded week (week.jsonl)", () => {
  const history = () => loadHistory(homeWith("week.jsonl"));

  it("phase 3 of 01: best, median (odd count), last, pauses left out, overtime, checks to green, hints", () => {
    const speed = row(practiceStats(history()), 3);
    // Green at 50, at 40 (50 on the wall clock, 10 paused) and at 70 with a 60-minute timer.
    expect(speed).toMatchObject({ attempts: 3, green: 3, bestMs: 40 * MIN, medianMs: 50 * MIN, lastMs: 70 * MIN, overtime: 1 });
    // 2, 1 and 3 checks (a check whose server never started counts: the learner ran it).
    expect(speed.medianChecksToGreen).toBe(2);
    expect(speed).toMatchObject({ hints: 3, hintsPerAttempt: 1, abandoned: 0, skipped: 0, open: 0 });
  });

  it("phase 2 of 01: the median of an even count, green on the timer's last minute is not overtime, an abandoned attempt past it is", () => {
    const muscle = row(practiceStats(history()), 2);
    expect(muscle).toMatchObject({
      attempts: 3,
      green: 2,
      bestMs: 30 * MIN,
      medianMs: 37.5 * MIN,
      lastMs: 45 * MIN,
      overtime: 1,
      abandoned: 1,
    });
  });

  it("break sessions form a row of their own, and an open one past its timer counts as overtime", () => {
    const stats = practiceStats(history());
    expect(stats.rows.map((r) => r.row)).toEqual([2, 3, "break"]);
    expect(row(stats, "break")).toMatchObject({ attempts: 2, green: 1, bestMs: 8 * MIN, overtime: 1, open: 1 });
    expect(stats.attempts).toBe(8);
  });

  it("keeps every attempt in start order for the chart, with how it ended", () => {
    const series = practiceStats(history()).series;
    expect(series.map((p) => (p.timeToGreenMs === null ? null : p.timeToGreenMs / MIN))).toEqual([50, 40, 70, 30, 45, null, 8, null]);
    expect(series.map((p) => p.status)).toEqual(["passed", "passed", "passed", "passed", "passed", "abandoned", "passed", "active"]);
  });

  it("03: a skipped attempt, and checks to green counted up to the first green check", () => {
    expect(row(practiceStats(history(), P03), 3)).toMatchObject({
      attempts: 2,
      green: 1,
      bestMs: 30 * MIN,
      medianChecksToGreen: 4,
      skipped: 1,
    });
  });
});

describe("collectStats at the edges", () => {
  it("an empty history (no file) gives every practice zero attempts", () => {
    const stats = collectStats(loadHistory(tempDir()), loadPractices(), NOW);
    expect(stats.practices.map((p) => p.id)).toEqual(loadPractices().map((p) => p.id));
    expect(stats.practices.every((p) => p.attempts === 0 && p.rows.length === 0 && p.series.length === 0)).toBe(true);
  });

  it("a history with a torn line: the line is left out, the rest is counted", () => {
    const history = loadHistory(homeWith("torn-line.jsonl"));
    expect(history.damaged).toEqual([4]);
    expect(row(practiceStats(history), 3)).toMatchObject({ attempts: 1, green: 1, bestMs: 40 * MIN, medianChecksToGreen: 2 });
  });
});

describe("the readiness checklist", () => {
  it("from the recorded week: 01 in under an hour, auth at 12 minutes, no CORS drill yet, no Docker files, two practices not studied", () => {
    const items = assessReadiness(loadHistory(homeWith("week.jsonl")), [P01, P03, D1]);
    expect(items.map((i) => i.id)).toEqual([
      "practice-01-in-60",
      "api-key-auth-in-15",
      "docker-from-memory",
      "cors-debugged",
      "architecture-explained",
    ]);
    expect(item(items, "practice-01-in-60")).toMatchObject({ met: true, stillNeeds: null });
    expect(item(items, "practice-01-in-60").evidence).toContain("30:00");
    expect(item(items, "api-key-auth-in-15").met).toBe(true);
    expect(item(items, "api-key-auth-in-15").evidence).toContain("12:00");
    // CORS fixed inside practice 03 no longer counts: the criterion is the CORS debugging drill.
    expect(item(items, "cors-debugged")).toMatchObject({ met: false, evidence: "no attempt at D1 yet" });
    expect(item(items, "cors-debugged").stillNeeds).toContain("`drill debug cors`");
    expect(item(items, "docker-from-memory").met).toBe(false);
    expect(item(items, "docker-from-memory").evidence).toContain("cannot build");
    expect(item(items, "architecture-explained").met).toBe(true);
  });

  it("names the fire-drill practices not studied yet, and says explaining aloud is still the learner's", () => {
    const history = { sessions: [], studies: [{ at: T0, practice: P01.slug }] };
    const architecture = item(assessReadiness(history, [P01, P03]), "architecture-explained");
    expect(architecture.met).toBe(false);
    expect(architecture.stillNeeds).toBe("`drill study 03`, then explain each one's key blocks aloud");
  });

  it("01 at exactly 60 minutes is not under 60; a break session's 8 minutes does not count", () => {
    const exactlyAnHour = session(P01.slug, [green(60)]);
    const brokenAndFixed = session(P01.slug, [green(8)], { mode: "break", id: "break" });
    const first = item(assessReadiness({ sessions: [exactlyAnHour, brokenAndFixed], studies: [] }, [P01, P03]), "practice-01-in-60");
    expect(first.met).toBe(false);
    expect(first.stillNeeds).toContain("bring your best, 1:00:00, under 60:00");
  });

  it("auth measured at the first check where every auth requirement passed: 16 minutes is not under 15", () => {
    const slow = session(P03.slug, [check(10, { ...statuses(AUTH, "passed"), "R03.5": "failed" }), check(16, statuses(AUTH, "passed"))]);
    const auth = item(assessReadiness({ sessions: [slow], studies: [] }, [P01, P03]), "api-key-auth-in-15");
    expect(auth.met).toBe(false);
    expect(auth.evidence).toContain("16:00");
  });

  describe("a CORS error debugged without searching: drill D1 green within its time box, no hint", () => {
    const cors = (...sessions: Session[]) => item(assessReadiness({ sessions, studies: [] }, [P01, P03, D1]), "cors-debugged");
    const d1 = (events: SessionEvent[], fields: Partial<Session> = {}) =>
      session(D1.slug, [check(3, { "RD1.2": "failed" }), ...events], { phase: 2, timerMinutes: 15, ...fields });
    const hint = (minutes: number): SessionEvent => ({ type: "hint", at: at(minutes), index: 0 });

    it("green at 12 minutes without a hint is met, with the time and the box", () => {
      const item = cors(d1([green(12)]));
      expect(item.met).toBe(true);
      expect(item.evidence).toContain("12:00");
      expect(item.evidence).toContain("15:00");
    });

    it("exactly at the box counts; a minute over does not, and says the best time", () => {
      expect(cors(d1([green(15)])).met).toBe(true);
      const slow = cors(d1([green(16)]));
      expect(slow.met).toBe(false);
      expect(slow.evidence).toContain("16:00");
    });

    it("a hint or the reference seen before green does not count; a hint after green does not matter", () => {
      expect(cors(d1([hint(5), green(8)]))).toMatchObject({ met: false });
      expect(cors(d1([hint(5), green(8)])).evidence).toContain("took a hint");
      expect(cors(d1([{ type: "reference-seen", at: at(6) }, green(8)])).met).toBe(false);
      expect(cors(d1([green(8), hint(9)])).met).toBe(true);
    });

    it("the box is the drill's, not the timer the learner chose; an attempt never green is not met", () => {
      expect(cors(d1([green(20)], { timerMinutes: 30 })).met).toBe(false);
      expect(cors(d1([]))).toMatchObject({ met: false, evidence: "1 attempt at D1, none green yet" });
    });

    it("drill D1's attempts are timed in a row of their own, never as phase 2", () => {
      const [stats] = collectStats({ sessions: [d1([green(12)]), d1([])] }, [D1], NOW).practices;
      expect(stats?.rows.map((r) => r.row)).toEqual(["debug"]);
      expect(stats?.rows[0]).toMatchObject({ attempts: 2, green: 1, bestMs: 12 * MIN });
    });

    it("practice 03's CORS requirements passing is no longer the measure", () => {
      const p03 = session(P03.slug, [check(20, { "R03.12": "failed" }), check(25, { "R03.12": "passed" })]);
      expect(cors(p03).met).toBe(false);
    });
  });

  it("Docker files in a green workspace: met when both pass the static check, else what is missing", () => {
    const workspace = tempDir();
    const built = session(P01.slug, [green(40)], { workspace });
    const assess = () => item(assessReadiness({ sessions: [built], studies: [] }, [P01, P03]), "docker-from-memory");
    writeFileSync(join(workspace, "Dockerfile"), "FROM python:3.12-slim\nWORKDIR /app\n");
    expect(assess()).toMatchObject({ met: false });
    expect(assess().stillNeeds).toContain("RUN pip install -r requirements.txt");
    expect(assess().stillNeeds).toContain("a docker-compose.yml");
    writeFileSync(
      join(workspace, "Dockerfile"),
      'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir \\\n    -r requirements.txt\nCOPY . .\nCMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]\n',
    );
    writeFileSync(
      join(workspace, "compose.yaml"),
      'services:\n  api:\n    build: .\n    ports:\n      - "8000:8000"\n  redis:\n    image: redis:7\n',
    );
    expect(assess()).toMatchObject({ met: true, stillNeeds: null });
    expect(assess().evidence).toContain(workspace);
  });
});

describe("the Docker static checks", () => {
  it("accepts the usual forms", () => {
    expect(
      dockerfileProblems(
        "FROM docker.io/library/python:3.12\nRUN python -m pip install -r requirements.txt\nENTRYPOINT uvicorn app.main:app --host 0.0.0.0\n",
      ),
    ).toEqual([]);
    expect(
      composeProblems("services:\n  app:\n    build:\n      context: .\n    ports:\n      - target: 8000\n        published: 8000\n"),
    ).toEqual([]);
  });

  it("names each miss", () => {
    expect(dockerfileProblems("FROM node:20\nRUN npm ci\nCMD uvicorn app.main:app --host 127.0.0.1\n")).toEqual([
      "Dockerfile: FROM a python image",
      "Dockerfile: RUN pip install -r requirements.txt",
      "Dockerfile: CMD starting uvicorn on 0.0.0.0",
    ]);
    expect(composeProblems("version: '3'\napp:\n  build: ./other\n")).toEqual([
      "compose: a top-level services: map",
      "compose: the app service with build: . or an image:",
      'compose: a port mapping such as ports: ["8000:8000"]',
    ]);
  });
});

describe("the time-to-green chart", () => {
  it("draws one bar per attempt on a minute scale, says how attempts that never went green ended, and stays within 72 columns", () => {
    const lines = renderTimeToGreenChart(practiceStats(loadHistory(homeWith("week.jsonl"))).series);
    expect(lines).toHaveLength(8 + 2);
    expect(lines[0]).toMatch(/^#1 p3\s+█+ 50:00$/);
    expect(lines[2]).toMatch(/█ 1:10:00 over$/);
    expect(lines[5]).toContain("not green (abandoned, past the timer)");
    expect(lines[6]).toMatch(/^#7 brk\s+█+ 08:00$/);
    expect(lines.at(-1)).toMatch(/^\s+0\s+15\s+30\s+45\s+60\s+75 min$/);
    // Bars are proportional: 40 minutes is four fifths of 50.
    const cells = (line: string | undefined) => (line?.match(/█+/)?.[0] ?? "").length;
    expect(cells(lines[1]) / cells(lines[0])).toBeCloseTo(0.8, 1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(CHART_WIDTH);
  });

  it("shows only the last 12 attempts and says so", () => {
    const point = { session: "s", startedAt: T0, row: 3 as const, status: "passed" as const, timeToGreenMs: 30 * MIN, overtime: false };
    const lines = renderTimeToGreenChart(Array.from({ length: 15 }, () => point));
    expect(lines[0]).toBe("(the last 12 of 15 attempts)");
    expect(lines[1]).toMatch(/^#4 p3/);
  });
});

describe("drill stats (built binary)", () => {
  it("prints a table per practice, the chart and the checklist", async () => {
    const result = await runCli(["stats"], { home: homeWith("week.jsonl") });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/^01 Async ML inference$/im);
    expect(result.stdout).toMatch(/2 muscle memory\s+3\s+2\s+30:00\s+37:30\s+45:00/);
    expect(result.stdout).toMatch(/break & fix\s+2\s+1\s+08:00/);
    expect(result.stdout).toMatch(/#3 p3\s+█+ 1:10:00 over/);
    expect(result.stdout).toMatch(/✔ Practice 01 .* under 60 minutes/);
    expect(result.stdout).toMatch(/✘ A Dockerfile and docker-compose.yml/);
    expect(result.stderr).toBe("");
  });

  it("--practice limits the stats to one practice; --json prints the same data", async () => {
    const home = homeWith("week.jsonl");
    const result = await runCli(["stats", "--practice", "3", "--json"], { home });
    expect(result.exitCode, result.all).toBe(0);
    const report = JSON.parse(result.stdout) as { stats: { practices: PracticeStats[] }; readiness: ReadinessItem[] };
    expect(report.stats.practices.map((p) => p.slug)).toEqual(["03-api-security"]);
    expect(report.stats.practices[0]?.rows[0]).toMatchObject({ row: 3, attempts: 2, bestMs: 30 * MIN, skipped: 1 });
    // The checklist always looks at every practice: 01's time counts under --practice 3.
    expect(report.readiness.map((i) => [i.id, i.met]).slice(0, 2)).toEqual([
      ["practice-01-in-60", true],
      ["api-key-auth-in-15", true],
    ]);
    const text = await runCli(["stats", "--practice", "api-security"], { home });
    expect(text.stdout).toMatch(/^03 API security$/m);
    expect(text.stdout).not.toMatch(/^01 Async ML inference$/m);
  });

  it("an unknown --practice is a usage error naming the known ones", async () => {
    const result = await runCli(["stats", "--practice", "42"], { home: tempDir() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('there is no practice "42"');
  });

  it("with nothing recorded: how to begin, and the checklist, exit 0", async () => {
    const result = await runCli(["stats"], { home: tempDir() });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toContain("No drills recorded yet");
    expect(result.stdout).toContain("Readiness: 0 of 5");
  });

  it("with a torn line: warns on stderr, counts the rest, exit 0, and --json stays clean", async () => {
    const home = homeWith("torn-line.jsonl");
    const result = await runCli(["stats"], { home });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toMatch(/line 4 could not be read/);
    expect(result.stdout).toMatch(/3 speed drills\s+1\s+1\s+40:00/);
    const json = await runCli(["stats", "--practice", "01", "--json"], { home });
    expect(json.stderr).toMatch(/line 4 could not be read/);
    expect((JSON.parse(json.stdout) as { stats: { practices: PracticeStats[] } }).stats.practices[0]?.attempts).toBe(1);
  });
});
