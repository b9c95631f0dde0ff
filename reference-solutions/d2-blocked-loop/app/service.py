"""Inference with retries: the one place that calls the model."""

import asyncio

from fastapi.concurrency import run_in_threadpool

from app.schemas import Prediction
from model import ModelError, SentimentModel


class Predictor:
    def __init__(self, model: SentimentModel, retries: int, backoff_ms: int) -> None:
        self._model = model
        self._retries = retries
        self._backoff_s = backoff_ms / 1000

    async def predict(self, text: str) -> Prediction:
        """The model's answer, after up to `retries` more attempts when it fails; its last error otherwise."""
        for _ in range(self._retries):
            try:
                return await self._predict_once(text)
            except ModelError:
                # The pause must not block the loop either: asyncio.sleep, never time.sleep, in async code.
                await asyncio.sleep(self._backoff_s)
        return await self._predict_once(text)

    async def predict_many(self, texts: list[str]) -> list[Prediction]:
        # gather overlaps the predictions only because each one awaits a thread (a coroutine that
        # blocks would still run them one after another); it keeps the input order either way.
        return list(await asyncio.gather(*(self.predict(text) for text in texts)))

    async def _predict_once(self, text: str) -> Prediction:
        # predict() blocks its thread for MODEL_LATENCY_MS, like real CPU inference: run it in the
        # threadpool so the event loop keeps serving every other request meanwhile.
        raw = await run_in_threadpool(self._model.predict, text)
        return Prediction(label=raw["label"], score=raw["score"], model_version=self._model.version)
