"""API keys: the header they travel in, and who a presented key belongs to.

Plain functions with no FastAPI dependencies of their own: deps.py turns them into the
dependencies a route declares.
"""

import hashlib
import secrets
from dataclasses import dataclass

from fastapi import HTTPException, status
from fastapi.security import APIKeyHeader

API_KEY_HEADER = "X-API-Key"

# auto_error=False: we raise the 401 ourselves, the same way for a missing and a wrong key.
api_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False)


@dataclass(frozen=True, slots=True)
class Caller:
    #: A fingerprint of the key: safe to log and to use as the rate-limit bucket.
    key_id: str
    scopes: frozenset[str]


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail=detail,
        headers={"WWW-Authenticate": f'ApiKey header="{API_KEY_HEADER}"'},
    )


def find_caller(presented: str, keys: dict[str, frozenset[str]]) -> Caller | None:
    presented_bytes = presented.encode()
    for key, scopes in keys.items():
        # Constant time, and on bytes: compare_digest raises TypeError for non-ASCII str.
        if secrets.compare_digest(key.encode(), presented_bytes):
            return Caller(key_id=hashlib.sha256(key.encode()).hexdigest()[:16], scopes=scopes)
    return None
