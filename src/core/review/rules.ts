// What each review rule says to the learner: what an interviewer would think, the idiom to use
// instead, and the cheat sheet section that shows it. drill's own rules are found by
// review/drill_review.py (it returns only ids and places); ruff's by ruff with review/ruff.toml.
// docs/review.md lists the same rules for a person.

export interface ReviewRule {
  /** DR001... for drill's own rules; ruff's code (FAST002) or prefix (B) for ruff's. */
  id: string;
  title: string;
  /** What an interviewer reading this line would think. */
  thought: string;
  /** What to write instead. */
  idiom: string;
  /** docs/cheat-sheets/<file>.md[#section] where the idiom is shown. */
  sheet?: string;
}

const FASTAPI_SHEET = "docs/cheat-sheets/fastapi.md";
const BLOCKED_LOOP_SHEET = "docs/cheat-sheets/debugging.md#a-blocked-event-loop";

/** drill's own rules (review/drill_review.py). */
const DRILL_RULES: readonly ReviewRule[] = [
  {
    id: "DR001",
    title: "on_event instead of lifespan",
    thought: "startup/shutdown hooks are deprecated; this reads like an old tutorial.",
    idiom: "one @asynccontextmanager lifespan(app) passed to FastAPI(lifespan=...): setup before yield, cleanup after.",
    sheet: FASTAPI_SHEET,
  },
  {
    id: "DR002",
    title: "a model or client created per request",
    thought: "every request pays to load the model or open a client/engine, and connections leak under load.",
    idiom: "create it once in the lifespan, keep it on app.state, hand it to handlers through an Annotated Depends.",
    sheet: FASTAPI_SHEET,
  },
  {
    id: "DR003",
    title: "blocking predict() inside async def",
    thought: "predict() blocks for its whole latency, and here it blocks the event loop: every other request waits.",
    idiom: "await run_in_threadpool(model.predict, text) (or asyncio.to_thread), or make the handler a plain def.",
    sheet: BLOCKED_LOOP_SHEET,
  },
  {
    id: "DR004",
    title: "module-level mutable state changed from a handler without a lock",
    thought: "global state mutated by concurrent requests: a race waiting to happen, and untestable.",
    idiom: "keep the state in an object made in the lifespan (app.state), and guard changes with an asyncio.Lock.",
  },
  {
    id: "DR005",
    title: "a secret with a hard-coded default",
    thought: "a secret in the source ends up in git and in every deployment that forgot to set it.",
    idiom: "a settings field with no default (SecretStr), so the server refuses to start without it.",
    sheet: FASTAPI_SHEET,
  },
  {
    id: "DR006",
    title: "an exception swallowed",
    thought: "bare except / except Exception: pass hides every bug, KeyboardInterrupt included.",
    idiom: "catch the exception you expect; when you must catch broadly, log it with logger.exception(...).",
  },
  {
    id: "DR007",
    title: "print instead of logging",
    thought: "print has no level, no timestamp and no request id; it cannot be filtered or shipped.",
    idiom: "logger = logging.getLogger(__name__) and logger.info(...).",
  },
  {
    id: "DR008",
    title: "a route without a return type or response model",
    thought: "the response shape is undocumented and unvalidated: OpenAPI shows nothing, anything leaks out.",
    idiom: "annotate the return type with a Pydantic model (-> JobRead), or give response_model=.",
    sheet: FASTAPI_SHEET,
  },
  {
    id: "DR009",
    title: "os.environ read in a handler",
    thought: "configuration scattered through handlers, read per request, untyped and hard to override in tests.",
    idiom: "one pydantic-settings Settings class, built once (lru_cache get_settings), injected with Depends.",
    sheet: FASTAPI_SHEET,
  },
];

/** ruff's codes that get drill's words; other codes of the selection fall back to their prefix. */
const RUFF_RULES: readonly ReviewRule[] = [
  {
    id: "FAST002",
    title: "a dependency without Annotated",
    thought: "param: X = Depends(...) is the old style; FastAPI's docs and reviewers expect Annotated.",
    idiom: "XDep = Annotated[X, Depends(get_x)] once, then param: XDep in every handler.",
    sheet: FASTAPI_SHEET,
  },
  {
    id: "FAST001",
    title: "a redundant response_model",
    thought: "response_model repeats the return annotation: two places to keep in step.",
    idiom: "keep the return annotation, drop response_model=.",
    sheet: FASTAPI_SHEET,
  },
  {
    id: "FAST003",
    title: "a path parameter the handler never takes",
    thought: "the route promises a parameter the function ignores: a bug or a leftover.",
    idiom: "take the path parameter as an argument of the same name, or remove it from the path.",
    sheet: FASTAPI_SHEET,
  },
  {
    id: "ASYNC",
    title: "a blocking call inside async def",
    thought: "a blocking call (sleep, sync HTTP, file or process I/O) stalls the event loop for every request.",
    idiom: "the async form (await asyncio.sleep, httpx.AsyncClient, aiofiles), or run it in a thread (asyncio.to_thread).",
    sheet: BLOCKED_LOOP_SHEET,
  },
  {
    id: "B",
    title: "a likely bug (bugbear)",
    thought: "a pattern that usually hides a bug.",
    idiom: "see ruff's message; `ruff rule <code>` explains it.",
  },
  {
    id: "UP",
    title: "outdated syntax (pyupgrade)",
    thought: "Python from before 3.10: reads as rusty.",
    idiom: "the modern form ruff names (X | None, list[int], ...).",
  },
  {
    id: "I",
    title: "imports not sorted",
    thought: "unsorted imports: small, but reviewers notice tooling is not in use.",
    idiom: "standard library, third party, then your own modules; ruff check --fix sorts them.",
  },
  {
    id: "N",
    title: "a name against PEP 8",
    thought: "names that do not follow PEP 8 read as unfamiliar with Python.",
    idiom: "CapWords for classes, snake_case for functions and variables.",
  },
];

/** The rule that explains a note: drill's id exactly, ruff's code exactly, else its letter prefix. */
export function ruleFor(id: string): ReviewRule | undefined {
  const exact = DRILL_RULES.find((rule) => rule.id === id) ?? RUFF_RULES.find((rule) => rule.id === id);
  if (exact) return exact;
  const prefix = /^[A-Z]+/.exec(id)?.[0];
  return prefix ? RUFF_RULES.find((rule) => rule.id === prefix) : undefined;
}
