"""The endpoints. Each protected one names the caller it needs; security.py does the rest."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from app.schemas import CallerInfo, ModelInfo, Prediction, PredictRequest
from app.security import AdminCaller, CurrentCaller, PredictCaller
from model import SentimentModel

router = APIRouter()


def get_model(request: Request) -> SentimentModel:
    model: SentimentModel = request.app.state.model  # set once in the lifespan
    return model


ModelDep = Annotated[SentimentModel, Depends(get_model)]


@router.get("/health")
async def health() -> dict[str, str]:
    # No key, no quota: load balancers and drill poll this.
    return {"status": "ok"}


@router.get("/me")
async def whoami(caller: CurrentCaller) -> CallerInfo:
    return CallerInfo(scopes=sorted(caller.scopes))


@router.post("/predict")
async def predict(body: PredictRequest, _: PredictCaller, model: ModelDep) -> Prediction:
    # predict() blocks for MODEL_LATENCY_MS; keep it off the event loop.
    result = await run_in_threadpool(model.predict, body.text)
    return Prediction(label=result["label"], score=result["score"], model_version=model.version)


@router.get("/admin/model")
async def model_info(_: AdminCaller, model: ModelDep) -> ModelInfo:
    return ModelInfo(version=model.version)
