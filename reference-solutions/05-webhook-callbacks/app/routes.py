"""HTTP endpoints: thin handlers over the job queue and the delivery records."""

from fastapi import APIRouter, Request, Response, status

from app.deps import JobDep, JobsDep
from app.schemas import AttemptRead, DeliveryLog, JobCreate, JobRead

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.post("", status_code=status.HTTP_202_ACCEPTED)
async def submit_job(body: JobCreate, jobs: JobsDep, request: Request, response: Response) -> JobRead:
    job = jobs.submit(body.text, str(body.callback_url))
    response.headers["Location"] = request.app.url_path_for("read_job", job_id=job.id)
    return JobRead.model_validate(job)


# job_id is read by the JobDep dependency (app/deps.py), which ruff cannot see across modules.
@router.get("/{job_id}", name="read_job")  # noqa: FAST003
async def read_job(job: JobDep) -> JobRead:
    return JobRead.model_validate(job)


@router.get("/{job_id}/deliveries")  # noqa: FAST003
async def read_deliveries(job: JobDep) -> DeliveryLog:
    delivery = job.delivery
    return DeliveryLog(
        job_id=job.id,
        delivery_id=delivery.id,
        status=delivery.status,
        attempts=[AttemptRead.model_validate(attempt) for attempt in delivery.attempts],
    )
