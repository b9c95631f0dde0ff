"""Request and response bodies: the API's contract, validated by Pydantic."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MAX_TEXT_LENGTH = 1000

Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT_LENGTH, examples=["great service"])]


class PredictRequest(BaseModel):
    text: Text


class InvalidateRequest(BaseModel):
    text: Text


class Prediction(BaseModel):
    label: Literal["positive", "negative"]
    score: float = Field(ge=0.0, le=1.0, description="Confidence in the label")
    model_version: str


class InvalidateResult(BaseModel):
    key: str
    deleted: bool = Field(description="Whether an entry was there to delete")


class CacheStatsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    hits: int
    misses: int
    model_calls: int
