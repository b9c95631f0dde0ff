"""HTTP endpoints: thin handlers over the predictor."""

from typing import Any

from fastapi import APIRouter, HTTPException, status

from app.deps import PredictorDep
from app.schemas import BatchPrediction, BatchRequest, Prediction, PredictRequest
from model import ModelError

router = APIRouter()

UNAVAILABLE: dict[int | str, dict[str, Any]] = {503: {"description": "The model failed on every attempt"}}


@router.post("/predict", responses=UNAVAILABLE)
async def predict(body: PredictRequest, predictor: PredictorDep) -> Prediction:
    try:
        return await predictor.predict(body.text)
    except ModelError as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=str(exc)) from exc


@router.post("/predict/batch", responses=UNAVAILABLE)
async def predict_batch(body: BatchRequest, predictor: PredictorDep) -> BatchPrediction:
    try:
        return BatchPrediction(predictions=await predictor.predict_many(body.texts))
    except ModelError as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=str(exc)) from exc
