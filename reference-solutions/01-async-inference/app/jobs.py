"""Background jobs: an in-process store and queue, drained by a few worker tasks."""

import asyncio
import logging
import uuid
from dataclasses import dataclass

from app.schemas import JobStatus, Prediction
from app.service import predict
from model import SentimentModel

logger = logging.getLogger(__name__)


@dataclass
class Job:
    id: str
    text: str
    status: JobStatus = JobStatus.queued
    result: Prediction | None = None
    error: str | None = None


class JobQueue:
    """Accepts jobs instantly and runs them in the background, `workers` at a time.

    State lives in this process: jobs are lost on restart, and the store grows without bound.
    Behind a real deployment this would be Redis or a database plus a broker.
    """

    def __init__(self, model: SentimentModel, workers: int) -> None:
        self._model = model
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

    def submit(self, text: str) -> Job:
        job = Job(id=uuid.uuid4().hex, text=text)
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
            job.result = await predict(self._model, job.text)
        except Exception as exc:  # one bad job must not kill the worker
            logger.exception("job %s failed", job.id)
            job.status, job.error = JobStatus.failed, str(exc)
        else:
            job.status = JobStatus.succeeded
