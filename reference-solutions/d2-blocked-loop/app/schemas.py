"""Request and response bodies: the API's contract, validated by Pydantic."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

Text = Annotated[str, Field(min_length=1, max_length=1000)]


class PredictRequest(BaseModel):
    text: Text


class BatchRequest(BaseModel):
    texts: Annotated[list[Text], Field(min_length=1, max_length=16)]


class Prediction(BaseModel):
    label: Literal["positive", "negative"]
    score: float = Field(ge=0.0, le=1.0)
    model_version: str


class BatchPrediction(BaseModel):
    predictions: list[Prediction]
