"""Practice 06: error handling and observability. The spec is README.md in this workspace.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R06.1 to R06.15):
  - load the model once, at startup (a lifespan handler)
  - POST /predict, GET /models/{model_name}, GET /debug/error (raises on purpose)
  - one error envelope, {"error": {"code", "message", "request_id"}}, for 404, 405, 422,
    the model's failures (503) and unhandled exceptions (500), never with a traceback
  - X-Request-ID on every response: the caller's when it is valid, a new one otherwise
  - one JSON log line per request: request_id, method, route, status, duration_ms
  - GET /metrics (prometheus-client): http_requests_total and http_request_duration_seconds,
    labelled by route template

The provided model lives in model.py at the workspace root: `from model import ModelError, SentimentModel`.
"""

from fastapi import FastAPI

app = FastAPI(title="Observable sentiment API")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
