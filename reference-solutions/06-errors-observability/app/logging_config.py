"""Logging: one JSON object per line on stdout, where a log collector picks it up."""

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

REQUEST_LOGGER = "app.requests"


class JsonFormatter(logging.Formatter):
    """Renders a record as one line of JSON: a few standard keys plus the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            # The traceback belongs in the server's log (escaped onto this one line), never in a response.
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    app_logger = logging.getLogger("app")
    app_logger.handlers[:] = [handler]
    app_logger.setLevel(level.upper())
    # Our own lines, not the root logger's format: uvicorn configured that before the app loaded.
    app_logger.propagate = False
    # The JSON request line replaces uvicorn's plain-text access line.
    logging.getLogger("uvicorn.access").disabled = True
