"""Predictions API for the dashboard front end (a Vite app, http://localhost:5173 in development).

drill starts this app from the workspace root with
    python -m uvicorn app.main:app --host 127.0.0.1 --port $PORT
and passes ALLOWED_ORIGINS and MODEL_LATENCY_MS as environment variables.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response, status
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from app.routes import router
from app.settings import get_settings
from app.store import PredictionStore
from model import SentimentModel

SESSION_COOKIE = "session"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.model = SentimentModel.load(latency_ms=get_settings().model_latency_ms)
    app.state.store = PredictionStore()
    yield


app = FastAPI(title="Predictions API", lifespan=lifespan)

# The front end runs on another origin and sends its session cookie (fetch with
# credentials: "include"), JSON bodies and its X-Client-Version header.
app.add_middleware(
    CORSMiddleware,
    allow_origins=get_settings().allowed_origins,
    allow_credentials=True,
    allow_methods=["GET", "POST", "DELETE"],
    allow_headers=["Content-Type", "X-Client-Version"],
)


@app.middleware("http")
async def require_session(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    # The login service in front of us sets the session cookie; its value is the user's id.
    if request.url.path.startswith("/predictions"):
        user = request.cookies.get(SESSION_COOKIE)
        if not user:
            return JSONResponse(status_code=status.HTTP_401_UNAUTHORIZED, content={"detail": "not signed in"})
        request.state.user = user
    return await call_next(request)


app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
