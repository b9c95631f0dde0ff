"""Every request the service answers is timed and counted, by method and route template."""

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.stats import TrafficStats

UNMATCHED_ROUTE = "unmatched"
# The dashboard's own traffic and the health probe are not the service's traffic.
UNCOUNTED_ROUTES = frozenset({"/dashboard", "/dashboard/summary", "/health"})


def route_template(scope: Scope) -> str:
    # The router leaves the route it picked in the scope (for a 405, the one whose path matched).
    # Its path is the template ("/debug/latency/{delay_ms}"): one row per route, not per URL.
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


class StatsMiddleware:
    """A pure ASGI middleware: it sees the status of every response, and it is still on the stack
    when an exception escapes the app, so a request that raised is counted as the 500 that
    ServerErrorMiddleware then sends.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()
        status: int | None = None
        recorded = False

        def record(final_status: int) -> None:
            nonlocal recorded
            if recorded:
                return
            recorded = True
            route = route_template(scope)
            if route not in UNCOUNTED_ROUTES:
                stats: TrafficStats = scope["app"].state.stats
                stats.record(scope["method"], route, final_status, (time.perf_counter() - started) * 1000)

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False) and status is not None:
                # Counted before the last byte leaves: once a client has read the response, the
                # summary includes it.
                record(status)
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            # An exception that escaped the app never reached send(): it becomes a 500.
            record(status if status is not None else 500)
