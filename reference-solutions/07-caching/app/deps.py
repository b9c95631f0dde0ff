"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, Request

from app.service import PredictionService


def get_predictions(request: Request) -> PredictionService:
    predictions: PredictionService = request.app.state.predictions
    return predictions


PredictionsDep = Annotated[PredictionService, Depends(get_predictions)]
