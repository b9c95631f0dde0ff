"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, Header, Request

from app.service import BatchService
from app.settings import Settings, get_settings


def get_batches(request: Request) -> BatchService:
    batches: BatchService = request.app.state.batches
    return batches


BatchesDep = Annotated[BatchService, Depends(get_batches)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
# The client's key for this request (IETF draft "The Idempotency-Key HTTP Header Field"). The
# value is kept as sent, quotes included: it is only ever compared, never interpreted.
IdempotencyKeyDep = Annotated[str | None, Header(alias="Idempotency-Key", min_length=1, max_length=255)]
