// The countdown's watcher on a real folder: a save of a Python file is reported once, after the
// debounce; the environment, git, caches and drill's marker are not the learner's edits; the
// polling mode (for folders where file events never come, as under /mnt/c on WSL) sees saves too.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { needsPolling, watchWorkspace, type WorkspaceWatcher } from "../src/core/watch/workspace-watcher.js";
import { tempDir } from "./helpers.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const open: WorkspaceWatcher[] = [];
afterEach(async () => {
  for (const watcher of open.splice(0)) await watcher.close();
});

function workspace(): string {
  const dir = tempDir();
  for (const sub of ["app", ".venv/lib", ".git", "app/__pycache__", ".drill"]) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(dir, "app", "main.py"), "print(1)\n");
  return dir;
}

describe.each([false, true])("watchWorkspace (polling: %s)", (polling) => {
  it("reports a burst of saves once, after the debounce, and ignores everything that is not the learner's Python", async () => {
    const dir = workspace();
    const saves: string[][] = [];
    const watcher = watchWorkspace(dir, (files) => saves.push(files.map((f) => f.slice(dir.length + 1)).sort()), {
      polling,
      debounceMs: 300,
    });
    open.push(watcher);
    await watcher.ready;
    expect(watcher.polling).toBe(polling);
    // An editor's save (write, then a formatter's rewrite) and a new module, within the debounce.
    writeFileSync(join(dir, "app", "main.py"), "print(2)\n");
    await pause(100);
    writeFileSync(join(dir, "app", "main.py"), "print(3)\n");
    writeFileSync(join(dir, "app", "deps.py"), "X = 1\n");
    // None of these is an edit of the learner's code.
    writeFileSync(join(dir, ".venv", "lib", "site.py"), "");
    writeFileSync(join(dir, ".git", "hook.py"), "");
    writeFileSync(join(dir, "app", "__pycache__", "main.cpython-311.py"), "");
    writeFileSync(join(dir, ".drill", "x.py"), "");
    writeFileSync(join(dir, "app", "notes.txt"), "");
    await pause(polling ? 2000 : 1200);
    expect(saves).toEqual([["app/deps.py", "app/main.py"]]);
    // A later save is a new burst.
    writeFileSync(join(dir, "app", "deps.py"), "X = 2\n");
    await pause(polling ? 2000 : 1200);
    expect(saves).toEqual([["app/deps.py", "app/main.py"], ["app/deps.py"]]);
  });
});

describe("watchWorkspace before its first scan ends", () => {
  it("reports saves made while the watcher starts, which its own events leave out", async () => {
    const dir = workspace();
    // A workspace large enough that the first scan takes a while.
    for (let i = 0; i < 300; i++) {
      mkdirSync(join(dir, "pkg", `m${i}`), { recursive: true });
      writeFileSync(join(dir, "pkg", `m${i}`, "mod.py"), "");
    }
    const saves: string[][] = [];
    const watcher = watchWorkspace(dir, (files) => saves.push(files.map((f) => f.slice(dir.length + 1)).sort()), { debounceMs: 100 });
    open.push(watcher);
    // Written before the scan is done: the copy of a reference, or a save in the first second.
    writeFileSync(join(dir, "app", "main.py"), "print(22)\n");
    writeFileSync(join(dir, "app", "new.py"), "X = 1\n");
    await watcher.ready;
    await pause(800);
    expect(
      saves
        .flat()
        .filter((f) => f.startsWith("app/"))
        .sort(),
    ).toEqual(["app/main.py", "app/new.py"]);
    // Nothing changed, nothing reported.
    const quiet = watchWorkspace(dir, (files) => saves.push(files), { debounceMs: 100 });
    open.push(quiet);
    const count = saves.length;
    await quiet.ready;
    await pause(500);
    expect(saves.length).toBe(count);
  });
});

describe("watchWorkspace with Docker files (practice 00)", () => {
  it("reports saves of the files named in alsoNamed, anywhere but the ignored folders, and still no other file", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "Dockerfile"), "FROM python:3.12-slim\n");
    const saves: string[][] = [];
    const watcher = watchWorkspace(dir, (files) => saves.push(files.map((f) => f.slice(dir.length + 1)).sort()), {
      debounceMs: 100,
      alsoNamed: ["Dockerfile", "docker-compose.yml"],
    });
    open.push(watcher);
    await watcher.ready;
    writeFileSync(join(dir, "Dockerfile"), "FROM python:3.12-slim\nWORKDIR /app\n");
    writeFileSync(join(dir, "docker-compose.yml"), "services: {}\n");
    writeFileSync(join(dir, ".venv", "lib", "Dockerfile"), "");
    writeFileSync(join(dir, "notes.txt"), "");
    await pause(1500);
    expect(saves).toEqual([["Dockerfile", "docker-compose.yml"]]);
    // Without alsoNamed, a Dockerfile is not the learner's Python.
    const plain: string[][] = [];
    const other = watchWorkspace(dir, (files) => plain.push(files), { debounceMs: 100 });
    open.push(other);
    await other.ready;
    writeFileSync(join(dir, "Dockerfile"), "FROM python:3.12\n");
    await pause(1500);
    expect(plain).toEqual([]);
  });
});

describe("needsPolling", () => {
  it("polls when asked to, and not in an ordinary Linux folder", () => {
    expect(needsPolling("/home/me/ws", { DRILL_WATCH_POLL: "1" })).toBe(true);
    expect(needsPolling("/home/me/ws", {})).toBe(false);
  });
});
