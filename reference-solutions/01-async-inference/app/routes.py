"""HTTP endpoints: thin handlers over the service and the job queue."""

from fastapi import APIRouter, HTTPException, Request, Response, status

from app.deps import JobsDep, ModelDep
from app.schemas import JobRead, ModelInfo, Prediction, PredictRequest
from app.service import predict

router = APIRouter()


@router.get("/model")
async def model_info(model: ModelDep) -> ModelInfo:
    return ModelInfo(version=model.version)


@router.post("/predict")
async def predict_now(body: PredictRequest, model: ModelDep) -> Prediction:
    return await predict(model, body.text)


@router.post("/jobs", status_code=status.HTTP_202_ACCEPTED)
async def submit_job(body: PredictRequest, jobs: JobsDep, request: Request, response: Response) -> JobRead:
    job = jobs.submit(body.text)
    response.headers["Location"] = request.app.url_path_for("read_job", job_id=job.id)
    return JobRead.model_validate(job)


@router.get("/jobs/{job_id}", name="read_job")
async def read_job(job_id: str, jobs: JobsDep) -> JobRead:
    job = jobs.get(job_id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no job with id {job_id}")
    return JobRead.model_validate(job)
