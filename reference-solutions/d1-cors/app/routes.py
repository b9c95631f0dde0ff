"""The endpoints the front end calls: save a prediction, list them, delete one."""

from fastapi import APIRouter, HTTPException, Response, status
from starlette.concurrency import run_in_threadpool

from app.deps import ModelDep, StoreDep, UserDep
from app.schemas import Prediction, PredictionRequest

router = APIRouter(prefix="/predictions")


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_prediction(body: PredictionRequest, user: UserDep, model: ModelDep, store: StoreDep) -> Prediction:
    # predict() blocks for MODEL_LATENCY_MS: off the event loop.
    answer = await run_in_threadpool(model.predict, body.text)
    return store.add(user, body.text, answer["label"], answer["score"])


@router.get("")
async def list_predictions(user: UserDep, store: StoreDep) -> list[Prediction]:
    return store.list_for(user)


@router.delete("/{prediction_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_prediction(prediction_id: int, user: UserDep, store: StoreDep) -> Response:
    if not store.delete(user, prediction_id):
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=f"no prediction {prediction_id}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
