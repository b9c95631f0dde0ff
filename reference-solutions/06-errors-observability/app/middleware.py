"""What every request gets, whatever it hits: a request id, one JSON log line, and metrics."""

import logging
import time

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.logging_config import REQUEST_LOGGER
from app.metrics import HttpMetrics
from app.request_id import REQUEST_ID_HEADER, accept_or_generate

logger = logging.getLogger(REQUEST_LOGGER)

UNMATCHED_ROUTE = "unmatched"
METRICS_ROUTE = "/metrics"


def route_template(scope: Scope) -> str:
    # The router leaves the route it picked in the scope: the one that matched, or for a 405 the
    # one whose path matched. Its path is the template ("/models/{model_name}"): one label value
    # per route, however many different names callers send. A raw path would be one per URL.
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


class ObservabilityMiddleware:
    """A pure ASGI middleware rather than BaseHTTPMiddleware: it sees every response message,
    error responses included, and it is still on the stack when an exception escapes the app, so
    an unhandled error is logged and counted as the 500 that ServerErrorMiddleware then sends.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = accept_or_generate(Headers(scope=scope).get(REQUEST_ID_HEADER))
        # request.state.request_id, for handlers and for the error envelope.
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status: int | None = None
        recorded = False

        def record(final_status: int) -> None:
            nonlocal recorded
            if not recorded:
                recorded = True
                self._record(scope, request_id, final_status, time.perf_counter() - started)

        async def send_with_request_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            elif message["type"] == "http.response.body" and not message.get("more_body", False) and status is not None:
                # Logged and counted before the last byte leaves: once a client has read the
                # response, its log line exists and /metrics includes it.
                record(status)
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        finally:
            # An exception escaping the app never reached send(): ServerErrorMiddleware, outside
            # every user middleware, turns it into a 500 after this. Log and count it as one.
            record(status if status is not None else 500)

    def _record(self, scope: Scope, request_id: str, status: int, seconds: float) -> None:
        method: str = scope["method"]
        route = route_template(scope)
        logger.info(
            "request",
            extra={
                "fields": {
                    "request_id": request_id,
                    "method": method,
                    "route": route,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(seconds * 1000, 3),
                }
            },
        )
        # Scrapes are the monitoring system's traffic, not the service's: they are not counted.
        if route != METRICS_ROUTE:
            metrics: HttpMetrics = scope["app"].state.metrics
            metrics.observe(method, route, status, seconds)
