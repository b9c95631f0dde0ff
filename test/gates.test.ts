// The gates every practice passes (DESIGN.md): the reference passes every requirement, with the
// embedded defaults and with each real service CI provides; the untouched scaffold fails every
// requirement; each mutant is caught by the requirements it names; repeated runs agree. A debugging
// drill (drills/dN-*) ships a broken app instead of a bare scaffold: that app fails exactly the
// requirements its drill.json names broken and passes every other one. drill review has no note
// on any reference.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCheck, type CheckOutcome } from "../src/core/check/run-check.js";
import { loadCatalog, resolvePractice, type Practice } from "../src/core/catalog/practices.js";
import { REQUIREMENT_ID_SOURCE } from "../src/core/catalog/requirement-id.js";
import { loadMutants, type Mutant } from "../src/core/modes/break.js";
import { reviewWorkspace } from "../src/core/review/run-review.js";
import { buildWorkspace, byId, specIds, type WorkspaceOptions } from "./helpers.js";

/**
 * A mutant flagged `race` only shows when requests interleave (check-then-insert without a
 * unique constraint): no outside test can force that, so it counts as caught when one of
 * RACE_TRIES checks catches it. The spec tells the learner such a race may pass a run by luck.
 */
const RACE_TRIES = 3;

/**
 * Where CI provides a real service, the gates also run the reference against it, handed to drill
 * the way a learner hands it (DRILL_DATABASE_URL: drill makes a throwaway database per check).
 */
const SERVICES: Record<string, { url: string | undefined; givenAs: string }> = {
  DATABASE_URL: { url: process.env.DRILL_TEST_DATABASE_URL, givenAs: "DRILL_DATABASE_URL" },
  REDIS_URL: { url: process.env.DRILL_TEST_REDIS_URL, givenAs: "REDIS_URL" },
  AMQP_URL: { url: process.env.DRILL_TEST_AMQP_URL, givenAs: "DRILL_AMQP_URL" },
};
/**
 * How long a gate may wait for `runs` checks of a practice: each check is bounded by the practice's
 * own checkTimeoutSeconds (drill.json), which may exceed Vitest's default test timeout.
 */
function checkBudgetMs(practice: Practice, runs = 1): number {
  return runs * practice.checkTimeoutSeconds * 1000 + 60_000;
}

/** Every variable through which a service could reach a check. */
const SERVICE_VARIABLES = ["DATABASE_URL", "REDIS_URL", "AMQP_URL", "DRILL_DATABASE_URL", "DRILL_REDIS_URL", "DRILL_AMQP_URL"];

/** A check with no service URL in the environment (the embedded defaults), unless `services` adds one. */
async function check(practice: Practice, workspace: WorkspaceOptions, services: Record<string, string> = {}): Promise<CheckOutcome> {
  const env = { ...process.env };
  for (const name of SERVICE_VARIABLES) delete env[name];
  return runCheck({ practice, workspace: buildWorkspace(practice, workspace), env: { ...env, ...services } });
}

function failuresOf(outcome: CheckOutcome): string {
  return outcome.run.results
    .filter((r) => r.state !== "passed")
    .map((r) => `${r.name}: ${r.state}\n${r.errors.join("\n")}`)
    .join("\n\n");
}

/**
 * Requirements the spec marks "(broker only)" in their heading: a suite skips them, with the
 * reason, when the check has no broker (the in-process queue cannot survive a restart).
 */
function brokerOnly(practice: Practice): string[] {
  const spec = readFileSync(practice.specPath, "utf8");
  return [...spec.matchAll(new RegExp(String.raw`^\*\*(${REQUIREMENT_ID_SOURCE})\b[^\n]*\(broker only\)`, "gm"))]
    .map((m) => m[1] as string)
    .sort(byId);
}

/** Each skipped requirement is one the spec marks broker-only, and says why it was skipped. */
function expectOnlyBrokerOnlySkipped(practice: Practice, outcome: CheckOutcome): string[] {
  const skipped = outcome.run.results.filter((r) => r.state === "skipped");
  const allowed = brokerOnly(practice);
  for (const result of skipped) {
    expect(allowed, `${result.name} was skipped, but the spec does not mark it broker-only`).toContain(result.requirement);
    expect(result.note ?? "", `${result.name} was skipped without a reason`).toMatch(/\S/);
  }
  return skipped.map((r) => r.requirement);
}

/** Every requirement passes; without `withService`, those the spec marks broker-only may be skipped with a reason. */
function expectAllPass(practice: Practice, outcome: CheckOutcome, withService = false): void {
  const ids = specIds(practice);
  expect(Object.keys(outcome.requirements).sort(byId), "every requirement in the spec is checked").toEqual(ids);
  const skipped = withService ? [] : expectOnlyBrokerOnlySkipped(practice, outcome);
  expect(outcome.failed + outcome.skipped - skipped.length, failuresOf(outcome)).toBe(0);
  expect(outcome.passed).toBe(ids.length - skipped.length);
}

/** `npm test -- --practice 03` (or `--practice D1`) sets this: only those practices' gates run. */
const only = process.env.DRILL_GATES_PRACTICES?.split(",").map((id) => resolvePractice(id).slug);

/** A test's requirement id where a suite declares it: `it("R03.2 ...` */
const TESTED_ID = new RegExp(String.raw`\bit\(\s*["'\x60](${REQUIREMENT_ID_SOURCE})\b`, "g");

for (const practice of loadCatalog().filter((p) => !only || only.includes(p.slug))) {
  describe(`gates for ${practice.slug}`, () => {
    it("the spec and the suite name the same requirements", () => {
      const suite = readFileSync(practice.suitePath, "utf8");
      const tested = [...new Set([...suite.matchAll(TESTED_ID)].map((m) => m[1] as string))].sort(byId);
      expect(tested).toEqual(specIds(practice));
    });

    it(
      "the reference solution passes every requirement with the embedded defaults",
      async () => {
        expectAllPass(practice, await check(practice, { reference: true }));
      },
      checkBudgetMs(practice),
    );

    for (const service of practice.services) {
      const given = SERVICES[service];
      it.skipIf(!given?.url)(
        `the reference solution passes every requirement with a real ${service}`,
        async () => {
          const outcome = await check(practice, { reference: true }, { [given?.givenAs ?? service]: given?.url as string });
          expect(outcome.services.find((line) => line.name === service)?.kind, "the server got the real service").toBe("real");
          expectAllPass(practice, outcome, true);
        },
        checkBudgetMs(practice),
      );
    }

    // drill review's advice is calibrated on the references: none of them gets a note.
    it("the reference solution gets no review notes", async () => {
      const result = await reviewWorkspace(practice, buildWorkspace(practice, { reference: true }));
      expect(result.ruff).toBe("ran");
      expect(result.unparsed).toEqual([]);
      expect(result.notes.map((n) => `${n.file}:${n.line} ${n.rule} ${n.detail ?? n.title}`)).toEqual([]);
    });

    const debug = practice.debug;
    if (debug) {
      it("the drill names the requirements its broken app fails, all of the spec's, not all of them", () => {
        expect(debug.brokenRequirements.length).toBeGreaterThan(0);
        for (const id of debug.brokenRequirements) expect(specIds(practice)).toContain(id);
        expect(debug.brokenRequirements.length, "a broken app that passes nothing is a practice, not a bug").toBeLessThan(
          specIds(practice).length,
        );
      });

      it(
        "the shipped broken app fails exactly its broken requirements and passes the rest",
        async () => {
          const outcome = await check(practice, {});
          const ids = specIds(practice);
          expect(Object.keys(outcome.requirements).sort(byId), "every requirement in the spec is checked").toEqual(ids);
          const failing = ids.filter((id) => outcome.requirements[id] !== "passed");
          expect(failing, failuresOf(outcome)).toEqual([...debug.brokenRequirements].sort(byId));
        },
        checkBudgetMs(practice),
      );
    } else {
      it("the untouched scaffold fails every requirement", async () => {
        const outcome = await check(practice, {});
        expect(outcome.passed, "requirements the bare scaffold passes").toBe(0);
        const skipped = expectOnlyBrokerOnlySkipped(practice, outcome);
        expect(outcome.failed).toBe(specIds(practice).length - skipped.length);
      });
    }

    const mutants = loadMutants(practice);
    it("has at least eight mutants, each naming requirements of the spec", () => {
      expect(mutants.length).toBeGreaterThanOrEqual(8);
      expect(new Set(mutants.map((m) => m.id)).size).toBe(mutants.length);
      for (const mutant of mutants) {
        expect(mutant.caughtBy.length, mutant.id).toBeGreaterThan(0);
        for (const id of mutant.caughtBy) expect(specIds(practice), mutant.id).toContain(id);
      }
    });

    // A mutant that names services (a broker-only mistake, such as acking before the work) runs
    // with those real services, handed over as a learner hands them; without them it is skipped.
    const missingService = (mutant: Mutant) => (mutant.services ?? []).find((name) => !SERVICES[name]?.url);
    const servicesOf = (mutant: Mutant): Record<string, string> =>
      Object.fromEntries((mutant.services ?? []).map((name) => [SERVICES[name]?.givenAs ?? name, SERVICES[name]?.url as string]));
    it.for(mutants.map((m) => [m.id, m] as const))(
      "mutant %s is caught by the requirements it names",
      { timeout: checkBudgetMs(practice, RACE_TRIES) },
      async ([, mutant], ctx) => {
        const missing = missingService(mutant);
        if (missing) ctx.skip(`needs a real ${missing} (DRILL_TEST_${missing.replace("_URL", "")}_URL)`);
        let missed: string[] = [];
        let outcome: CheckOutcome | undefined;
        for (let tries = mutant.race ? RACE_TRIES : 1; tries > 0; tries--) {
          outcome = await check(practice, { reference: true, mutant }, servicesOf(mutant));
          const verdicts = outcome.requirements;
          missed = mutant.caughtBy.filter((id) => verdicts[id] !== "failed");
          if (missed.length === 0) break;
        }
        expect(missed, `${mutant.description}\nstill passing: ${missed.join(", ")}\n${outcome ? failuresOf(outcome) : ""}`).toEqual([]);
      },
    );

    it(
      "three runs against the reference give the same verdict",
      async () => {
        const verdicts: Array<Record<string, string>> = [];
        for (let run = 0; run < 3; run++) verdicts.push((await check(practice, { reference: true })).requirements);
        expect(verdicts[1]).toEqual(verdicts[0]);
        expect(verdicts[2]).toEqual(verdicts[0]);
        const allowed = brokerOnly(practice);
        expect(Object.entries(verdicts[0] ?? {}).every(([id, v]) => v === "passed" || (v === "skipped" && allowed.includes(id)))).toBe(
          true,
        );
      },
      checkBudgetMs(practice, 3),
    );
  });
}
