"""Inference: the one place that calls the model."""

from fastapi.concurrency import run_in_threadpool

from app.schemas import Prediction
from model import SentimentModel


async def predict(model: SentimentModel, text: str) -> Prediction:
    # predict() blocks its thread for MODEL_LATENCY_MS: in a worker thread, not on the event loop.
    # A ModelError it raises propagates to its handler in main.py (a 503).
    raw = await run_in_threadpool(model.predict, text)
    return Prediction(label=raw["label"], score=raw["score"], model_version=model.version)
