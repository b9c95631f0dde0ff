"""The application: the model, the queue and its consumers live as long as the process."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.queues import open_queue
from app.routes import router
from app.service import MessageService
from app.settings import get_settings
from model import SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    model = SentimentModel.load(latency_ms=settings.model_latency_ms)
    # The queue is chosen once, here: RabbitMQ when AMQP_URL is set, this process otherwise.
    queue = await open_queue(
        settings.amqp_url,
        workers=settings.workers,
        startup_timeout=settings.broker_startup_timeout_seconds,
        timeout=settings.broker_timeout_seconds,
    )
    messages = MessageService(model, queue, max_retries=settings.max_retries, retry_delay_ms=settings.retry_delay_ms)
    app.state.messages = messages
    await queue.start(messages.handle)
    try:
        yield
    finally:
        await queue.aclose()


app = FastAPI(title="Event-driven sentiment queue", lifespan=lifespan)
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
