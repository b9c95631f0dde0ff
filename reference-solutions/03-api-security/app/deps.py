"""Dependencies: handlers ask for what they need; the lifespan put it on app.state.

A protected route resolves, in this order: the key (401 when missing or unknown), the key's
quota (429 when spent; every request with a valid key counts), then the scope the route needs
(403). Dependencies run before the body is validated, so a caller without a good key learns
nothing about the body's shape.
"""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security, status

from app.ratelimit import RateLimiter
from app.security import API_KEY_HEADER, Caller, api_key_header, find_caller, unauthorized
from app.settings import Settings, get_settings
from model import SentimentModel


def get_model(request: Request) -> SentimentModel:
    model: SentimentModel = request.app.state.model
    return model


def get_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.limiter
    return limiter


SettingsDep = Annotated[Settings, Depends(get_settings)]
ModelDep = Annotated[SentimentModel, Depends(get_model)]
LimiterDep = Annotated[RateLimiter, Depends(get_limiter)]


async def authenticate(
    presented: Annotated[str | None, Security(api_key_header)],
    settings: SettingsDep,
) -> Caller:
    if not presented:
        raise unauthorized(f"missing {API_KEY_HEADER} header")
    caller = find_caller(presented, settings.api_keys)
    if caller is None:
        raise unauthorized("invalid API key")
    return caller


async def enforce_rate_limit(
    request: Request,
    caller: Annotated[Caller, Depends(authenticate)],
    limiter: LimiterDep,
) -> Caller:
    decision = await limiter.hit(caller.key_id)
    # Middleware in main.py copies the X-RateLimit-* headers onto the response, whatever its
    # status: headers set on an injected Response would be lost when a 403 or 429 is raised.
    request.state.rate_limit = decision
    if not decision.allowed:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail="rate limit exceeded for this API key",
            headers={"Retry-After": str(decision.reset_seconds)},
        )
    return caller


#: Any valid key with quota left.
CurrentCaller = Annotated[Caller, Depends(enforce_rate_limit)]


def require_scope(scope: str) -> Callable[[Caller], Awaitable[Caller]]:
    async def check_scope(caller: CurrentCaller) -> Caller:
        if scope not in caller.scopes:
            raise HTTPException(
                status_code=status.HTTP_403_FORBIDDEN,
                detail=f"this API key lacks the '{scope}' scope",
            )
        return caller

    return check_scope


PredictCaller = Annotated[Caller, Depends(require_scope("predict"))]
AdminCaller = Annotated[Caller, Depends(require_scope("admin"))]
