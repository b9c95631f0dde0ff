"""Who is calling and what they may do, as FastAPI dependencies.

A protected route resolves, in this order: the key (401 when missing or unknown), the key's
quota (429 when spent; every request with a valid key counts), then the scope the route needs
(403). Dependencies run before the body is validated, so a caller without a good key learns
nothing about the body's shape.
"""

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import APIKeyHeader

from app.ratelimit import RateLimiter
from app.settings import Settings, get_settings

API_KEY_HEADER = "X-API-Key"

# auto_error=False: we raise the 401 ourselves, the same way for a missing and a wrong key.
api_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False)


@dataclass(frozen=True, slots=True)
class Caller:
    #: A fingerprint of the key: safe to log and to use as the rate-limit bucket.
    key_id: str
    scopes: frozenset[str]


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": f'ApiKey header="{API_KEY_HEADER}"'},
    )


def _find_caller(presented: str, keys: dict[str, frozenset[str]]) -> Caller | None:
    presented_bytes = presented.encode()
    for key, scopes in keys.items():
        # Constant time, and on bytes: compare_digest raises TypeError for non-ASCII str.
        if secrets.compare_digest(key.encode(), presented_bytes):
            return Caller(key_id=hashlib.sha256(key.encode()).hexdigest()[:16], scopes=scopes)
    return None


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def authenticate(
    presented: Annotated[str | None, Security(api_key_header)],
    settings: SettingsDep,
) -> Caller:
    if not presented:
        raise _unauthorized(f"missing {API_KEY_HEADER} header")
    caller = _find_caller(presented, settings.api_keys)
    if caller is None:
        raise _unauthorized("invalid API key")
    return caller


async def enforce_rate_limit(request: Request, caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
    limiter: RateLimiter = request.app.state.limiter
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
