"""Traffic statistics: counts per route template since start, latency over a bounded window."""

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.schemas import RouteSummary, Totals

ERROR_STATUS = 500


def nearest_rank(sorted_values: Sequence[float], percent: float) -> float:
    """The nearest-rank percentile: the value at 1-based rank ceil(percent / 100 * n)."""
    rank = math.ceil(percent / 100 * len(sorted_values))
    return sorted_values[max(rank, 1) - 1]


def error_rate(errors: int, requests: int) -> float:
    return errors / requests if requests else 0.0


@dataclass
class RouteStats:
    window: int
    requests: int = 0
    errors: int = 0
    # A deque with maxlen keeps memory bounded however long the server runs: the oldest
    # duration drops out as a new one comes in.
    durations_ms: deque[float] = field(init=False)

    def __post_init__(self) -> None:
        self.durations_ms = deque(maxlen=self.window)


class TrafficStats:
    """Counts and durations per (method, route template).

    Everything runs on the event loop and no method awaits, so each update is atomic with
    respect to other requests: no lock is needed. (Code that updated these from worker threads
    would need a threading.Lock.)
    """

    def __init__(self, window: int) -> None:
        self._window = window
        self._routes: dict[tuple[str, str], RouteStats] = {}

    def record(self, method: str, route: str, status: int, duration_ms: float) -> None:
        stats = self._routes.get((method, route))
        if stats is None:
            stats = self._routes[(method, route)] = RouteStats(self._window)
        stats.requests += 1
        if status >= ERROR_STATUS:
            stats.errors += 1
        stats.durations_ms.append(duration_ms)

    def routes(self) -> list[RouteSummary]:
        summaries = []
        for (method, route), stats in sorted(self._routes.items()):
            durations = sorted(stats.durations_ms)
            summaries.append(
                RouteSummary(
                    method=method,
                    route=route,
                    requests=stats.requests,
                    errors=stats.errors,
                    error_rate=error_rate(stats.errors, stats.requests),
                    p50_ms=round(nearest_rank(durations, 50), 3),
                    p95_ms=round(nearest_rank(durations, 95), 3),
                )
            )
        return summaries

    def totals(self) -> Totals:
        requests = sum(stats.requests for stats in self._routes.values())
        errors = sum(stats.errors for stats in self._routes.values())
        return Totals(requests=requests, errors=errors, error_rate=error_rate(errors, requests))
