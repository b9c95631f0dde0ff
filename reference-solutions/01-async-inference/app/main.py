"""The application: the model and the job queue live as long as the process, not a request."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.jobs import JobQueue
from app.routes import router
from app.settings import get_settings
from model import SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    # Loading reads the weights file: do it once, before the first request, never per request.
    model = SentimentModel.load(latency_ms=settings.model_latency_ms)
    jobs = JobQueue(model, workers=settings.job_workers)
    jobs.start()
    app.state.model = model
    app.state.jobs = jobs
    try:
        yield
    finally:
        await jobs.stop()


app = FastAPI(title="Async ML inference", lifespan=lifespan)
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
