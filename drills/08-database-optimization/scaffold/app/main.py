"""Practice 08: database optimization. The spec is README.md in this workspace.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R08.1 to R08.14):
  - at startup (a lifespan handler): create the async engine from DATABASE_URL
    (sqlite+aiosqlite:///./predictions.db when unset), count its statements, create the tables
  - POST /predictions/bulk: validate every row, insert them all in one statement and one transaction
  - GET /predictions: newest first, keyset pages (limit 1..500, an opaque next_cursor), customer=
    filtered on the JSON metadata in SQL, each row with its feedback loaded without N+1
  - GET /predictions/stats: count, average score and counts per label, computed in SQL
  - POST /predictions/{id}/feedback, and GET /debug/statements
  - the indexes: predictions (created_at, id) and feedback (prediction_id)
"""

from fastapi import FastAPI

app = FastAPI(title="Prediction log API")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
