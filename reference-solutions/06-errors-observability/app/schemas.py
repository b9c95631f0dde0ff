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


class ModelInfo(BaseModel):
    name: str
    version: str


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str
    details: list[FieldError] | None = None


class ErrorEnvelope(BaseModel):
    """The one shape of every error response: {"error": {"code", "message", "request_id", ...}}."""

    error: ErrorBody
