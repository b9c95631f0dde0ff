"""Webhook delivery: signed callbacks, retried with exponential backoff, every attempt logged.

Each delivery runs as its own background task, so a slow or dead receiver only ever delays its
own callback: never the API, never another job's callback. Deliveries live in this process; a
restart loses the ones still retrying. Behind a real deployment they would be rows in a database
(or messages on a broker) that a worker picks up, so a crash resumes them.
"""

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from app.schemas import AttemptOutcome, DeliveryStatus, JobCompletedEvent
from app.signing import signed_headers

logger = logging.getLogger(__name__)


def new_delivery_id() -> str:
    return f"dlv_{uuid.uuid4().hex}"


@dataclass
class Attempt:
    attempt: int
    started_at: datetime
    duration_ms: float
    outcome: AttemptOutcome
    status_code: int | None = None
    error: str | None = None

    @property
    def retryable(self) -> bool:
        """5xx, timeouts and connection errors may pass; any other answer will not change."""
        if self.outcome is AttemptOutcome.http_error:
            return self.status_code is not None and self.status_code >= 500
        return self.outcome in (AttemptOutcome.timeout, AttemptOutcome.connection_error)


@dataclass
class Delivery:
    """One callback for one job: one id for every attempt, so receivers can drop duplicates."""

    url: str
    id: str = field(default_factory=new_delivery_id)
    status: DeliveryStatus = DeliveryStatus.pending
    attempts: list[Attempt] = field(default_factory=list)


class WebhookDispatcher:
    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        secret: str,
        max_attempts: int,
        backoff_base_ms: int,
        concurrency: int,
    ) -> None:
        self._client = client
        self._secret = secret
        self._max_attempts = max_attempts
        self._backoff_base_s = backoff_base_ms / 1000
        # Bounds requests in flight; a delivery waiting out its backoff holds no slot.
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: set[asyncio.Task[None]] = set()

    def dispatch(self, delivery: Delivery, event: JobCompletedEvent) -> None:
        """Starts delivering in the background and returns at once."""
        task = asyncio.create_task(self.deliver(delivery, event), name=f"webhook-{delivery.id}")
        # The loop keeps only weak references to tasks: hold on to it until it is done.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def backoff_seconds(self, attempt: int) -> float:
        """The wait after failed attempt n (counted from 1): base, 2 x base, 4 x base, ..."""
        return self._backoff_base_s * 2.0 ** (attempt - 1)

    async def deliver(self, delivery: Delivery, event: JobCompletedEvent) -> None:
        """The whole delivery, every attempt and wait included; dispatch() runs it in the background."""
        # Serialise once: these exact bytes are signed and sent on every attempt.
        body = event.model_dump_json().encode()
        for number in range(1, self._max_attempts + 1):
            attempt = await self._attempt(delivery, body, number)
            delivery.attempts.append(attempt)
            if attempt.outcome is AttemptOutcome.success:
                delivery.status = DeliveryStatus.delivered
                return
            if not attempt.retryable or number == self._max_attempts:
                break
            # asyncio.sleep, never time.sleep: the loop serves every other request meanwhile.
            await asyncio.sleep(self.backoff_seconds(number))
        delivery.status = DeliveryStatus.failed
        logger.warning("webhook %s failed after %d attempt(s)", delivery.id, len(delivery.attempts))

    async def _attempt(self, delivery: Delivery, body: bytes, number: int) -> Attempt:
        started_at = datetime.now(UTC)
        started = time.perf_counter()
        outcome, status_code, error = AttemptOutcome.success, None, None
        async with self._slots:
            headers = signed_headers(self._secret, delivery.id, body)
            try:
                response = await self._client.post(delivery.url, content=body, headers=headers)
            except httpx.TimeoutException:
                outcome, error = AttemptOutcome.timeout, "no response in time"
            except httpx.TransportError as exc:
                outcome, error = AttemptOutcome.connection_error, f"{type(exc).__name__}: {exc}"
            else:
                status_code = response.status_code
                if not response.is_success:
                    outcome = AttemptOutcome.http_error
        return Attempt(
            attempt=number,
            started_at=started_at,
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            outcome=outcome,
            status_code=status_code,
            error=error,
        )
