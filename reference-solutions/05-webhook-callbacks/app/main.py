"""The application: the model, the job queue and the webhook client live as long as the process."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from app.jobs import JobQueue
from app.routes import router
from app.settings import get_settings
from app.webhooks import WebhookDispatcher
from model import SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    model = SentimentModel.load(latency_ms=settings.model_latency_ms)
    # One client for every callback: it pools connections, and its timeout bounds each attempt
    # (connect, write, read), so a receiver that never answers cannot hold a delivery forever.
    async with httpx.AsyncClient(
        timeout=httpx.Timeout(settings.webhook_timeout_ms / 1000),
        follow_redirects=False,
        headers={"User-Agent": "sentiment-webhooks/1.0"},
    ) as client:
        webhooks = WebhookDispatcher(
            client,
            secret=settings.webhook_secret.get_secret_value(),
            max_attempts=settings.webhook_max_attempts,
            backoff_base_ms=settings.webhook_backoff_base_ms,
            concurrency=settings.webhook_concurrency,
        )
        jobs = JobQueue(model, webhooks, workers=settings.job_workers)
        jobs.start()
        app.state.jobs = jobs
        try:
            yield
        finally:
            # Workers first, so that no new delivery starts while the pending ones are cancelled.
            await jobs.stop()
            await webhooks.aclose()


app = FastAPI(title="Sentiment jobs with webhook callbacks", lifespan=lifespan)
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
