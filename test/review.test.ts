// drill review end to end: calibrated on the references (zero notes each: a gate, in gates.test.ts), silent on untouched
// scaffolds, ruff's selection really runs, notes the scaffold itself gets are dropped, and the
// issue's example (on_event + predict in async def + os.environ in a handler) gives exactly
// three notes with their lines, the same as text and as --json.
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPractices, type Practice } from "../src/core/catalog/practices.js";
import { reviewWorkspace } from "../src/core/review/run-review.js";
import { REFERENCE_DIR } from "../src/system/paths.js";
import { buildWorkspace, CLI, runCli, startWorkspace, TEST_VENV, tempDir } from "./helpers.js";
import { hasTmux, press, startInTmux, waitFor } from "./tmux.js";

const practices = loadPractices();

describe("drill review on what drill ships", () => {
  // Every reference gets zero notes: a gate of each practice (test/gates.test.ts).
  it("an untouched scaffold gets no notes, and a mistake added to it gets exactly its own note", async () => {
    // The scaffold's own notes are dropped by design, so an untouched scaffold alone proves
    // nothing: each one also gets a new module with a print(), which must be noted, and alone.
    for (const practice of practices) {
      const workspace = buildWorkspace(practice);
      expect((await reviewWorkspace(practice, workspace)).notes, practice.slug).toEqual([]);
      writeFileSync(join(workspace, "app", "extra.py"), 'def hello() -> None:\n    print("hello")\n');
      const result = await reviewWorkspace(practice, workspace);
      expect(
        result.notes.map((n) => `${n.file}:${n.line} ${n.rule}`),
        practice.slug,
      ).toEqual(["app/extra.py:2 DR007"]);
    }
  });
});

/** A stand-in practice whose scaffold is `scaffold` (app/main.py), for rules no shipped scaffold trips. */
function fakePractice(scaffold: string): Practice {
  const base = practices[0];
  if (!base) throw new Error("no practices");
  const dir = tempDir("drill-review-practice-");
  mkdirSync(join(dir, "scaffold", "app"), { recursive: true });
  writeFileSync(join(dir, "scaffold", "app", "main.py"), scaffold);
  return { ...base, dir, scaffoldDir: join(dir, "scaffold"), shared: [] };
}

function workspaceWith(main: string): string {
  const dir = tempDir("drill-review-ws-");
  mkdirSync(join(dir, "app"));
  writeFileSync(join(dir, "app", "main.py"), main);
  symlinkSync(TEST_VENV, join(dir, ".venv"));
  return dir;
}

describe("drill review's rules in a workspace", () => {
  it("runs ruff's pinned selection: FAST002 (Depends without Annotated) and ASYNC251 (time.sleep in async def)", async () => {
    const main = [
      "import time",
      "",
      "from fastapi import Depends, FastAPI",
      "",
      "app = FastAPI()",
      "",
      "",
      "def get_limit() -> int:",
      "    return 3",
      "",
      "",
      '@app.get("/slow")',
      "async def slow(limit: int = Depends(get_limit)) -> dict[str, int]:",
      "    time.sleep(0.1)",
      '    return {"limit": limit}',
      "",
    ].join("\n");
    const result = await reviewWorkspace(fakePractice(""), workspaceWith(main));
    expect(result.notes.map((n) => [n.rule, n.line])).toEqual([
      ["FAST002", 13],
      ["ASYNC251", 14],
    ]);
    expect(result.notes[0]?.sheet).toBe("docs/cheat-sheets/fastapi.md");
  });

  it("says nothing the practice's scaffold itself does, and still flags the learner's own", async () => {
    const scaffold = 'def main() -> None:\n    print("scaffold")\n';
    const result = await reviewWorkspace(fakePractice(scaffold), workspaceWith(`${scaffold}\n\ndef other() -> None:\n    print("mine")\n`));
    expect(result.notes.map((n) => [n.rule, n.line])).toEqual([["DR007", 6]]);
  });

  it("knows from drill.json whether the practice ships the model: predict() in async def is a note only then", async () => {
    const main = '@app.post("/predict")\nasync def predict(text: str) -> dict[str, str]:\n    return model.predict(text)\n';
    const withModel = await reviewWorkspace({ ...fakePractice(""), shared: ["model.py"] }, workspaceWith(main));
    expect(withModel.notes.map((n) => [n.rule, n.line])).toEqual([["DR003", 3]]);
    const withoutModel = await reviewWorkspace(fakePractice(""), workspaceWith(main));
    expect(withoutModel.notes).toEqual([]);
  });

  it("reports a file Python cannot parse instead of failing", async () => {
    const result = await reviewWorkspace(fakePractice(""), workspaceWith("def broken(:\n"));
    expect(result.unparsed).toEqual([expect.objectContaining({ file: "app/main.py", line: 1 })]);
    expect(result.notes).toEqual([]);
  });
});

const ISSUE_EXAMPLE = `import os

from fastapi import FastAPI

from model import SentimentModel

app = FastAPI(title="Async ML inference")
model: SentimentModel | None = None


@app.on_event("startup")
async def load_model() -> None:
    global model
    model = SentimentModel.load()


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/predict")
async def predict(text: str) -> dict[str, str]:
    assert model is not None
    result = model.predict(text)
    return {"label": result["label"], "mode": os.environ["MODE"]}
`;

describe("drill review from the CLI (the issue's example)", () => {
  it("on_event, predict in async def and os.environ in a handler: exactly three notes with lines, --json the same", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "01");
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    writeFileSync(join(dir, "app", "main.py"), ISSUE_EXAMPLE);

    const text = await runCli(["review", "--dir", dir], { home });
    expect(text.exitCode, text.all).toBe(0);
    const places = [...(text.stdout.match(/^app\/main\.py:\d+ .*$/gm) ?? [])].map((line) => line.replace(/ {2}.*\[/, " ["));
    expect(places).toEqual(["app/main.py:11 [DR001]", "app/main.py:25 [DR003]", "app/main.py:26 [DR009]"]);
    expect(text.stdout).toContain("see: docs/cheat-sheets/fastapi.md");

    const json = await runCli(["review", "--dir", dir, "--json"], { home });
    expect(json.exitCode, json.all).toBe(0);
    const data = JSON.parse(json.stdout) as { notes: { file: string; line: number; rule: string }[] };
    expect(data.notes.map((n) => `${n.file}:${n.line} [${n.rule}]`)).toEqual(places);
  });

  it("outside any workspace: one clean line, exit 2", async () => {
    const home = tempDir();
    const result = await runCli(["review"], { home, cwd: tempDir() });
    expect(result.exitCode).toBe(2);
    expect(result.all?.trim().split("\n").length).toBeLessThanOrEqual(2);
  });
});

describe("after a green check", () => {
  it("drill check shows the notes under the verdict and records their count; drill stats shows the trend", async () => {
    const home = tempDir();
    const dir = await startWorkspace(home, "01");
    symlinkSync(TEST_VENV, join(dir, ".venv"));
    cpSync(join(REFERENCE_DIR, "01-async-inference", "app"), join(dir, "app"), { recursive: true });
    const main = join(dir, "app", "main.py");
    writeFileSync(
      main,
      readFileSync(main, "utf8").replace('    return {"status": "ok"}', '    print("health")\n    return {"status": "ok"}'),
    );

    const check = await runCli(["check", "--dir", dir], { home, timeout: 180_000 });
    expect(check.exitCode, check.all).toBe(0);
    const after = check.stdout.slice(check.stdout.indexOf("all requirements pass"));
    expect(after).toMatch(/review: 1 note an interviewer would make/);
    expect(after).toMatch(/app\/main\.py:\d+ +print instead of logging +\[DR007\]/);

    const history = readFileSync(join(home, "history.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(history.at(-1)).toMatchObject({ type: "review", notes: 1 });

    const stats = await runCli(["stats", "--practice", "01"], { home });
    expect(stats.stdout).toMatch(/01 Async ML inference +notes after green: 1/);
    const json = JSON.parse((await runCli(["stats", "--practice", "01", "--json"], { home })).stdout) as { reviews: unknown[] };
    expect(json.reviews).toEqual([{ practice: "01-async-inference", label: expect.any(String), notes: [1] }]);
  });
});

/**
 * Into a running countdown's workspace: its venv, then practice 01's reference with one print()
 * in GET /health (green, one note), written in one copy so the watcher sees one burst of saves.
 */
function saveReferenceWithPrint(workspace: string): void {
  symlinkSync(TEST_VENV, join(workspace, ".venv"));
  const withPrint = join(tempDir(), "app");
  cpSync(join(REFERENCE_DIR, "01-async-inference", "app"), withPrint, { recursive: true });
  const main = join(withPrint, "main.py");
  writeFileSync(
    main,
    readFileSync(main, "utf8").replace('    return {"status": "ok"}', '    print("health")\n    return {"status": "ok"}'),
  );
  cpSync(withPrint, join(workspace, "app"), { recursive: true });
}

describe.skipIf(!hasTmux)("the countdown after green", () => {
  it("ends with the review's notes in its last words, and records their count", async () => {
    const home = tempDir();
    const dir = join(tempDir(), "ws");
    const name = startInTmux(`node ${CLI} start 01 --dir ${dir} --timer 30`, { DRILL_HOME: home, NO_COLOR: "1" }, process.cwd(), {
      columns: 100,
      rows: 30,
    });
    await waitFor(name, /left · elapsed/);
    saveReferenceWithPrint(dir);
    const end = await waitFor(name, /EXIT=\d+/, 120_000);
    const words = end.replace(/\s+/g, " ");
    expect(words).toMatch(/✔ all requirements pass at \d\d:\d\d/);
    expect(words).toMatch(/review: 1 note an interviewer would make .* app\/main\.py:\d+ print instead of logging \[DR007\]/);
    expect(end).toContain("EXIT=0");
    const history = readFileSync(join(home, "history.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(history.filter((record) => record.type === "review").map((record) => record.notes)).toEqual([1]);
  });
});

describe.skipIf(!hasTmux)("a fire drill after green", () => {
  it("goes on to the next practice with the review's count in the check line, and r shows every note", async () => {
    const home = tempDir();
    const dir = tempDir();
    const name = startInTmux(`node ${CLI} fire-drill`, { DRILL_HOME: home, NO_COLOR: "1" }, dir, { columns: 100, rows: 30 });
    await waitFor(name, /left · 01 \(1\/\d\) split/);
    const workspace = join(dir, "drill-01-async-inference");
    saveReferenceWithPrint(workspace);
    await waitFor(name, /03 \(2\/\d\) split[\s\S]*01 green · review: 1 note \(r shows them\)/, 120_000);
    await new Promise((r) => setTimeout(r, 1200));
    press(name, "r");
    const report = await waitFor(
      name,
      /app\/main\.py:\d+ +print instead of logging +\[DR007\]\n +- an interviewer thinks: [\s\S]*\n +- instead: logger = logging\.getLogger/,
    );
    for (const line of report.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
    press(name, "C-c");
    await waitFor(name, /EXIT=130/);
  });
});
