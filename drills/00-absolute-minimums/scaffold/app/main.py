"""Practice 00: the absolute minimums. The spec is README.md in this workspace. Time box: 20 minutes.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R00.1 to R00.17):
  - a Pydantic model with three fields: name, price_cents, quantity (with Field constraints)
  - a SQLAlchemy 2.0 async engine from DATABASE_URL (sqlite+aiosqlite:///./items.db when unset),
    the table created at startup (a lifespan handler)
  - POST /items (201), GET /items/{item_id} (200 / 404), GET /items (creation order)
  - a Dockerfile and a docker-compose.yml (the app and PostgreSQL) beside requirements.txt
"""

from fastapi import FastAPI

app = FastAPI(title="Items API")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
