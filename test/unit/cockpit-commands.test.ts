// The pure parts of drill hint, serve, diff, completion and the pager: which hint, which port,
// which files differ, what a PAGER line means, what a completion script offers.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fse from "fs-extra";
import { afterEach, describe, expect, it } from "vitest";
import { completionScript } from "../../src/actions/completion.js";
import { chooseHint } from "../../src/actions/hint.js";
import { requirementIds, validRequirements } from "../../src/actions/check.js";
import { compareWithReference } from "../../src/core/catalog/reference-diff.js";
import { loadPractices, resolvePractice } from "../../src/core/catalog/practices.js";
import { hints } from "../../src/core/catalog/spec.js";
import type { CheckOutcome } from "../../src/core/check/run-check.js";
import { servePort } from "../../src/core/check/serve.js";
import { formatFailures, replayUrl } from "../../src/ui/check-report.js";
import { pagerCommand, splitCommandLine } from "../../src/ui/pager.js";
import { buildSession, checkEvent } from "../builders.js";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("PAGER split as a shell splits it", () => {
  it("separates arguments and keeps quoted words whole", () => {
    expect(splitCommandLine("less -R")).toEqual(["less", "-R"]);
    expect(splitCommandLine("  less   -R  -S ")).toEqual(["less", "-R", "-S"]);
    expect(splitCommandLine(`"/opt/my pager/bin/p" -x 'a b' c\\ d`)).toEqual(["/opt/my pager/bin/p", "-x", "a b", "c d"]);
    expect(splitCommandLine(`less "-P\\"x\\""`)).toEqual(["less", '-P"x"']);
    expect(splitCommandLine(`a ''`)).toEqual(["a", ""]);
  });

  it("agrees with sh on a few lines", () => {
    for (const line of ["less -R", `more "-d" 'x y'`, `a\\ b c`, `p "q\\$r" 's\\t'`]) {
      const argv = execFileSync("sh", ["-c", `for a in ${line}; do printf '%s\\0' "$a"; done`])
        .toString()
        .split("\0")
        .slice(0, -1);
      expect(splitCommandLine(line), line).toEqual(argv);
    }
  });

  it("defaults to less when PAGER is unset or blank", () => {
    expect(pagerCommand({})).toEqual(["less"]);
    expect(pagerCommand({ PAGER: "  " })).toEqual(["less"]);
    expect(pagerCommand({ PAGER: "less -R" })).toEqual(["less", "-R"]);
  });
});

describe("drill serve's port and the report's curls", () => {
  it("is 8000 + the practice's number, different for each practice", () => {
    const ports = loadPractices().map(servePort);
    expect(servePort({ id: "03" })).toBe(8003);
    expect(new Set(ports).size).toBe(ports.length);
  });

  const failing = (url: string): CheckOutcome =>
    ({
      mode: "managed",
      baseUrl: url,
      services: [],
      requirements: { "R03.2": "failed" },
      passed: 0,
      failed: 1,
      skipped: 0,
      cleanupNotes: [],
      durationMs: 1,
      run: {
        planned: ["R03.2 me"],
        errors: [],
        timedOut: false,
        output: "",
        results: [
          {
            name: "R03.2 me",
            requirement: "R03.2",
            state: "failed",
            durationMs: 3,
            errors: [`sent:\n  curl -i -X GET '${url}/me'\n  other: 'http://127.0.0.1:${new URL(url).port}0/x'`],
            exchanges: [],
          },
        ],
      },
    }) as CheckOutcome;

  it("prints each curl against the serve port and says how to replay it", () => {
    const report = formatFailures(failing("http://127.0.0.1:41234"), 8003);
    expect(report).toContain("curl -i -X GET 'http://127.0.0.1:8003/me'");
    expect(report).not.toContain("http://127.0.0.1:41234/me");
    // A longer port that merely starts with the same digits is not the check's.
    expect(report).toContain("http://127.0.0.1:412340/x");
    expect(report).toMatch(/run `drill serve` to replay/);
  });

  it("leaves a --url check's report as it was (drill serve does not serve that server)", () => {
    const outcome = { ...failing("http://127.0.0.1:9000"), mode: "url" as const };
    const report = formatFailures(outcome, 8003);
    expect(report).toContain("'http://127.0.0.1:9000/me'");
    expect(report).not.toMatch(/drill serve/);
    expect(replayUrl("http://127.0.0.1:9000", 8003)).toBe("http://127.0.0.1:8003");
  });
});

describe("drill hint: which hint", () => {
  const practice = resolvePractice("03");

  it("takes the asked requirement's hint", () => {
    const session = buildSession(practice.slug, []);
    const chosen = chooseHint(practice, session, "R03.8");
    expect(chosen?.title).toMatch(/^R03\.8\b/);
  });

  it("without an id: the first requirement the last check failed, in number order", () => {
    const session = buildSession(practice.slug, []);
    session.events.push(checkEvent(session.startedAt, { "R03.1": "passed", "R03.10": "failed", "R03.4": "failed" }));
    expect(chooseHint(practice, session, undefined)?.title).toMatch(/^R03\.4\b/);
  });

  it("without a failure: the next hint not yet taken, then none", () => {
    const session = buildSession(practice.slug, []);
    session.events.push({ type: "hint", at: session.startedAt, index: 0 });
    expect(chooseHint(practice, session, undefined)?.index).toBe(1);
    for (const index of hints(practice).keys()) session.events.push({ type: "hint", at: session.startedAt, index });
    expect(chooseHint(practice, session, undefined)).toBeUndefined();
  });

  it("reads ids in any case, refuses unknown ones naming the valid ones, and orders R03.2 before R03.10", () => {
    expect(validRequirements(practice, ["r03.10", "R03.2", "R03.2"])).toEqual(["R03.2", "R03.10"]);
    expect(() => validRequirements(practice, ["R03.99"])).toThrow(/"R03\.99" is not a requirement of practice 03; valid: R03\.1, R03\.2,/);
    expect(() => validRequirements(practice, ["R01.1"])).toThrow(/not a requirement/);
    expect(requirementIds(practice).at(-1)).toBe("R03.17");
  });
});

describe("drill diff: the files compared", () => {
  it("lists changed, added and missing files of the reference's folders only, never key-blocks.json", () => {
    const practice = resolvePractice("01");
    const workspace = mkdtempSync(join(tmpdir(), "drill-diff-"));
    made.push(workspace);
    fse.copySync(practice.referenceDir, workspace);
    writeFileSync(join(workspace, "README.md"), "not a solution file");
    writeFileSync(join(workspace, "app", "extra.py"), "x = 1\n");
    writeFileSync(join(workspace, "app", "main.py"), "# mine\n");
    rmSync(join(workspace, "app", "deps.py"));
    mkdirSync(join(workspace, "app", "__pycache__"));
    writeFileSync(join(workspace, "app", "__pycache__", "main.cpython-312.pyc"), "");
    const result = compareWithReference(practice, workspace);
    expect(result.changed).toEqual(["app/main.py"]);
    expect(result.added).toEqual(["app/extra.py"]);
    expect(result.missing).toEqual(["app/deps.py"]);
    expect(result.same).toContain("app/routes.py");
    expect([...result.changed, ...result.added, ...result.missing, ...result.same]).not.toContain("key-blocks.json");
  });
});

describe("drill completion", () => {
  const commands = [
    { name: "start", description: "start: a practice", options: ["--timer", "-t", "--dir"], takesPractice: true, takesRequirement: false },
    { name: "check", description: "check it's done", options: ["--only", "--json"], takesPractice: false, takesRequirement: false },
  ];

  it.each(["bash", "zsh", "fish"] as const)("%s: names the commands, their options and the practices", (shell) => {
    const script = completionScript(shell, commands, ["01", "01-async-inference"]);
    for (const word of ["start", "check", "timer", "only", "01-async-inference"]) expect(script).toContain(word);
  });

  it("bash: offers what a person pressing Tab would expect", () => {
    const script = completionScript("bash", commands, ["01", "03"]);
    const complete = (...words: string[]) =>
      execFileSync(
        "bash",
        [
          "-c",
          `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _drill; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        {
          encoding: "utf8",
        },
      )
        .trim()
        .split("\n");
    expect(complete("drill", "ch")).toEqual(["check"]);
    expect(complete("drill", "check", "--o")).toEqual(["--only"]);
    expect(complete("drill", "start", "0")).toEqual(["01", "03"]);
  });

  const has = (shell: string) => {
    try {
      execFileSync("sh", ["-c", `command -v ${shell}`]);
      return true;
    } catch {
      return false;
    }
  };
  const parses = (shell: "zsh" | "fish", check: string) => {
    const file = join(mkdtempSync(join(tmpdir(), "drill-completion-")), `drill.${shell}`);
    made.push(join(file, ".."));
    writeFileSync(file, completionScript(shell, commands, ["01"]));
    expect(() => execFileSync(shell, [check, file])).not.toThrow();
  };
  it.skipIf(!has("zsh"))("zsh: the script parses", () => parses("zsh", "-n"));
  it.skipIf(!has("fish"))("fish: the script parses", () => parses("fish", "--no-execute"));
});
