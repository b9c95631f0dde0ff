"""What goes over the wire."""

from typing import Literal

from pydantic import BaseModel, Field


class PredictionRequest(BaseModel):
    text: str = Field(min_length=1, max_length=500)


class Prediction(BaseModel):
    id: int
    text: str
    label: Literal["positive", "negative"]
    score: float
