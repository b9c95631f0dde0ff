"""Request and response bodies."""

from typing import Literal

from pydantic import BaseModel, Field


class PredictRequest(BaseModel):
    text: str = Field(min_length=1, max_length=5000)


class Prediction(BaseModel):
    label: Literal["positive", "negative"]
    score: float = Field(ge=0, le=1)
    model_version: str


class CallerInfo(BaseModel):
    scopes: list[str]


class ModelInfo(BaseModel):
    version: str
