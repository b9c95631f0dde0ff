"""Practice 03: API security. The spec is README.md; build to it.

drill starts this app from the workspace root with
    python -m uvicorn app.main:app --host 127.0.0.1 --port $PORT
and passes the knobs (API_KEYS, RATE_LIMIT_REQUESTS, RATE_LIMIT_WINDOW_SECONDS, CORS_ORIGINS,
MODEL_LATENCY_MS, and REDIS_URL when a Redis is available) as environment variables.
"""

from fastapi import FastAPI

app = FastAPI(title="Sentiment API")

# TODO (README "Knobs"): read the knobs from the environment in one place.
# TODO (README R03.4-R03.6): authenticate X-API-Key with a dependency; 401 + WWW-Authenticate.
# TODO (README R03.7): a dependency factory that requires a scope; 403 without it.
# TODO (README R03.8-R03.11, R03.15): per-key fixed-window rate limit: 429, Retry-After, X-RateLimit-*.
# TODO (README R03.2, R03.3): GET /me, POST /predict (wrap model.py's SentimentModel), GET /admin/model.
# TODO (README R03.16, R03.17): a failing model answers 503; predictions stay off the event loop.
# TODO (README R03.12-R03.14): CORS for the origins in CORS_ORIGINS only.


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
