"""Practice 09: a monitoring dashboard. The spec is README.md in this workspace.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R09.1 to R09.10):
  - load the model once, at startup (a lifespan handler)
  - POST /predict, GET /model and PUT /model (the active version), GET /debug/latency/{delay_ms},
    GET /debug/error (raises on purpose)
  - count every request by method and route template, except the dashboard's own and /health:
    requests, errors (status >= 500) and the durations of the latest LATENCY_WINDOW requests
  - GET /dashboard/summary (JSON) and GET /dashboard (HTML, every user-supplied string escaped)

The provided model lives in model.py at the workspace root: `from model import ModelError, SentimentModel`.
"""

from fastapi import FastAPI

app = FastAPI(title="Sentiment service with a dashboard")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
