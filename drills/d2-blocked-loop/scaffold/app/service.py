"""Inference with retries: the one place that calls the model."""

import asyncio
import time

from app.schemas import Prediction
from model import ModelError, SentimentModel


def _wait_before_retry(backoff_s: float) -> None:
    """Give a struggling model a moment before the next attempt."""
    time.sleep(backoff_s)


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
                _wait_before_retry(self._backoff_s)
        return await self._predict_once(text)

    async def predict_many(self, texts: list[str]) -> list[Prediction]:
        # All the texts at once, in input order.
        return list(await asyncio.gather(*(self.predict(text) for text in texts)))

    async def _predict_once(self, text: str) -> Prediction:
        raw = self._model.predict(text)
        return Prediction(label=raw["label"], score=raw["score"], model_version=self._model.version)
