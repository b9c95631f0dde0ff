"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, Request

from app.metrics import HttpMetrics
from model import SentimentModel


def get_model(request: Request) -> SentimentModel:
    model: SentimentModel = request.app.state.model
    return model


def get_metrics(request: Request) -> HttpMetrics:
    metrics: HttpMetrics = request.app.state.metrics
    return metrics


ModelDep = Annotated[SentimentModel, Depends(get_model)]
MetricsDep = Annotated[HttpMetrics, Depends(get_metrics)]
