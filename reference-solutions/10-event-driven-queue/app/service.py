"""Messages from publish to a final state: processed, or dead-lettered after the retries."""

import asyncio
import uuid
from dataclasses import dataclass

from fastapi.concurrency import run_in_threadpool

from app.queues import MessageQueue
from app.schemas import Job, MessageStatus, Prediction
from model import ModelError, SentimentModel


@dataclass
class MessageRecord:
    id: str
    status: MessageStatus = MessageStatus.queued
    attempts: int = 0
    result: Prediction | None = None
    error: str | None = None


@dataclass
class Stats:
    model_calls: int = 0
    processed: int = 0
    dead_lettered: int = 0


class MessageService:
    def __init__(self, model: SentimentModel, queue: MessageQueue, *, max_retries: int, retry_delay_ms: int) -> None:
        self._model = model
        self._queue = queue
        self._max_retries = max_retries
        self._retry_delay = retry_delay_ms / 1000
        # What this process knows about each message id. A restarted server learns again from the
        # messages the broker delivers; a shared store would let several servers answer for all.
        self.records: dict[str, MessageRecord] = {}
        self.stats = Stats()

    async def publish(self, text: str, message_id: str | None) -> MessageRecord:
        message_id = message_id or uuid.uuid4().hex
        known = self.records.get(message_id)
        # An id takes effect once. Only a dead-lettered one may be published again (a replay).
        if known is not None and known.status is not MessageStatus.dead_lettered:
            return known
        record = MessageRecord(id=message_id)
        # Known before it is published: the consumer may pick it up before publish returns.
        self.records[message_id] = record
        try:
            await self._queue.publish(Job(id=message_id, text=text))
        except BaseException:
            if known is None:
                del self.records[message_id]
            else:
                self.records[message_id] = known
            raise
        return record

    async def handle(self, job: Job) -> None:
        """Called for each delivery; the queue acknowledges the message when this returns."""
        record = self.records.setdefault(job.id, MessageRecord(id=job.id))
        if record.status is MessageStatus.processed:
            return  # a redelivery of work already done: it takes effect once
        record.status = MessageStatus.processing
        for attempt in range(1, self._max_retries + 2):
            record.attempts = attempt
            self.stats.model_calls += 1
            try:
                # predict() blocks its thread for MODEL_LATENCY_MS: keep it off the event loop.
                raw = await run_in_threadpool(self._model.predict, job.text)
            except ModelError as exc:
                record.error = str(exc)
                if attempt <= self._max_retries:
                    await asyncio.sleep(self._retry_delay)  # the loop serves others meanwhile
                    continue
                await self._queue.dead_letter(job, record.error)
                record.status = MessageStatus.dead_lettered
                self.stats.dead_lettered += 1
                return
            # The result is stored before the status says so: whoever reads "processed" finds it.
            record.result = Prediction(label=raw["label"], score=raw["score"], model_version=self._model.version)
            record.error = None
            self.stats.processed += 1
            record.status = MessageStatus.processed
            return
