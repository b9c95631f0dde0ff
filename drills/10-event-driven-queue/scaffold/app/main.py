"""Practice 10: event-driven queue. The spec is README.md in this workspace.

Only GET /health exists so far; `drill check` waits for it before it checks anything else.

TODO (README.md, R10.1 to R10.10):
  - load the model once, at startup (a lifespan handler); choose the queue there too:
    RabbitMQ (aio-pika) when AMQP_URL is set, an in-process asyncio.Queue otherwise,
    and start the consumer
  - POST /messages: 202 with the message id (and Location) once the queue has the message
  - GET /messages/{id}: queued -> processing -> processed (or dead_lettered), with the result
  - GET /stats: model_calls, processed, dead_lettered
  - acknowledge a delivery only after its work is done
  - a message id takes effect once; a dead-lettered id may be published again
  - when the model raises: retry MAX_RETRIES times, RETRY_DELAY_MS apart, then dead-letter
  - never block the event loop while the model runs or a retry waits
  - a broker that does not answer: the server still starts, and publishing answers 503 within 1 s

The provided model lives in model.py at the workspace root: `from model import SentimentModel`.
"""

from fastapi import FastAPI

app = FastAPI(title="Event-driven sentiment queue")


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
