// The cheat sheets (docs/cheat-sheets/) are printed and typed from memory, so a stale snippet
// teaches a mistake. Every fenced block is held to the code it shows:
//
// - ```python            a whole module: compiled, imported, ruff-clean and mypy --strict-clean
//                        (the references' config, reference-solutions/pyproject.toml)
// - ```python run        a whole program, also run: its output must be exactly the `# -> ...`
//                        comments written beside its print() calls, in order
// - ```python fragment   a piece of a module (top-level await allowed): syntax-checked only
// - ```dockerfile        parsed into instructions; the Docker sheet's follows drill's review rules
// - ```yaml              parsed; the Docker sheet's compose file has the services it promises
// - ```sh / ```text      shown, not run (shell commands, console output)
//
// A python block may name its file (```python file=main.py): the blocks of one sheet share a
// folder, so a later block can import an earlier one, as tests import the app.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ROOT, TEST_VENV } from "./helpers.js";

const SHEETS_DIR = join(ROOT, "docs", "cheat-sheets");
const LINT_CONFIG = join(ROOT, "reference-solutions", "pyproject.toml");
/** Two printed pages of plain text: about 70 lines each, none wider than ruff lets code be. */
const MAX_LINES = 140;
const MAX_WIDTH = 120;
const LANGUAGES = new Set(["python", "dockerfile", "yaml", "sh", "text"]);

interface Block {
  sheet: string;
  /** The 1-based line of the opening fence. */
  line: number;
  language: string;
  flags: Set<string>;
  /** file=NAME, or a name made from the sheet and line. */
  file: string;
  code: string;
}

function blocksOf(sheet: string, markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i] ?? "");
    if (!open) continue;
    const [language = "", ...words] = (open[1] ?? "").trim().split(/\s+/);
    const end = lines.findIndex((text, j) => j > i && text.trim() === "```");
    if (end < 0) throw new Error(`${sheet}.md:${i + 1}: a code block that is never closed`);
    const named = words.find((word) => word.startsWith("file="));
    blocks.push({
      sheet,
      line: i + 1,
      language,
      flags: new Set(words.filter((word) => !word.startsWith("file="))),
      file: named ? named.slice("file=".length) : `${sheet}_line_${i + 1}.py`,
      code: `${lines.slice(i + 1, end).join("\n")}\n`,
    });
    i = end;
  }
  return blocks;
}

function where(block: Block): string {
  return `docs/cheat-sheets/${block.sheet}.md:${block.line}`;
}

/** Runs a tool from the test venv; its output either way, for the failure message. */
function tool(name: string, args: string[], cwd: string, timeout = 120_000): { ok: boolean; output: string } {
  try {
    const output = execFileSync(join(TEST_VENV, "bin", name), args, {
      cwd,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", PYTHONDONTWRITEBYTECODE: "1", PYTHONPATH: cwd },
      stdio: ["ignore", "pipe", "pipe"],
      timeout,
    });
    return { ok: true, output };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` || failed.message };
  }
}

/** What a run block says it prints: the `# -> ...` comments, in order. */
function expectedOutput(block: Block): string[] {
  return [...block.code.matchAll(/#\s*->\s?(.*)$/gm)].map((match) => (match[1] ?? "").trimEnd());
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

const DOCKERFILE_KEYWORDS = new Set([
  "FROM",
  "RUN",
  "CMD",
  "LABEL",
  "EXPOSE",
  "ENV",
  "ADD",
  "COPY",
  "ENTRYPOINT",
  "VOLUME",
  "USER",
  "WORKDIR",
  "ARG",
  "ONBUILD",
  "STOPSIGNAL",
  "HEALTHCHECK",
  "SHELL",
]);

/** A Dockerfile as instructions: comments and blank lines dropped, `\` continuations joined. */
function parseDockerfile(block: Block): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  block.code.split("\n").forEach((raw, index) => {
    const line = block.line + 1 + index;
    const text = raw.trim();
    if (!pending && (text === "" || text.startsWith("#"))) return;
    if (pending && text.startsWith("#")) return;
    const joined = pending ? `${pending.text} ${text.replace(/\\$/, "").trim()}` : text.replace(/\\$/, "").trim();
    const start = pending?.line ?? line;
    if (text.endsWith("\\")) {
      pending = { text: joined, line: start };
      return;
    }
    pending = undefined;
    const match = /^(\S+)\s+(.+)$/.exec(joined);
    if (!match) throw new Error(`${where(block)} line ${start}: not an instruction: ${joined}`);
    const keyword = (match[1] ?? "").toUpperCase();
    if (!DOCKERFILE_KEYWORDS.has(keyword)) throw new Error(`${where(block)} line ${start}: unknown instruction ${match[1]}`);
    instructions.push({ keyword, args: match[2] ?? "", line: start });
  });
  if (pending) throw new Error(`${where(block)}: the last instruction ends with a continuation`);
  return instructions;
}

beforeAll(() => {
  if (!existsSync(join(TEST_VENV, "bin", "python"))) {
    throw new Error(`no Python environment at ${TEST_VENV}: run scripts/python-env.sh first`);
  }
});

const sheetNames = readdirSync(SHEETS_DIR)
  .filter((name) => name.endsWith(".md"))
  .map((name) => name.slice(0, -3))
  .sort();

const sheets = sheetNames.map((name) => {
  const markdown = readFileSync(join(SHEETS_DIR, `${name}.md`), "utf8");
  return { name, markdown, blocks: blocksOf(name, markdown) };
});

it("the four cheat sheets are there", () => {
  expect(sheetNames).toEqual(["debugging", "docker", "fastapi", "sqlalchemy"]);
});

describe.each(sheets)("cheat sheet $name", ({ name, markdown, blocks }) => {
  const python = blocks.filter((b) => b.language === "python");
  const modules = python.filter((b) => !b.flags.has("fragment"));
  const runs = python.filter((b) => b.flags.has("run"));
  const imports = modules.filter((b) => !b.flags.has("run"));
  let dir = "";

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), `drill-sheet-${name}-`));
    for (const block of modules) writeFileSync(join(dir, block.file), block.code);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`fits on two printed pages (at most ${MAX_LINES} lines of at most ${MAX_WIDTH} characters)`, () => {
    const lines = markdown.trimEnd().split("\n");
    expect(lines.length).toBeLessThanOrEqual(MAX_LINES);
    const wide = lines.flatMap((line, index) => (line.length > MAX_WIDTH ? [`${name}.md:${index + 1} (${line.length})`] : []));
    expect(wide, "lines too wide to print").toEqual([]);
  });

  it("names a known language on every code block", () => {
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(LANGUAGES.has(block.language), `${where(block)}: language "${block.language}"`).toBe(true);
    const files = modules.map((b) => b.file);
    expect(new Set(files).size, `two blocks name the same file: ${files.join(", ")}`).toBe(files.length);
  });

  if (python.length > 0)
    it("every python block compiles", () => {
      // Fragments may await at the top level (they are the body of some coroutine).
      const script = [
        "import ast, json, sys",
        "failures = []",
        "for block in json.load(sys.stdin):",
        "    flags = ast.PyCF_ONLY_AST | (ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if block['fragment'] else 0)",
        "    try:",
        "        compile(block['code'], block['where'], 'exec', flags=flags)",
        "    except SyntaxError as error:",
        "        failures.append(f\"{block['where']} (block line {error.lineno}): {error.msg}\")",
        "print('\\n'.join(failures))",
        "sys.exit(1 if failures else 0)",
      ].join("\n");
      const input = JSON.stringify(python.map((b) => ({ code: b.code, where: where(b), fragment: b.flags.has("fragment") })));
      let output = "";
      let ok = true;
      try {
        output = execFileSync(join(TEST_VENV, "bin", "python"), ["-c", script], { input, encoding: "utf8", timeout: 60_000 });
      } catch (error) {
        ok = false;
        output = (error as { stdout?: string }).stdout ?? String(error);
      }
      expect(ok, output).toBe(true);
    });

  if (imports.length > 0)
    it("every whole-module python block imports", () => {
      for (const block of imports) {
        const moduleName = block.file.replace(/\.py$/, "");
        const result = tool("python", ["-c", `import ${moduleName}`], dir);
        expect(result.ok, `${where(block)} does not import:\n${result.output}`).toBe(true);
      }
    });

  if (runs.length > 0)
    it("every runnable python block prints what its comments say", () => {
      for (const block of runs) {
        const expected = expectedOutput(block);
        expect(expected.length, `${where(block)}: a run block states its output with # -> comments`).toBeGreaterThan(0);
        const result = tool("python", [block.file], dir, 90_000);
        expect(result.ok, `${where(block)} failed:\n${result.output}`).toBe(true);
        expect(result.output.trimEnd().split("\n"), `${where(block)} printed something else`).toEqual(expected);
      }
    }, 300_000);

  if (modules.length > 0)
    it("every whole-module python block is clean under ruff and mypy --strict", () => {
      const files = modules.map((b) => b.file);
      // The tools name the files; say which block each one is.
      const legend = modules.map((b) => `${b.file} is the block at ${where(b)}`).join("\n");
      const ruff = tool("ruff", ["check", "--no-cache", "--config", LINT_CONFIG, ...files], dir);
      expect(ruff.ok, `${ruff.output}\n${legend}`).toBe(true);
      const cache = join(tmpdir(), "drill-mypy-cache", `cheat-sheet-${name}`);
      const mypy = tool("mypy", ["--config-file", LINT_CONFIG, "--cache-dir", cache, ...files], dir, 240_000);
      expect(mypy.ok, `${mypy.output}\n${legend}`).toBe(true);
    }, 300_000);

  if (blocks.some((b) => b.language === "dockerfile"))
    it("every dockerfile block parses into instructions", () => {
      for (const block of blocks.filter((b) => b.language === "dockerfile")) {
        const instructions = parseDockerfile(block);
        expect(instructions[0]?.keyword, `${where(block)} starts with FROM`).toBe("FROM");
      }
    });

  if (blocks.some((b) => b.language === "yaml"))
    it("every yaml block parses", () => {
      for (const block of blocks.filter((b) => b.language === "yaml")) {
        expect(() => parseYaml(block.code), where(block)).not.toThrow();
      }
    });
});

describe("the Docker sheet teaches what drill's Docker review checks", () => {
  const docker = sheets.find((s) => s.name === "docker");
  const dockerfile = docker?.blocks.find((b) => b.language === "dockerfile");
  const compose = docker?.blocks.find((b) => b.language === "yaml");

  it("its Dockerfile: slim base, requirements before code, no pip cache, non-root, exec-form CMD on 0.0.0.0 at the exposed port", () => {
    expect(dockerfile, "the Docker sheet has a dockerfile block").toBeDefined();
    const instructions = parseDockerfile(dockerfile!);
    const index = (test: (i: Instruction) => boolean) => instructions.findIndex(test);
    expect(instructions[0]?.args).toMatch(/^python:\S*-slim\S*$/);
    const copyRequirements = index((i) => i.keyword === "COPY" && /requirements\.txt/.test(i.args));
    const install = index((i) => i.keyword === "RUN" && /pip install/.test(i.args));
    const copyCode = index((i) => i.keyword === "COPY" && !/requirements\.txt/.test(i.args));
    expect(copyRequirements).toBeGreaterThanOrEqual(0);
    expect(install).toBeGreaterThan(copyRequirements);
    expect(copyCode).toBeGreaterThan(install);
    expect(instructions[install]?.args).toContain("--no-cache-dir");
    const user = instructions.filter((i) => i.keyword === "USER").at(-1);
    expect(user?.args).toBeDefined();
    expect(user?.args).not.toMatch(/^(root|0)(:|$)/);
    const expose = instructions.find((i) => i.keyword === "EXPOSE");
    const cmd = instructions.filter((i) => i.keyword === "CMD").at(-1);
    const argv = JSON.parse(cmd?.args ?? "null") as unknown;
    expect(Array.isArray(argv), "CMD in exec form (a JSON array)").toBe(true);
    const words = argv as string[];
    expect(words).toContain("uvicorn");
    expect(words[words.indexOf("--host") + 1]).toBe("0.0.0.0");
    expect(words[words.indexOf("--port") + 1]).toBe(expose?.args.trim());
  });

  it("its compose file: the app waits for a healthy database it reaches by service name, with a named volume", () => {
    expect(compose, "the Docker sheet has a yaml block").toBeDefined();
    const file = parseYaml(compose!.code) as {
      services: Record<
        string,
        { depends_on?: Record<string, { condition?: string }>; environment?: Record<string, string> } & Record<string, unknown>
      >;
      volumes?: Record<string, unknown>;
    };
    expect(Object.keys(file.services).sort()).toEqual(["app", "db"]);
    const { app, db } = file.services;
    expect(db?.healthcheck).toBeDefined();
    expect(app?.depends_on?.db?.condition).toBe("service_healthy");
    const url = new URL(app?.environment?.DATABASE_URL ?? "");
    expect(url.protocol).toBe("postgresql+asyncpg:");
    expect(url.hostname).toBe("db");
    const mounts = (db?.volumes ?? []) as string[];
    const named = mounts.map((m) => m.split(":")[0]).filter((source) => source && file.volumes && source in file.volumes);
    expect(named.length, "the database keeps its data in a named volume declared under volumes:").toBe(1);
  });
});
