"""The application: the model, the traffic statistics and the active version live on app.state."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from app import dashboard, routes
from app.deployment import Deployment
from app.middleware import StatsMiddleware
from app.settings import get_settings
from app.stats import TrafficStats
from model import ModelError, SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    app.state.deployment = Deployment(SentimentModel.load(latency_ms=settings.model_latency_ms))
    app.state.stats = TrafficStats(window=settings.latency_window)
    yield


app = FastAPI(title="Sentiment service with a dashboard", lifespan=lifespan)
app.add_middleware(StatsMiddleware)
app.include_router(routes.router)
app.include_router(dashboard.router)


@app.exception_handler(ModelError)
async def model_error(request: Request, exc: ModelError) -> JSONResponse:
    # The model could not answer this text: a 503 the client may retry, counted as an error.
    return JSONResponse(status_code=status.HTTP_503_SERVICE_UNAVAILABLE, content={"detail": str(exc)})


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
