"""Request and response bodies: the API's contract, validated by Pydantic."""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

MAX_TEXT_LENGTH = 1000

# MAJOR.MINOR.PATCH: ASCII digits, no leading zeros (so every version has one spelling), at most
# nine digits per part (so each fits a 32-bit integer column). The anchors matter: a pattern
# only has to be found somewhere in the string otherwise, and "v1.2.3" would pass.
_PART = r"(0|[1-9][0-9]{0,8})"
VERSION_PATTERN = rf"^{_PART}\.{_PART}\.{_PART}$"

Version = Annotated[str, Field(pattern=VERSION_PATTERN, examples=["1.10.0"])]
# strict: a metric is a JSON number; "0.9" (a string) or true is a client mistake, not a number.
Metric = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Metrics = dict[str, Metric]


class VersionCreate(BaseModel):
    version: Version
    metadata: dict[str, Any] = Field(default_factory=dict, examples=[{"framework": "sklearn"}])
    metrics: Metrics = Field(default_factory=dict, examples=[{"accuracy": 0.91}])

    def numbers(self) -> tuple[int, int, int]:
        major, minor, patch = (int(part) for part in self.version.split("."))
        return major, minor, patch


class VersionRead(BaseModel):
    version: str
    metadata: dict[str, Any]
    metrics: Metrics


class ProductionRead(BaseModel):
    version: str | None = Field(description="The production version; null before the first promotion")
    previous: str | None = Field(description="Where a rollback returns to; null when there is nowhere")


class EvaluationCreate(BaseModel):
    dataset: Annotated[str, Field(min_length=1, max_length=200, examples=["holdout-2024-06"])]
    metrics: Metrics


class EvaluationRead(BaseModel):
    version: str
    dataset: str
    metrics: Metrics


class PredictRequest(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_LENGTH, examples=["great service"])]
    # Pin a version; without one, the production version answers.
    version: str | None = None


class Prediction(BaseModel):
    label: Literal["positive", "negative"]
    score: float = Field(ge=0.0, le=1.0, description="Confidence in the label")
    version: str = Field(description="The registered version that served this prediction")


class PredictionError(BaseModel):
    detail: str
    version: str = Field(description="The version whose model failed")
