"""Request and response bodies: the API's contract, validated by Pydantic."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

MAX_TEXT_LENGTH = 1000


class JobCreate(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_LENGTH, examples=["great service"])]
    # HttpUrl accepts absolute http:// and https:// URLs only: no other schemes, no relative paths.
    callback_url: Annotated[HttpUrl, Field(examples=["https://client.example.com/hooks/sentiment"])]


class Prediction(BaseModel):
    label: Literal["positive", "negative"]
    score: float = Field(ge=0.0, le=1.0, description="Confidence in the label")
    model_version: str


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class JobRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    status: JobStatus
    result: Prediction | None = None
    error: str | None = None
    callback_url: str


class JobCompletedEvent(BaseModel):
    """The callback's body. Serialised once per delivery; those exact bytes are signed and sent."""

    event: Literal["job.completed"] = "job.completed"
    job_id: str
    status: JobStatus
    result: Prediction | None
    error: str | None


class DeliveryStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class AttemptOutcome(StrEnum):
    success = "success"
    http_error = "http_error"
    timeout = "timeout"
    connection_error = "connection_error"


class AttemptRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    attempt: int
    outcome: AttemptOutcome
    status_code: int | None
    started_at: datetime
    duration_ms: float
    error: str | None = None


class DeliveryLog(BaseModel):
    job_id: str
    delivery_id: str
    status: DeliveryStatus
    attempts: list[AttemptRead]
