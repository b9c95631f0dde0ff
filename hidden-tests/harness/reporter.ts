// The Vitest reporter `drill check` runs hidden suites with. It prints one machine-readable line
// per event on stdout, prefixed so that drill can tell them from anything else printed:
//   @@drill {"type":"planned","tests":["R01.1 ...", ...]}
//   @@drill {"type":"result","name":"R01.1 ...","state":"passed","durationMs":12}
//   (a failed result may carry "errors", "exchanges" and "stalledAt": the requirement at which
//   the server stopped answering altogether)
//   @@drill {"type":"error","message":"..."}
//   @@drill {"type":"end","reason":"passed"}
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason } from "vitest/node";
// Types only (erased when Vitest loads this file): the package ships hidden-tests/, not src/.
// The protocol, and how drill reads it, is src/core/check/suite-events.ts.
import type { SuiteEvent, SuiteEventPrefix } from "../../src/core/check/suite-events.js";

export const EVENT_PREFIX: SuiteEventPrefix = "@@drill ";

function emit(event: SuiteEvent): void {
  process.stdout.write(`${EVENT_PREFIX}${JSON.stringify(event)}\n`);
}

function errorText(error: { message?: string; name?: string; diff?: string }): string {
  const message = error.message ?? "unknown error";
  // Reviewer notes are complete on their own; a plain assertion keeps Vitest's diff if it has one.
  if (error.name === "ReviewError" || !error.diff) return message;
  return `${message}\n${error.diff}`;
}

export default class DrillReporter implements Reporter {
  onTestModuleCollected(module: TestModule): void {
    const tests = [...module.children.allTests()].map((test) => test.name);
    emit({ type: "planned", tests });
  }

  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    const meta = testCase.meta() as Record<string, unknown>;
    const event: Extract<SuiteEvent, { type: "result" }> = {
      type: "result",
      name: testCase.name,
      state: result.state,
      durationMs: Math.round(testCase.diagnostic()?.duration ?? 0),
    };
    if (result.state === "failed") {
      const errors = result.errors ?? [];
      event.errors = errors.map(errorText);
      // A reviewer's note already names the exchange that matters (or none, when the failure is
      // on the receiving side); only a plain assertion gets the test's last exchanges added.
      const plain = errors.some((error) => error.name !== "ReviewError");
      if (plain && Array.isArray(meta.exchanges)) event.exchanges = meta.exchanges;
      if (typeof meta.stalledAt === "string") event.stalledAt = meta.stalledAt;
    }
    if (result.state === "skipped" && result.note) event.note = result.note;
    emit(event);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    for (const module of modules) {
      for (const error of module.errors()) emit({ type: "error", message: errorText(error) });
    }
    for (const error of unhandledErrors) emit({ type: "error", message: errorText(error) });
    emit({ type: "end", reason });
  }
}
