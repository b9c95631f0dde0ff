"""Prometheus metrics for HTTP traffic, in a registry of this application's own."""

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest

METRICS_CONTENT_TYPE = CONTENT_TYPE_LATEST


class HttpMetrics:
    """A request counter and a latency histogram, labelled by route template, never by raw path.

    The registry is created with the application (not prometheus_client's global one), so a
    second app in the same process, or a test, starts from zero instead of failing with
    "Duplicated timeseries".
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._requests = Counter(
            "http_requests_total",
            "HTTP requests answered, by method, route template and status code",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self._duration = Histogram(
            "http_request_duration_seconds",
            "Time from receiving a request to sending its response, in seconds",
            ["method", "route"],
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self._requests.labels(method=method, route=route, status=str(status)).inc()
        self._duration.labels(method=method, route=route).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
