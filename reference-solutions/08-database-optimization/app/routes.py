"""HTTP endpoints: thin handlers over the prediction service."""

from fastapi import APIRouter, HTTPException, status

from app.deps import CounterDep, CustomerDep, LimitDep, PositionDep, PredictionsDep, SettingsDep
from app.schemas import BulkIn, BulkOut, FeedbackIn, FeedbackOut, Page, Stats
from app.service import UnknownPredictionError

router = APIRouter()


@router.post("/predictions/bulk", status_code=status.HTTP_201_CREATED)
async def bulk_insert(body: BulkIn, predictions: PredictionsDep, settings: SettingsDep) -> BulkOut:
    if len(body.rows) > settings.bulk_max_rows:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"a bulk request holds at most {settings.bulk_max_rows} rows; this one has {len(body.rows)}",
        )
    return BulkOut(inserted=await predictions.bulk_insert(body.rows))


@router.get("/predictions")
async def list_predictions(
    predictions: PredictionsDep, position: PositionDep, customer: CustomerDep = None, limit: LimitDep = 50
) -> Page:
    return await predictions.page(limit, position, customer)


@router.get("/predictions/stats")
async def prediction_stats(predictions: PredictionsDep, customer: CustomerDep = None) -> Stats:
    return await predictions.stats(customer)


@router.post("/predictions/{prediction_id}/feedback", status_code=status.HTTP_201_CREATED)
async def add_feedback(prediction_id: int, body: FeedbackIn, predictions: PredictionsDep) -> FeedbackOut:
    try:
        return await predictions.add_feedback(prediction_id, body)
    except UnknownPredictionError as error:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no prediction with id {prediction_id}") from error


@router.get("/debug/statements")
async def statements(counter: CounterDep) -> dict[str, int]:
    # Reads a number in memory: this endpoint itself runs no SQL.
    return {"statements": counter.count}
