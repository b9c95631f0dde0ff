"""HTTP endpoints: thin handlers over the service and the job queue."""

from fastapi import APIRouter, HTTPException, Request, Response, status

from app.deps import JobsDep, ModelDep
from app.schemas import JobRead, ModelInfo, Prediction, PredictRequest
from app.service import predict
from model import ModelError

router = APIRouter()


@router.get("/model")
async def model_info(model: ModelDep) -> ModelInfo:
    return ModelInfo(version=model.version)


@router.post("/predict", responses={500: {"description": "The model failed on this text"}})
async def predict_now(body: PredictRequest, model: ModelDep) -> Prediction:
    try:
        return await predict(model, body.text)
    except ModelError as exc:
        # The request was valid; the server failed to serve it. Left unhandled, this would still be
        # a 500, but as plain text with no reason a client could read.
        raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, detail=str(exc)) from exc


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
