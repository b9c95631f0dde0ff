"""Background jobs: an in-process store and queue, drained by a few worker tasks."""

import asyncio
import logging
import uuid
from dataclasses import dataclass

from app.schemas import JobCompletedEvent, JobStatus, Prediction
from app.service import predict
from app.webhooks import Delivery, WebhookDispatcher
from model import ModelError, SentimentModel

logger = logging.getLogger(__name__)


@dataclass
class Job:
    id: str
    text: str
    callback_url: str
    delivery: Delivery
    status: JobStatus = JobStatus.queued
    result: Prediction | None = None
    error: str | None = None


class JobQueue:
    """Accepts jobs instantly, runs them `workers` at a time, and hands each finished job's
    callback to the webhook dispatcher. State lives in this process and is lost on restart."""

    def __init__(self, model: SentimentModel, webhooks: WebhookDispatcher, workers: int) -> None:
        self._model = model
        self._webhooks = webhooks
        self._workers = workers
        self._jobs: dict[str, Job] = {}
        self._queue: asyncio.Queue[Job] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._work(), name=f"job-worker-{n}") for n in range(self._workers)]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def submit(self, text: str, callback_url: str) -> Job:
        job = Job(id=uuid.uuid4().hex, text=text, callback_url=callback_url, delivery=Delivery(url=callback_url))
        self._jobs[job.id] = job
        self._queue.put_nowait(job)
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    async def _work(self) -> None:
        while True:
            job = await self._queue.get()
            try:
                await self._run(job)
            finally:
                self._queue.task_done()

    async def _run(self, job: Job) -> None:
        job.status = JobStatus.running
        try:
            result = await predict(self._model, job.text)
        except Exception as exc:  # one bad job must not kill the worker
            logger.warning("job %s failed: %r", job.id, exc)
            # The model's message is meant for the partner; a bug's message is not.
            job.error = str(exc) if isinstance(exc, ModelError) else "internal error"
            job.status = JobStatus.failed
        else:
            job.result = result
            job.status = JobStatus.succeeded
        # Only now, with the outcome stored where GET /jobs/{id} reads it, is the partner told:
        # whoever reads the job back on receiving the callback sees what the callback says.
        # dispatch() returns at once: delivery and its retries run in their own task, so this
        # worker moves on to the next job.
        event = JobCompletedEvent(job_id=job.id, status=job.status, result=job.result, error=job.error)
        self._webhooks.dispatch(job.delivery, event)
