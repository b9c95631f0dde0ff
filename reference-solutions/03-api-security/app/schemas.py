"""Request and response bodies: the API's contract, validated by Pydantic."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field


class PredictRequest(BaseModel):
    # Any non-empty string (R03.3). The spec sets no upper bound, so none is added here: a cap
    # would answer 422 to a body the contract accepts.
    text: Annotated[str, Field(min_length=1, examples=["great service"])]


class Prediction(BaseModel):
    label: Literal["positive", "negative"]
    score: float = Field(ge=0.0, le=1.0, description="Confidence in the label")
    model_version: str


class CallerInfo(BaseModel):
    scopes: list[str]


class ModelInfo(BaseModel):
    version: str
