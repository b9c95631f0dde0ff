"""Practice 07: caching. The spec is README.md in this workspace.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R07.1 to R07.10):
  - load the model once, at startup (a lifespan handler); choose the cache there too:
    Redis (redis.asyncio) when REDIS_URL is set, an in-process TTL cache otherwise
  - POST /predict: cache-aside, with X-Cache (HIT or MISS) and X-Cache-Key on every answer
  - cache keys: predict:{model version}:{sha256 of the normalised text}
  - entries expire after CACHE_TTL_SECONDS
  - POST /cache/invalidate: delete one text's entry
  - GET /cache/stats: hits, misses, model_calls
  - concurrent misses for one key call the model once
  - when the model raises (a text containing [fail]): 500 with a reason, and nothing cached
  - never block the event loop while the model runs

The provided model lives in model.py at the workspace root: `from model import SentimentModel`.
"""

from fastapi import FastAPI

app = FastAPI(title="Cached sentiment API")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
