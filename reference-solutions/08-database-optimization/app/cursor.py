"""Keyset cursors: the sort key of the last row a page returned, opaque to the client.

A cursor is base64url-encoded JSON, {"created_at": "...", "id": n}. Anything that does not decode
to exactly that is the client's mistake (422), never a 500.
"""

import base64
import binascii
import json
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, NaiveDatetime, ValidationError


class InvalidCursorError(ValueError):
    """The cursor was not issued by this server."""


class Position(BaseModel):
    # strict: "id": "7" or a number where a date belongs is a forged cursor, not something to coerce.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    created_at: NaiveDatetime
    id: int = Field(ge=1)


def encode(created_at: datetime, row_id: int) -> str:
    raw = json.dumps({"created_at": created_at.isoformat(), "id": row_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str) -> Position:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        if not isinstance(data, dict) or not isinstance(data.get("created_at"), str):
            raise InvalidCursorError(cursor)
        return Position(created_at=datetime.fromisoformat(data["created_at"]), id=data.get("id"))
    except (binascii.Error, ValueError, ValidationError) as error:
        # json.JSONDecodeError and UnicodeDecodeError are ValueErrors too.
        raise InvalidCursorError(cursor) from error
