// The kit's five success criteria as a checklist. Each is measured from what drill recorded
// (or, for the Docker files, what is in a workspace), and each says honestly what it
// measures: drill can see checks, clocks and files, not whether the learner searched the web
// or can talk through a design.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { History, Session } from "../record/history.js";
import { FIRE_DRILL_PRACTICES } from "../catalog/phases.js";
import type { Practice } from "../catalog/practices.js";
import { activeMs, checks, formatDuration, timeToGreenMs, type CheckEvent } from "../record/timeline.js";
import { readIfPresent } from "../../system/files.js";
import { corsDrillDebugged } from "./cors-readiness.js";

export interface ReadinessItem {
  id: "practice-01-in-60" | "api-key-auth-in-15" | "docker-from-memory" | "cors-debugged" | "architecture-explained";
  label: string;
  met: boolean;
  /** What drill saw, in words. */
  evidence: string;
  /** What is still missing; null once met. */
  stillNeeds: string | null;
}

const PRACTICE_01_LIMIT_MS = 60 * 60_000;
const API_KEY_AUTH_LIMIT_MS = 15 * 60_000;

/** Sessions that build from the scaffold (a break session starts from a working solution). */
function builtFromScratch(history: Pick<History, "sessions">): Session[] {
  return history.sessions.filter((s) => s.mode !== "break");
}

function attemptsAt(history: Pick<History, "sessions">, practice: Practice): Session[] {
  return builtFromScratch(history).filter((s) => s.practice === practice.slug);
}

function allPassed(check: CheckEvent, ids: string[]): boolean {
  return ids.every((id) => check.requirements[id] === "passed");
}

function practice01InAnHour(history: Pick<History, "sessions">, practices: Practice[]): ReadinessItem {
  const base = { id: "practice-01-in-60", label: "Practice 01 (async ML inference) built in under 60 minutes" } as const;
  const practice = practices.find((p) => p.id === "01");
  if (!practice) return { ...base, met: false, evidence: "this drill has no practice 01", stillNeeds: "update drill" };
  const times = attemptsAt(history, practice).flatMap((s) => timeToGreenMs(s) ?? []);
  if (times.length === 0) {
    return {
      ...base,
      met: false,
      evidence: "no attempt at 01 has gone green yet",
      stillNeeds: "build 01 to green within the hour: `drill start 01 --timer 60`",
    };
  }
  const best = Math.min(...times);
  const evidence = `best time to green ${formatDuration(best)} over ${times.length} green attempt${times.length === 1 ? "" : "s"}`;
  return best < PRACTICE_01_LIMIT_MS
    ? { ...base, met: true, evidence, stillNeeds: null }
    : { ...base, met: false, evidence, stillNeeds: `bring your best, ${formatDuration(best)}, under 60:00: \`drill start 01 --timer 60\`` };
}

/** The clock time at the first check where every requirement of the milestone passed. */
function milestoneTimeMs(session: Session, ids: string[]): number | undefined {
  const reached = checks(session).find((check) => allPassed(check, ids));
  return reached ? activeMs(session, new Date(reached.at)) : undefined;
}

function apiKeyAuthInFifteen(history: Pick<History, "sessions">, practices: Practice[]): ReadinessItem {
  const base = { id: "api-key-auth-in-15", label: "API-key auth (practice 03) added in under 15 minutes" } as const;
  const practice = practices.find((p) => p.id === "03");
  const ids = practice?.milestones?.["api-key-auth"];
  if (!practice || !ids) {
    return {
      ...base,
      met: false,
      evidence: "this drill has no practice 03 with an api-key-auth milestone to measure",
      stillNeeds: "update drill",
    };
  }
  const times = attemptsAt(history, practice).flatMap((s) => milestoneTimeMs(s, ids) ?? []);
  const measures = `the clock at the first check of a 03 attempt where ${ids.join(", ")} all pass`;
  if (times.length === 0) {
    return {
      ...base,
      met: false,
      evidence: `no 03 attempt has passed ${ids.join(", ")} yet`,
      stillNeeds: "get the auth requirements passing early in a 03 drill: `drill start 03 --timer 60`, then `drill check` once auth is in",
    };
  }
  const best = Math.min(...times);
  const evidence = `best ${formatDuration(best)}: ${measures}`;
  return best < API_KEY_AUTH_LIMIT_MS
    ? { ...base, met: true, evidence, stillNeeds: null }
    : {
        ...base,
        met: false,
        evidence,
        stillNeeds: `bring your best, ${formatDuration(best)}, under 15:00: build the X-API-Key dependency first and run \`drill check\` as soon as it is in`,
      };
}

/** What a Dockerfile for a practice needs; each miss in words. */
export function dockerfileProblems(text: string): string[] {
  // Continuation lines joined, so a RUN split over lines reads as one instruction.
  const joined = text.replace(/\\\r?\n/g, " ");
  const problems: string[] = [];
  if (!/^\s*FROM\s+(?:--\S+\s+)*(?:\S+\/)?python(?:[:@]\S*)?(?:\s|$)/im.test(joined)) problems.push("Dockerfile: FROM a python image");
  if (!/^\s*RUN\b.*\bpip3?\s+install\b.*-r\s+\S*requirements\.txt/im.test(joined))
    problems.push("Dockerfile: RUN pip install -r requirements.txt");
  if (!/^\s*(?:CMD|ENTRYPOINT)\b.*uvicorn.*0\.0\.0\.0/im.test(joined)) problems.push("Dockerfile: CMD starting uvicorn on 0.0.0.0");
  return problems;
}

/** What a compose file for a practice needs, read line by line (drill bundles no YAML parser). */
export function composeProblems(text: string): string[] {
  const problems: string[] = [];
  if (!/^services:\s*$/m.test(text)) problems.push("compose: a top-level services: map");
  const builtHere =
    /^\s+build:\s*["']?\.\/?["']?\s*$/m.test(text) || (/^\s+build:\s*$/m.test(text) && /^\s+context:\s*["']?\.\/?["']?\s*$/m.test(text));
  if (!builtHere && !/^\s+image:\s*\S+/m.test(text)) problems.push("compose: the app service with build: . or an image:");
  if (!/^\s+ports:/m.test(text) || !/(\d+:\d+|published:\s*["']?\d+)/.test(text))
    problems.push('compose: a port mapping such as ports: ["8000:8000"]');
  return problems;
}

const COMPOSE_FILES = ["docker-compose.yml", "docker-compose.yaml", "compose.yaml", "compose.yml"];

/** The Docker files of one workspace and what they still miss. */
function dockerProblemsIn(workspace: string): string[] {
  const dockerfile = readIfPresent(join(workspace, "Dockerfile"));
  const composeName = COMPOSE_FILES.find((name) => existsSync(join(workspace, name)));
  const compose = composeName ? readIfPresent(join(workspace, composeName)) : undefined;
  return [
    ...(dockerfile === undefined ? ["a Dockerfile"] : dockerfileProblems(dockerfile)),
    ...(compose === undefined ? ["a docker-compose.yml"] : composeProblems(compose)),
  ];
}

function dockerFromMemory(history: Pick<History, "sessions">): ReadinessItem {
  const base = { id: "docker-from-memory", label: "A Dockerfile and docker-compose.yml written from memory" } as const;
  const honesty = "drill reads the files; without Docker it cannot build or run them";
  // Most recent first, so the advice is about the learner's latest attempt.
  const workspaces = builtFromScratch(history)
    .filter((s) => timeToGreenMs(s) !== undefined && existsSync(s.workspace))
    .map((s) => s.workspace)
    .reverse();
  const checked = workspaces.map((workspace) => ({ workspace, problems: dockerProblemsIn(workspace) }));
  const passing = checked.find((c) => c.problems.length === 0);
  if (passing) {
    return {
      ...base,
      met: true,
      evidence: `${passing.workspace} has both, and they pass drill's static check (${honesty})`,
      stillNeeds: null,
    };
  }
  const latest = checked[0];
  if (!latest) {
    return {
      ...base,
      met: false,
      evidence: `no workspace of a green attempt to look in (${honesty})`,
      stillNeeds: "write a Dockerfile and docker-compose.yml from memory in the workspace of a drill you take to green",
    };
  }
  return {
    ...base,
    met: false,
    evidence: `latest green workspace ${latest.workspace} (${honesty})`,
    stillNeeds: latest.problems.join("; "),
  };
}

/**
 * Measured on the CORS debugging drill (drill debug cors, ./cors-readiness.ts), no longer on
 * practice 03's CORS requirements.
 */
function corsDebugged(history: Pick<History, "sessions">, practices: Practice[]): ReadinessItem {
  return corsDrillDebugged(history, practices);
}

function architectureExplained(history: Pick<History, "studies">, practices: Practice[]): ReadinessItem {
  const base = { id: "architecture-explained", label: "Architecture decisions explained aloud" } as const;
  const studied = new Set(history.studies.map((s) => s.practice));
  const fireDrill = practices.filter((p) => FIRE_DRILL_PRACTICES.includes(p.id));
  const notStudied = fireDrill.filter((p) => !studied.has(p.slug)).map((p) => p.id);
  const measures = `drill measures a proxy: \`drill study\` recorded for each fire-drill practice (${fireDrill.map((p) => p.id).join(", ")}); it cannot hear you explain`;
  return notStudied.length === 0
    ? {
        ...base,
        met: true,
        evidence: `${measures}; all studied, so explain each one's key blocks aloud before the interview`,
        stillNeeds: null,
      }
    : {
        ...base,
        met: false,
        evidence: measures,
        stillNeeds: `${notStudied.map((id) => `\`drill study ${id}\``).join(", ")}, then explain each one's key blocks aloud`,
      };
}

export function assessReadiness(history: Pick<History, "sessions" | "studies">, practices: Practice[]): ReadinessItem[] {
  return [
    practice01InAnHour(history, practices),
    apiKeyAuthInFifteen(history, practices),
    dockerFromMemory(history),
    corsDebugged(history, practices),
    architectureExplained(history, practices),
  ];
}
