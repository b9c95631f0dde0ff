"""HTTP endpoints: thin handlers over the prediction service."""

from fastapi import APIRouter, HTTPException, Response, status

from app.deps import PredictionsDep
from app.schemas import CacheStatsRead, InvalidateRequest, InvalidateResult, Prediction, PredictRequest
from model import ModelError

router = APIRouter()


@router.post("/predict", responses={500: {"description": "The model failed on this text"}})
async def predict(body: PredictRequest, predictions: PredictionsDep, response: Response) -> Prediction:
    try:
        result = await predictions.predict(body.text)
    except ModelError as exc:
        # The service cached nothing for the failure; the client gets a 500 with the reason, not
        # the plain-text "Internal Server Error" an unhandled exception would give.
        raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, detail=str(exc)) from exc
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
