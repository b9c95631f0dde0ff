"""Where messages wait: RabbitMQ when AMQP_URL is set, this process otherwise.

Both queues offer the same small interface: publish a job (it is accepted once this returns),
dead-letter one, and hand every delivered job to a handler. A job is acknowledged only after the
handler returned, so a server that dies mid-work leaves the message to be delivered again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractIncomingMessage

from app.schemas import Job

QUEUE = "predictions"
DEAD_LETTER_QUEUE = "predictions.dead-letter"

Handler = Callable[[Job], Awaitable[None]]
logger = logging.getLogger(__name__)


class BrokerUnavailableError(RuntimeError):
    """The broker could not take the message in time; nothing was accepted."""


class MessageQueue(Protocol):
    async def start(self, handler: Handler) -> None: ...

    async def publish(self, job: Job) -> None: ...

    async def dead_letter(self, job: Job, reason: str) -> None: ...

    async def aclose(self) -> None: ...


class MemoryQueue:
    """An asyncio queue and a few worker tasks: the default without AMQP_URL, gone with the process."""

    def __init__(self, workers: int) -> None:
        self._jobs: asyncio.Queue[Job] = asyncio.Queue()
        self._workers = workers
        self._tasks: list[asyncio.Task[None]] = []
        self.dead_letters: list[tuple[Job, str]] = []

    async def start(self, handler: Handler) -> None:
        self._tasks = [asyncio.create_task(self._work(handler)) for _ in range(self._workers)]

    async def publish(self, job: Job) -> None:
        self._jobs.put_nowait(job)

    async def dead_letter(self, job: Job, reason: str) -> None:
        self.dead_letters.append((job, reason))

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _work(self, handler: Handler) -> None:
        while True:
            job = await self._jobs.get()
            try:
                await handler(job)
            except Exception:
                logger.exception("message %s could not be handled", job.id)
            finally:
                self._jobs.task_done()


class RabbitQueue:
    """Durable queues on RabbitMQ, persistent messages, publisher confirms, ack after the work."""

    def __init__(self, url: str, *, workers: int, startup_timeout: float, timeout: float) -> None:
        self._url = url
        self._workers = workers
        self._startup_timeout = startup_timeout
        self._timeout = timeout
        self._handler: Handler | None = None
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._lock = asyncio.Lock()

    async def start(self, handler: Handler) -> None:
        self._handler = handler
        try:
            await self._connected(self._startup_timeout)
        except BrokerUnavailableError as exc:
            # Start anyway: /health answers, publishes get a 503 until the broker is back.
            logger.warning("starting without the broker: %s", exc)

    async def publish(self, job: Job) -> None:
        channel = await self._connected(self._timeout)
        message = aio_pika.Message(
            job.model_dump_json().encode(),
            message_id=job.id,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        try:
            # The channel confirms publishes: this returns once the broker has the message.
            await asyncio.wait_for(channel.default_exchange.publish(message, routing_key=QUEUE), self._timeout)
        except (TimeoutError, aio_pika.exceptions.AMQPError, ConnectionError) as exc:
            raise BrokerUnavailableError(f"the broker did not confirm the message: {exc!r}") from exc

    async def dead_letter(self, job: Job, reason: str) -> None:
        channel = await self._connected(self._timeout)
        message = aio_pika.Message(
            job.model_dump_json().encode(),
            message_id=job.id,
            headers={"x-error": reason},
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        )
        await channel.default_exchange.publish(message, routing_key=DEAD_LETTER_QUEUE)

    async def aclose(self) -> None:
        if self._connection is not None:
            # Unacknowledged deliveries go back to the queue for the next server.
            await self._connection.close()

    async def _connected(self, timeout: float) -> AbstractChannel:
        try:
            # Bounded, lock included: a broker that accepts connections but never answers must
            # cost a request a fraction of a second, not a hang.
            return await asyncio.wait_for(self._connect(), timeout)
        except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as exc:
            raise BrokerUnavailableError(f"cannot reach the broker: {exc!r}") from exc

    async def _connect(self) -> AbstractChannel:
        async with self._lock:
            if self._channel is not None and not self._channel.is_closed:
                return self._channel
            # A plain connection: when it drops, the next publish connects again (and consumes
            # again). connect_robust would reconnect by itself; this keeps every wait bounded here.
            if self._connection is not None:
                await self._connection.close()
            self._connection = await aio_pika.connect(self._url)
            channel = await self._connection.channel()
            await channel.set_qos(prefetch_count=self._workers)
            queue = await channel.declare_queue(QUEUE, durable=True)
            await channel.declare_queue(DEAD_LETTER_QUEUE, durable=True)
            await queue.consume(self._on_message)
            self._channel = channel
            return channel

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        if self._handler is None:
            await message.nack(requeue=True)
            return
        try:
            job = Job.model_validate_json(message.body)
        except ValueError:
            logger.error("dropping a message that is not a job: %r", message.body[:200])
            await message.reject(requeue=False)
            return
        try:
            await self._handler(job)
        except Exception:
            logger.exception("message %s could not be handled; it goes back to the queue", job.id)
            await message.nack(requeue=True)
            return
        # Acknowledged only now that the work is done (or the message is dead-lettered).
        await message.ack()


async def open_queue(url: str | None, *, workers: int, startup_timeout: float, timeout: float) -> MessageQueue:
    if not url:
        return MemoryQueue(workers)
    return RabbitQueue(url, workers=workers, startup_timeout=startup_timeout, timeout=timeout)
