"""Request and response bodies: the API's contract, validated by Pydantic."""

from datetime import datetime, timezone
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, field_serializer

Label = Literal["positive", "negative"]
Name = Annotated[str, Field(min_length=1, max_length=64)]


class PredictionIn(BaseModel):
    model: Name
    label: Label
    score: Annotated[float, Field(ge=0, le=1)]
    created_at: AwareDatetime
    metadata: Annotated[dict[Name, Annotated[str, Field(max_length=1000)]], Field(max_length=20)] = {}


class BulkIn(BaseModel):
    # The upper bound is a setting (BULK_MAX_ROWS) and its answer is 413, so the route checks it.
    rows: Annotated[list[PredictionIn], Field(min_length=1)]


class BulkOut(BaseModel):
    inserted: int


class FeedbackIn(BaseModel):
    label: Label
    reviewer: Name


class FeedbackOut(BaseModel):
    id: int
    label: str
    reviewer: str


class PredictionOut(BaseModel):
    id: int
    model: str
    label: str
    score: float
    created_at: datetime
    metadata: dict[str, str]
    feedback: list[FeedbackOut]

    @field_serializer("created_at")
    def _utc(self, value: datetime) -> str:
        # Stored as naive UTC; said so explicitly on the way out.
        return value.replace(tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")


class Page(BaseModel):
    items: list[PredictionOut]
    next_cursor: str | None


class LabelCounts(BaseModel):
    positive: int
    negative: int


class Stats(BaseModel):
    count: int
    avg_score: float | None
    by_label: LabelCounts
