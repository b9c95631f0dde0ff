"""The application: the model is loaded once and lives as long as the process."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.routes import router
from app.service import Predictor
from app.settings import get_settings
from model import SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    model = SentimentModel.load(latency_ms=settings.model_latency_ms)
    app.state.predictor = Predictor(model, retries=settings.model_retries, backoff_ms=settings.retry_backoff_ms)
    yield


app = FastAPI(title="Review sentiment API", lifespan=lifespan)
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
