"""Request and response bodies: the API's contract, validated by Pydantic."""

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

MessageId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class MessageStatus(StrEnum):
    queued = "queued"
    processing = "processing"
    processed = "processed"
    dead_lettered = "dead_lettered"


class PublishRequest(BaseModel):
    text: str = Field(min_length=1, max_length=1000)
    id: MessageId | None = Field(default=None, description="The message id; a new one is made when absent")


class Job(BaseModel):
    """What travels through the queue: everything a consumer needs, in any process."""

    id: str
    text: str


class Prediction(BaseModel):
    label: Literal["positive", "negative"]
    score: float = Field(ge=0.0, le=1.0)
    model_version: str


class Accepted(BaseModel):
    id: str
    status: MessageStatus


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    status: MessageStatus
    attempts: int
    result: Prediction | None
    error: str | None


class StatsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    model_calls: int
    processed: int
    dead_lettered: int
