"""The application: the model and the cache live as long as the process, not a request."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.cache import open_cache
from app.routes import router
from app.service import PredictionService
from app.settings import get_settings
from model import SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    model = SentimentModel.load(latency_ms=settings.model_latency_ms)
    # The backend is chosen once, here: Redis when REDIS_URL is set, this process otherwise.
    cache = await open_cache(settings)
    app.state.predictions = PredictionService(model, cache, ttl_seconds=settings.cache_ttl_seconds)
    try:
        yield
    finally:
        await cache.aclose()


app = FastAPI(title="Cached sentiment API", lifespan=lifespan)
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
