// Done when: with a fixture history and an interview date, `drill next`, `drill plan` and
// `drill stats --json` agree on what is due (the built CLI, its JSON).
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fse from "fs-extra";
import { loadPractices, resolvePractice } from "../src/core/catalog/practices.js";
import { addDays, localDate } from "../src/core/progress/dates.js";
import { runCli, TEST_VENV, tempDir } from "./helpers.js";

const DAY = 86_400_000;
const ago = (days: number, minutes = 0) => new Date(Date.now() - days * DAY + minutes * 60_000).toISOString();

/** A finished attempt `days` ago: green after `minutes`, or abandoned then. */
function attempt(id: string, slug: string, days: number, minutes: number, green: boolean): object[] {
  const session = `fixture-${id}-${days}`;
  const start = {
    type: "start",
    at: ago(days),
    session,
    practice: slug,
    workspace: `/w/${slug}`,
    phase: 3,
    timerMinutes: 60,
    mode: "drill",
  };
  const end = green
    ? { type: "check", at: ago(days, minutes), session, mode: "managed", passed: 8, failed: 0, skipped: 0, requirements: {} }
    : { type: "end", at: ago(days, minutes), session, outcome: "abandoned" };
  return [start, end];
}

interface Json {
  [key: string]: unknown;
}

async function json(args: string[], home: string): Promise<Json> {
  const result = await runCli(args, { home });
  expect(result.exitCode, `${args.join(" ")}: ${result.stderr}`).toBe(0);
  return JSON.parse(result.stdout) as Json;
}

describe("drill next, plan and stats agree", () => {
  it("on today's practices and the next one, with a fixture history and an interview date", async () => {
    const home = tempDir();
    mkdirSync(home, { recursive: true });
    const bySlug = (id: string) => loadPractices().find((p) => p.id === id)?.slug ?? id;
    const records = [
      { drill: "history", version: 1 },
      ...attempt("01", bySlug("01"), 2, 30, true), // fast and recent: not due today
      ...attempt("02", bySlug("02"), 3, 50, false),
      ...attempt("04", bySlug("04"), 20, 55, true),
      { type: "interview", at: ago(2), date: addDays(localDate(new Date()), 5) },
    ];
    writeFileSync(join(home, "history.jsonl"), `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);

    const next = await json(["next", "--json"], home);
    const plan = await json(["plan", "--json"], home);
    const stats = await json(["stats", "--json"], home);
    const schedule = stats.schedule as { today: string; next: { id: string }; calendar: Array<{ practices: string[] }> };
    // The three ran in one local day (a run across midnight would compare two days).
    expect(new Set([next.today, plan.today, schedule.today]).size).toBe(1);

    const dueToday = next.dueToday as string[];
    expect(dueToday.length).toBe(2); // the daily cap's two
    expect(dueToday).toContain("02"); // abandoned three days ago: overdue
    expect(dueToday).not.toContain("01");
    expect((plan.dueToday as Array<{ id: string }>).map((d) => d.id)).toEqual(dueToday);
    expect(schedule.calendar[0]?.practices).toEqual(dueToday);

    const nextId = (next.next as { id: string }).id;
    expect(nextId).toBe(dueToday[0]);
    expect((plan.next as { practice: { id: string } }).practice.id).toBe(nextId);
    expect(schedule.next.id).toBe(nextId);
    expect(plan.interview).toMatchObject({ daysLeft: 5 });
    expect(next.daysLeft).toBe(5);
  });
});

describe("drill plan --interview and --daily-cap", () => {
  it("refuse a bad date or cap in one line, exit 2, nothing recorded", async () => {
    const home = tempDir();
    for (const args of [
      ["--interview", "2026-02-30"],
      ["--interview", "next friday"],
      ["--interview", "2020-01-01"],
      ["--daily-cap", "0"],
    ]) {
      const result = await runCli(["plan", ...args], { home });
      expect(result.exitCode, args.join(" ")).toBe(2);
      expect(result.stderr.split("\n")[0]).toMatch(/^✘ (--interview|--daily-cap|the interview date)/);
      expect(result.stderr).not.toMatch(/\bat .+\.js:\d+/);
    }
    expect(existsSync(join(home, "history.jsonl"))).toBe(false);
  });

  it("records each as one event, and the latest date holds", async () => {
    const home = tempDir();
    const inAWeek = addDays(localDate(new Date()), 7);
    expect((await runCli(["plan", "--interview", addDays(inAWeek, 3)], { home })).exitCode).toBe(0);
    const plan = await runCli(["plan", "--interview", inAWeek, "--daily-cap", "3"], { home });
    expect(plan.stdout).toContain(`Interview ${inAWeek}, in 7 days: 7-day plan`);
    const lines = readFileSync(join(home, "history.jsonl"), "utf8").trim().split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { type?: string }).type)).toEqual([undefined, "interview", "interview", "daily-cap"]);
    const next = await json(["next", "--json"], home);
    expect(next).toMatchObject({ interview: inAWeek, daysLeft: 7, dailyCap: 3 });
  });
});

describe("drill next with an attempt still open", () => {
  it("names the open attempt and drill resume before what is due, in text and in --json", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    const start = await runCli(["start", "03", "--dir", dir, "--timer", "60"], { home });
    expect(start.exitCode, start.all).toBe(0);
    const text = await runCli(["next"], { home });
    expect(text.exitCode, text.all).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^Open now: 03 API security in ${dir}\\n {2}drill resume continues it`));
    const json = JSON.parse((await runCli(["next", "--json"], { home })).stdout) as { open: unknown };
    expect(json.open).toEqual({ practice: "03-api-security", workspace: dir, command: "drill resume" });
    // Green, it is no longer open.
    fse.copySync(resolvePractice("03").referenceDir, dir, { filter: (src) => !src.endsWith("key-blocks.json") });
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    const check = await runCli(["check", "--dir", dir], { home, timeout: 120_000 });
    expect(check.exitCode, check.all).toBe(0);
    const after = JSON.parse((await runCli(["next", "--json"], { home })).stdout) as { open: unknown };
    expect(after.open).toBeNull();
  });
});
