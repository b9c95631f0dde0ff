"""Predictions: the registry picks the version, the provided model answers for it."""

from fastapi.concurrency import run_in_threadpool
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app import registry
from app.errors import PredictionFailedError
from app.schemas import Prediction
from model import ModelError, SentimentModel


class Predictor:
    """Every registered version is served by the one model loaded at startup (this practice ships
    one set of weights); what the registry decides is which version answers."""

    def __init__(self, model: SentimentModel, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._model = model
        self._sessions = sessions

    async def predict(self, text: str, pinned: str | None) -> Prediction:
        # A short session of its own: the connection goes back to the pool before the model runs,
        # and the production version is read per request, so a promotion applies at once (in
        # every worker, not only the one that handled it).
        async with self._sessions() as session:
            if pinned is not None:
                version = (await registry.get_version(session, pinned)).version
            else:
                version = await registry.production_version(session)
        try:
            # predict() blocks its thread for MODEL_LATENCY_MS: keep it off the event loop.
            raw = await run_in_threadpool(self._model.predict, text)
        except ModelError as error:
            raise PredictionFailedError(version, str(error)) from error
        return Prediction(label=raw["label"], score=raw["score"], version=version)
