"""Practice 02: batch processing. The spec is README.md in this workspace.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R02.1 to R02.13):
  - at startup (a lifespan handler): load the model once, create the async engine from
    DATABASE_URL (sqlite+aiosqlite:///./batch.db when unset) and create the tables
  - POST /batches: score every item, store the batch and its items in one transaction with one
    bulk insert, answer 201 with every item's prediction in input order
  - reject a whole batch for one bad item (422 naming its index), or when it is too big (413)
  - Idempotency-Key: the same key and batch replay the stored answer (Idempotent-Replayed: true);
    the same key with another batch is a 422
  - GET /batches/{batch_id} and GET /stats, read from the database

The provided model lives in model.py at the workspace root: `from model import SentimentModel`.
"""

from fastapi import FastAPI

app = FastAPI(title="Batch scoring API")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
