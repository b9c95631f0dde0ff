"""Keyset cursors: the sort key of the last row a page returned, opaque to the client.

A cursor is base64url-encoded JSON, {"created_at": "...", "id": n}. Anything that does not decode
to exactly that is the client's mistake (422), never a 500.
"""

import base64
import binascii
import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, NaiveDatetime


class InvalidCursorError(ValueError):
    """The cursor was not issued by this server."""


class Position(BaseModel):
    # strict: "id": "7", or a number where the date belongs, is a forged cursor, not something to
    # coerce; extra keys are refused too.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    created_at: NaiveDatetime
    id: int = Field(ge=1)


def encode(created_at: datetime, row_id: int) -> str:
    raw = json.dumps({"created_at": created_at.isoformat(), "id": row_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> Position:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        # Pydantic parses and checks the JSON in one step: bad JSON, a missing key, a wrong type
        # or a date that does not parse are all one ValidationError.
        return Position.model_validate_json(raw)
    except (binascii.Error, ValueError) as error:
        # pydantic.ValidationError is a ValueError.
        raise InvalidCursorError(cursor) from error
