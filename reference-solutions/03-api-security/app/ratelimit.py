"""Fixed-window rate limiting, one window per API key.

A key's window opens with its first request and lasts ``window_seconds``; inside it the first
``limit`` requests pass and the rest are refused until the window closes. The two stores answer
one question -- "count this hit: how many hits so far in the window, and how long until it
closes?" -- so the policy (allowed, remaining, reset) lives in one place, ``RateLimiter``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")


@dataclass(frozen=True, slots=True)
class RateLimitDecision:
    allowed: bool
    limit: int
    remaining: int
    #: Whole seconds until the window closes, rounded up: waiting this long is always enough.
    reset_seconds: int

    def headers(self) -> dict[str, str]:
        limit_header, remaining_header, reset_header = RATE_LIMIT_HEADERS
        return {
            limit_header: str(self.limit),
            remaining_header: str(self.remaining),
            reset_header: str(self.reset_seconds),
        }


class WindowStore(Protocol):
    async def hit(self, bucket: str, window_ms: int) -> tuple[int, int]:
        """Count one hit; return (hits in the current window, milliseconds until it closes)."""
        ...

    async def aclose(self) -> None: ...


class MemoryWindowStore:
    """Counters in this process: right for one worker, and the default without REDIS_URL."""

    def __init__(self) -> None:
        # bucket -> (monotonic time the window closes, hits so far). Only authenticated keys
        # get here, so the dict is bounded by the number of configured keys.
        self._windows: dict[str, tuple[float, int]] = {}

    async def hit(self, bucket: str, window_ms: int) -> tuple[int, int]:
        # No await between the read and the write, so on one event loop this is atomic.
        now = time.monotonic()
        closes_at, hits = self._windows.get(bucket, (0.0, 0))
        if now >= closes_at:
            closes_at, hits = now + window_ms / 1000, 0
        hits += 1
        self._windows[bucket] = (closes_at, hits)
        return hits, math.ceil((closes_at - now) * 1000)

    async def aclose(self) -> None:
        return None


# INCR and the expiry in one atomic step, so concurrent requests (from any number of workers)
# can neither slip past the limit nor leave a counter that never expires. `ttl < 0` covers the
# first hit of a window and also heals a counter that somehow lost its expiry.
_HIT_SCRIPT = """
local hits = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {hits, ttl}
"""


class RedisWindowStore:
    """Counters in Redis, shared by every worker that uses the same database."""

    def __init__(self, url: str, prefix: str = "ratelimit") -> None:
        self._redis = Redis.from_url(url)
        self._hit = self._redis.register_script(_HIT_SCRIPT)
        self._prefix = prefix

    async def ping(self) -> None:
        await self._redis.ping()

    async def hit(self, bucket: str, window_ms: int) -> tuple[int, int]:
        hits, ttl_ms = await self._hit(keys=[f"{self._prefix}:{bucket}"], args=[window_ms])
        return int(hits), int(ttl_ms)

    async def aclose(self) -> None:
        await self._redis.aclose()


async def open_store(redis_url: str | None) -> WindowStore:
    if not redis_url:
        return MemoryWindowStore()
    store = RedisWindowStore(redis_url)
    await store.ping()  # a wrong REDIS_URL stops the server at startup, not at the first request
    return store


class RateLimiter:
    def __init__(self, store: WindowStore, limit: int, window_seconds: int) -> None:
        self._store = store
        self.limit = limit
        self.window_seconds = window_seconds

    async def hit(self, bucket: str) -> RateLimitDecision:
        hits, closes_in_ms = await self._store.hit(bucket, self.window_seconds * 1000)
        return RateLimitDecision(
            allowed=hits <= self.limit,
            limit=self.limit,
            remaining=max(0, self.limit - hits),
            reset_seconds=max(1, math.ceil(closes_in_ms / 1000)),
        )

    async def aclose(self) -> None:
        await self._store.aclose()
