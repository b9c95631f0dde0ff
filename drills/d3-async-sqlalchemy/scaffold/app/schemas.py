"""Request and response bodies: the API's contract, validated by Pydantic."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class ModelIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]


class VersionIn(BaseModel):
    version: Annotated[str, Field(min_length=1, max_length=50)]
    accuracy: Annotated[float, Field(ge=0.0, le=1.0)]


class ModelOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class VersionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    model_id: int
    version: str
    accuracy: float


class ModelDetail(ModelOut):
    versions: list[VersionOut]


class ModelSummary(ModelOut):
    version_count: int
    latest_version: str | None
