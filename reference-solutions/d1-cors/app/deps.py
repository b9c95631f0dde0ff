"""Dependencies: handlers ask for what they need; the lifespan and the session check provide it."""

from typing import Annotated

from fastapi import Depends, Request

from app.store import PredictionStore
from model import SentimentModel


def get_model(request: Request) -> SentimentModel:
    model: SentimentModel = request.app.state.model
    return model


def get_store(request: Request) -> PredictionStore:
    store: PredictionStore = request.app.state.store
    return store


def current_user(request: Request) -> str:
    # Set by the session check in main.py, which runs before any /predictions route.
    user: str = request.state.user
    return user


ModelDep = Annotated[SentimentModel, Depends(get_model)]
StoreDep = Annotated[PredictionStore, Depends(get_store)]
UserDep = Annotated[str, Depends(current_user)]
