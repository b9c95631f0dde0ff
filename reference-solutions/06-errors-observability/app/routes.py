"""HTTP endpoints: thin handlers; errors are raised, and errors.py shapes them."""

from fastapi import APIRouter, HTTPException, Response, status

from app.deps import MetricsDep, ModelDep
from app.metrics import METRICS_CONTENT_TYPE
from app.schemas import ErrorEnvelope, ModelInfo, Prediction, PredictRequest
from app.service import predict

MODEL_NAME = "sentiment"

router = APIRouter(responses={422: {"model": ErrorEnvelope}, 500: {"model": ErrorEnvelope}})


@router.post("/predict", responses={503: {"model": ErrorEnvelope}})
async def predict_text(body: PredictRequest, model: ModelDep) -> Prediction:
    return await predict(model, body.text)


@router.get("/models/{model_name}", responses={404: {"model": ErrorEnvelope}})
async def read_model(model_name: str, model: ModelDep) -> ModelInfo:
    if model_name != MODEL_NAME:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no model named {model_name!r}")
    return ModelInfo(name=MODEL_NAME, version=model.version)


@router.get("/metrics", include_in_schema=False)
async def metrics(metrics: MetricsDep) -> Response:
    return Response(metrics.exposition(), media_type=METRICS_CONTENT_TYPE)


@router.get("/debug/error", include_in_schema=False)
async def debug_error() -> None:
    # A bug on purpose, so the 500 path can be seen from outside: nothing handles this exception.
    raise RuntimeError("debug: deliberate failure")
