"""The application: the model and the rate limiter live as long as the process; CORS wraps it all."""

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
    # Loading reads the weights file: do it once, before the first request, never per request.
    app.state.model = SentimentModel.load(latency_ms=settings.model_latency_ms)
    # The store is chosen once, here: Redis when REDIS_URL is set, this process otherwise.
    limiter = RateLimiter(
        store=await open_store(settings.redis_url),
        limit=settings.rate_limit_requests,
        window_seconds=settings.rate_limit_window_seconds,
    )
    app.state.limiter = limiter
    try:
        yield
    finally:
        await limiter.aclose()


app = FastAPI(title="Sentiment API", lifespan=lifespan)
app.include_router(router)


# A handler for ModelError itself, not for Exception: Starlette runs handlers of Exception in
# its outermost layer, outside every middleware, so that 503 would lose its CORS and
# X-RateLimit-* headers. This one answers inside them, like an HTTPException.
@app.exception_handler(ModelError)
async def model_failed(request: Request, exc: ModelError) -> JSONResponse:
    # The caller did nothing wrong and may try again later: 503, in the same {"detail"} shape as
    # every other refusal.
    return JSONResponse(
        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
        content={"detail": f"the model could not answer: {exc}"},
    )


@app.middleware("http")
async def add_rate_limit_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    # Left on request.state by the quota dependency (deps.py) for every request with a valid key.
    decision: RateLimitDecision | None = getattr(request.state, "rate_limit", None)
    if decision is not None:
        response.headers.update(decision.headers())
    return response


# Added last, so it is the outermost layer: preflights are answered before any key check, and
# 401/403/429/503 responses carry CORS headers too (else the browser reports a CORS error
# instead of the real status).
app.add_middleware(
    CORSMiddleware,
    allow_origins=get_settings().cors_origins,
    allow_methods=["GET", "POST"],
    allow_headers=[API_KEY_HEADER, "Content-Type"],
    # Without this a browser client cannot read its own quota.
    expose_headers=[*RATE_LIMIT_HEADERS, "Retry-After"],
    max_age=600,
)


@app.get("/health")
async def health() -> dict[str, str]:
    # No key, no quota: load balancers and drill poll this.
    return {"status": "ok"}
