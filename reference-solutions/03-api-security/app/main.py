"""Application factory: model and rate limiter set up once in the lifespan, then middleware."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from app.ratelimit import RATE_LIMIT_HEADERS, RateLimitDecision, RateLimiter, open_store
from app.routes import router
from app.security import API_KEY_HEADER
from app.settings import get_settings
from model import ModelError, SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    app.state.model = SentimentModel.load()
    app.state.limiter = RateLimiter(
        store=await open_store(settings.redis_url),
        limit=settings.rate_limit_requests,
        window_seconds=settings.rate_limit_window_seconds,
    )
    try:
        yield
    finally:
        await app.state.limiter.aclose()


async def add_rate_limit_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    decision: RateLimitDecision | None = getattr(request.state, "rate_limit", None)
    if decision is not None:
        response.headers.update(decision.headers())
    return response


async def model_failed(request: Request, exc: Exception) -> JSONResponse:
    # The caller did nothing wrong and may try again later: 503, in the same {"detail"} shape as
    # every other refusal.
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"detail": f"the model could not answer: {exc}"},
    )


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(title="Sentiment API", lifespan=lifespan)
    app.include_router(router)
    # A handler for ModelError itself, not for Exception: Starlette runs handlers of Exception in
    # its outermost layer, outside every middleware, so that 503 would lose its CORS and
    # X-RateLimit-* headers. This one answers inside them, like an HTTPException.
    app.add_exception_handler(ModelError, model_failed)
    app.middleware("http")(add_rate_limit_headers)
    # Added last, so it is the outermost layer: preflights are answered before any key check,
    # and 401/403/429 responses carry CORS headers too (else the browser reports a CORS error
    # instead of the real status).
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=[API_KEY_HEADER, "Content-Type"],
        # Without this a browser client cannot read its own quota.
        expose_headers=[*RATE_LIMIT_HEADERS, "Retry-After"],
        max_age=600,
    )
    return app


app = create_app()
