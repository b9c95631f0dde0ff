"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, Request

from app.jobs import JobQueue
from model import SentimentModel


def get_model(request: Request) -> SentimentModel:
    model: SentimentModel = request.app.state.model
    return model


def get_jobs(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


ModelDep = Annotated[SentimentModel, Depends(get_model)]
JobsDep = Annotated[JobQueue, Depends(get_jobs)]
