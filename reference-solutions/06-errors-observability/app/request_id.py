"""Request ids: accept a caller's id when it is safe to echo and log, otherwise make one."""

import re
import uuid

REQUEST_ID_HEADER = "X-Request-ID"

# What we accept from a caller: short, and nothing that could forge a log line or a header
# (no spaces, quotes, control characters or non-ASCII). Anything else gets a fresh id.
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_or_generate(incoming: str | None) -> str:
    if incoming is not None and _ACCEPTED.fullmatch(incoming):
        return incoming
    return new_request_id()
