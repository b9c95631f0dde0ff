"""HTTP endpoints: thin handlers over the prediction service."""

from fastapi import APIRouter, Response

from app.deps import PredictionsDep
from app.schemas import CacheStatsRead, InvalidateRequest, InvalidateResult, Prediction, PredictRequest

router = APIRouter()


@router.post("/predict")
async def predict(body: PredictRequest, predictions: PredictionsDep, response: Response) -> Prediction:
    result = await predictions.predict(body.text)
    # The body is the same for a hit and a miss; where the answer came from travels in headers.
    response.headers["X-Cache"] = result.status
    response.headers["X-Cache-Key"] = result.key
    return result.prediction


@router.post("/cache/invalidate")
async def invalidate(body: InvalidateRequest, predictions: PredictionsDep) -> InvalidateResult:
    key, deleted = await predictions.invalidate(body.text)
    return InvalidateResult(key=key, deleted=deleted)


@router.get("/cache/stats")
async def cache_stats(predictions: PredictionsDep) -> CacheStatsRead:
    return CacheStatsRead.model_validate(predictions.stats)
