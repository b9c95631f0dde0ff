"""Request and response bodies: the API's contract, validated by Pydantic."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

MAX_TEXT_LENGTH = 1000


class ItemIn(BaseModel):
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_LENGTH, examples=["great service"])]


class BatchIn(BaseModel):
    # The upper bound is a setting (BATCH_MAX_ITEMS) and its answer is 413, so the route checks it.
    items: Annotated[list[ItemIn], Field(min_length=1)]


class ItemOut(BaseModel):
    index: int
    text: str
    label: Literal["positive", "negative"]
    score: float


class BatchOut(BaseModel):
    id: str
    item_count: int
    model_version: str
    items: list[ItemOut]


class Stats(BaseModel):
    batches: int
    items: int
