"""Request and response bodies: the API's contract, validated by Pydantic."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

MAX_TEXT_LENGTH = 1000


class PredictRequest(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_LENGTH, examples=["great service"])]


class Prediction(BaseModel):
    label: Literal["positive", "negative"]
    score: float = Field(ge=0.0, le=1.0, description="Confidence in the label")
    model_version: str


class ActiveModel(BaseModel):
    version: Annotated[str, Field(min_length=1, max_length=100)]
    note: Annotated[str, Field(max_length=500)] = ""


class Delay(BaseModel):
    delay_ms: int
    status: int


class Totals(BaseModel):
    requests: int
    errors: int
    error_rate: float


class RouteSummary(BaseModel):
    method: str
    route: str
    requests: int
    errors: int
    error_rate: float
    p50_ms: float
    p95_ms: float


class DashboardSummary(BaseModel):
    model: ActiveModel
    totals: Totals
    routes: list[RouteSummary]
