"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.predictions import Predictor


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    # One session per request. The registry commits its own writes before returning: FastAPI
    # runs this teardown only after the answer is sent, too late for a commit the client relies on.
    async with request.app.state.sessions() as session:
        yield session


def get_predictor(request: Request) -> Predictor:
    predictor: Predictor = request.app.state.predictor
    return predictor


SessionDep = Annotated[AsyncSession, Depends(get_session)]
PredictorDep = Annotated[Predictor, Depends(get_predictor)]
