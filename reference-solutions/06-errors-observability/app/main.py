"""The application: model, metrics and logging are set up once, in the lifespan."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.errors import EXCEPTION_HANDLERS
from app.logging_config import configure_logging
from app.metrics import HttpMetrics
from app.middleware import ObservabilityMiddleware
from app.routes import router
from app.settings import get_settings
from model import SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    configure_logging(settings.log_level)
    app.state.model = SentimentModel.load(latency_ms=settings.model_latency_ms)
    app.state.metrics = HttpMetrics()
    yield


app = FastAPI(
    title="Observable sentiment API",
    lifespan=lifespan,
    debug=get_settings().debug,
    exception_handlers=EXCEPTION_HANDLERS,
)
app.add_middleware(ObservabilityMiddleware)
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
