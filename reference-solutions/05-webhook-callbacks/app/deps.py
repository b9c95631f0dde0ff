"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from app.jobs import Job, JobQueue


def get_jobs(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs  # app.state is untyped: say what the lifespan put there
    return jobs


JobsDep = Annotated[JobQueue, Depends(get_jobs)]


def get_job(job_id: str, jobs: JobsDep) -> Job:
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no job with id {job_id}")
    return job


JobDep = Annotated[Job, Depends(get_job)]
