"""Predictions through the cache: cache-aside, with one model call per key at a time."""

import asyncio
from dataclasses import dataclass
from enum import StrEnum

from fastapi.concurrency import run_in_threadpool

from app.cache import CacheBackend
from app.keys import cache_key
from app.schemas import Prediction
from model import SentimentModel


class CacheStatus(StrEnum):
    hit = "HIT"
    miss = "MISS"


@dataclass
class CacheStats:
    """Counters of this process; with several workers, count in Redis or export metrics instead."""

    hits: int = 0
    misses: int = 0
    model_calls: int = 0


@dataclass(frozen=True, slots=True)
class CachedPrediction:
    prediction: Prediction
    status: CacheStatus
    key: str


class PredictionService:
    def __init__(self, model: SentimentModel, cache: CacheBackend, ttl_seconds: int) -> None:
        self._model = model
        self._cache = cache
        self._ttl_seconds = ttl_seconds
        self.stats = CacheStats()
        # key -> the model call in progress for it. Concurrent misses for one key await that call
        # instead of starting their own (single-flight), so a burst costs one prediction. This
        # coalesces within one process; across workers a short Redis lock (SET NX PX) would.
        self._in_flight: dict[str, asyncio.Task[Prediction]] = {}

    def key_for(self, text: str) -> str:
        return cache_key(self._model.version, text)

    async def predict(self, text: str) -> CachedPrediction:
        key = self.key_for(text)
        cached = await self._cache.get(key)
        if cached is not None:
            self.stats.hits += 1
            return CachedPrediction(Prediction.model_validate_json(cached), CacheStatus.hit, key)

        self.stats.misses += 1
        call = self._in_flight.get(key)
        if call is None:
            call = asyncio.create_task(self._compute(key, text))
            self._in_flight[key] = call
        # shield: a caller that disconnects must not cancel the call the others are waiting for.
        prediction = await asyncio.shield(call)
        return CachedPrediction(prediction, CacheStatus.miss, key)

    async def invalidate(self, text: str) -> tuple[str, bool]:
        key = self.key_for(text)
        return key, await self._cache.delete(key)

    async def _compute(self, key: str, text: str) -> Prediction:
        try:
            self.stats.model_calls += 1
            # predict() blocks its thread for MODEL_LATENCY_MS: keep it off the event loop.
            raw = await run_in_threadpool(self._model.predict, text)
            prediction = Prediction(label=raw["label"], score=raw["score"], model_version=self._model.version)
            # Only a successful answer is stored; an exception reaches every waiter and caches nothing.
            await self._cache.set(key, prediction.model_dump_json(), self._ttl_seconds)
            return prediction
        finally:
            self._in_flight.pop(key, None)
