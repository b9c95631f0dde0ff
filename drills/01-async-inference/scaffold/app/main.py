"""Practice 01: async ML inference. The spec is README.md in this workspace.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R01.1 to R01.11):
  - load the model once, at startup (a lifespan handler), and keep it on app.state
  - GET /model: report the loaded model's version
  - POST /predict: run the model without blocking the event loop
  - POST /jobs and GET /jobs/{job_id}: background jobs that move queued -> running -> succeeded
  - validate request bodies (a bad body is a 422)
  - when the model raises (a text containing [fail]): /predict answers 500 with a reason, the job
    ends failed with its error, and the workers go on

The provided model lives in model.py at the workspace root: `from model import SentimentModel`.
"""

from fastapi import FastAPI

app = FastAPI(title="Async ML inference")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
