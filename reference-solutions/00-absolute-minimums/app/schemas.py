"""Request and response bodies, validated by Pydantic."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class ItemIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    price_cents: Annotated[int, Field(ge=0)]
    quantity: Annotated[int, Field(ge=0)]


class ItemOut(ItemIn):
    # from_attributes: built straight from the ORM row.
    model_config = ConfigDict(from_attributes=True)

    id: int
