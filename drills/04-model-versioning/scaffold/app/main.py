"""Practice 04: model versioning. The spec is README.md in this workspace.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R04.1 to R04.12):
  - at startup (a lifespan handler): load the model once, create the async engine from
    DATABASE_URL (SQLAlchemy 2.0, sqlite+aiosqlite or postgresql+asyncpg) and its tables
  - POST /versions, GET /versions (in semantic-version order), GET /versions/{version}
  - POST /versions/{version}/promote, GET /production, POST /production/rollback
  - POST /predict: served by the production version, or by a pinned one
  - POST and GET /versions/{version}/evaluations: results stored once, never replaced
  - everything lives in the database, so it survives a restart

The provided model lives in model.py at the workspace root: `from model import SentimentModel`.
"""

from fastapi import FastAPI

app = FastAPI(title="Model registry")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
