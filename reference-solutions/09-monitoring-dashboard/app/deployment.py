"""The loaded model and the version operators have made active."""

from fastapi.concurrency import run_in_threadpool

from app.schemas import ActiveModel, Prediction
from model import SentimentModel


class Deployment:
    def __init__(self, model: SentimentModel) -> None:
        self._model = model
        self.active = ActiveModel(version=model.version, note="")

    def activate(self, active: ActiveModel) -> ActiveModel:
        self.active = active
        return active

    async def predict(self, text: str) -> Prediction:
        # predict() blocks its thread for MODEL_LATENCY_MS: in a worker thread, not on the loop.
        version = self.active.version
        raw = await run_in_threadpool(self._model.predict, text)
        return Prediction(label=raw["label"], score=raw["score"], model_version=version)
