// drill's own review rules (review/drill_review.py): each rule flags its small bad example at the
// line given and says nothing about its good one. The script runs once over every example.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, TEST_VENV, tempDir } from "./helpers.js";

interface Example {
  rule: string;
  /** Line of the note in `bad`. */
  line: number;
  bad: string;
  good: string;
}

const EXAMPLES: Example[] = [
  {
    rule: "DR001",
    line: 3,
    bad: 'from fastapi import FastAPI\napp = FastAPI()\n@app.on_event("startup")\nasync def load() -> None: ...\n',
    good: "from fastapi import FastAPI\nfrom contextlib import asynccontextmanager\n@asynccontextmanager\nasync def lifespan(app):\n    yield\napp = FastAPI(lifespan=lifespan)\n",
  },
  {
    rule: "DR002",
    line: 4,
    bad: '@router.post("/predict")\nasync def predict(body: In) -> Out:\n    x = 1\n    model = SentimentModel.load()\n    return await run(model, body)\n',
    good: '@router.post("/predict")\nasync def predict(body: In, model: ModelDep) -> Out:\n    with open("labels.json") as handle:\n        labels = json.load(handle)\n    async with engine.connect() as conn:\n        await conn.execute(query)\n    return await run(model, body, labels)\n',
  },
  {
    rule: "DR003",
    line: 3,
    bad: '@router.post("/predict")\nasync def predict(body: In, model: ModelDep) -> Out:\n    return model.predict(body.text)\n',
    good: '@router.post("/predict")\nasync def predict(body: In, model: ModelDep) -> Out:\n    task = asyncio.create_task(service.predict(model, body.text))\n    return await run_in_threadpool(model.predict, body.text)\n',
  },
  {
    rule: "DR004",
    line: 4,
    bad: 'jobs = {}\n@router.post("/jobs")\nasync def submit(body: In) -> Out:\n    jobs[body.id] = body\n    return Out()\n',
    good: 'jobs = {}\nlock = asyncio.Lock()\n@router.post("/jobs")\nasync def submit(body: In) -> Out:\n    async with lock:\n        jobs[body.id] = body\n    return Out()\n',
  },
  {
    rule: "DR005",
    line: 2,
    bad: 'class Settings(BaseSettings):\n    webhook_secret: str = "dev-secret"\n',
    good: 'API_KEY_HEADER = "X-API-Key"\nclass Settings(BaseSettings):\n    webhook_secret: SecretStr\n',
  },
  {
    rule: "DR006",
    line: 4,
    bad: "def f() -> None:\n    try:\n        g()\n    except Exception:\n        pass\n",
    good: 'def f() -> None:\n    try:\n        g()\n    except Exception:\n        logger.exception("g failed")\n',
  },
  {
    rule: "DR007",
    line: 2,
    bad: 'def f() -> None:\n    print("started")\n',
    good: 'def f() -> None:\n    logger.info("started")\n',
  },
  {
    rule: "DR008",
    line: 2,
    bad: '@app.get("/items")\nasync def items():\n    return []\n',
    good: '@app.get("/items")\nasync def items() -> list[Item]:\n    return []\n',
  },
  {
    rule: "DR009",
    line: 3,
    bad: '@app.get("/limit")\nasync def limit() -> dict[str, str]:\n    return {"limit": os.environ["RATE_LIMIT"]}\n',
    good: '@app.get("/limit")\nasync def limit(settings: SettingsDep) -> dict[str, int]:\n    return {"limit": settings.rate_limit}\n',
  },
];

const reviewed = new Map<string, { rule: string; line: number }[]>();

beforeAll(async () => {
  const dir = tempDir("drill-review-rules-");
  const files: string[] = [];
  for (const example of EXAMPLES) {
    for (const kind of ["bad", "good"] as const) {
      const file = join(dir, `${example.rule}_${kind}.py`);
      writeFileSync(file, example[kind]);
      files.push(file);
    }
  }
  const { stdout } = await execa(join(TEST_VENV, "bin", "python"), [join(ROOT, "review", "drill_review.py"), ...files]);
  const output = JSON.parse(stdout) as { notes: { rule: string; file: string; line: number }[]; errors: unknown[] };
  expect(output.errors).toEqual([]);
  for (const file of files) reviewed.set(file.slice(dir.length + 1), []);
  for (const note of output.notes) reviewed.get(note.file.slice(dir.length + 1))?.push({ rule: note.rule, line: note.line });
});

describe("drill's own review rules", () => {
  for (const example of EXAMPLES) {
    it(`${example.rule}: flags the bad example at line ${example.line}, not the good one`, () => {
      expect(reviewed.get(`${example.rule}_bad.py`)).toEqual([{ rule: example.rule, line: example.line }]);
      expect(reviewed.get(`${example.rule}_good.py`)).toEqual([]);
    });
  }
});
