"""Practice 05: webhook callbacks. The spec is README.md in this workspace.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R05.1 to R05.13):
  - read the knobs (WEBHOOK_SECRET, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_BACKOFF_BASE_MS,
    WEBHOOK_TIMEOUT_MS, MODEL_LATENCY_MS) in one settings object
  - load the model once, at startup (a lifespan handler), with one shared httpx.AsyncClient
  - POST /jobs and GET /jobs/{job_id}: background jobs that carry a callback_url
  - when a job finishes (succeeded, or failed: the model raises ModelError), store the outcome,
    then POST the signed callback to its callback_url, in the background
  - retry 5xx answers, timeouts and connection errors with exponential backoff; never 4xx
  - GET /jobs/{job_id}/deliveries: the delivery log, one entry per attempt

The provided model lives in model.py at the workspace root:
`from model import ModelError, SentimentModel`.
"""

from fastapi import FastAPI

app = FastAPI(title="Webhook callbacks")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
