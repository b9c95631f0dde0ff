"""Where cached predictions live: Redis when REDIS_URL is set, this process otherwise.

Both backends answer the same three questions (get, set with a time to live, delete), so the
cache-aside logic in service.py never knows which one it talks to. Values are JSON strings.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis

from app.settings import Settings


class CacheBackend(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl_seconds: int) -> None: ...

    async def delete(self, key: str) -> bool:
        """Remove the entry; True when there was a live one."""
        ...

    async def aclose(self) -> None: ...


class MemoryCache:
    """A TTL cache in this process: the default without REDIS_URL, right for one worker.

    Beyond ``max_entries`` the least recently used entry goes, so memory stays bounded.
    """

    def __init__(self, max_entries: int) -> None:
        # key -> (monotonic time the entry expires, value), least recently used first.
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._max_entries = max_entries

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if time.monotonic() >= expires_at:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        self._entries[key] = (time.monotonic() + ttl_seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)

    async def delete(self, key: str) -> bool:
        entry = self._entries.pop(key, None)
        return entry is not None and time.monotonic() < entry[0]

    async def aclose(self) -> None:
        self._entries.clear()


class RedisCache:
    """Entries in Redis: shared by every worker, and they outlive a restart (until they expire)."""

    def __init__(self, url: str) -> None:
        self._redis = Redis.from_url(url, decode_responses=True)

    async def ping(self) -> None:
        await self._redis.ping()

    async def get(self, key: str) -> str | None:
        value = await self._redis.get(key)
        # decode_responses=True makes the client hand back str; the bytes branch is for the type checker.
        return value.decode() if isinstance(value, bytes) else value

    async def set(self, key: str, value: str, ttl_seconds: int) -> None:
        # The expiry is set in the same command as the value: no entry can live forever.
        await self._redis.set(key, value, ex=ttl_seconds)

    async def delete(self, key: str) -> bool:
        return await self._redis.delete(key) > 0

    async def aclose(self) -> None:
        await self._redis.aclose()


async def open_cache(settings: Settings) -> CacheBackend:
    if not settings.redis_url:
        return MemoryCache(max_entries=settings.cache_max_entries)
    cache = RedisCache(settings.redis_url)
    await cache.ping()  # a wrong REDIS_URL stops the server at startup, not at the first request
    return cache
