"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, Request

from app.service import Predictor


def get_predictor(request: Request) -> Predictor:
    predictor: Predictor = request.app.state.predictor
    return predictor


PredictorDep = Annotated[Predictor, Depends(get_predictor)]
