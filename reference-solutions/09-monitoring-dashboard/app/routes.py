"""The service's API: predictions, the active model version, and two debug endpoints."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from app.deps import DeploymentDep
from app.schemas import ActiveModel, Delay, Prediction, PredictRequest

router = APIRouter()


@router.post("/predict")
async def predict(body: PredictRequest, deployment: DeploymentDep) -> Prediction:
    return await deployment.predict(body.text)


@router.get("/model")
async def read_active_model(deployment: DeploymentDep) -> ActiveModel:
    return deployment.active


@router.put("/model")
async def activate_model(body: ActiveModel, deployment: DeploymentDep) -> ActiveModel:
    return deployment.activate(body)


@router.get("/debug/latency/{delay_ms}")
async def simulated_latency(
    delay_ms: Annotated[int, Path(ge=0, le=5000)],
    status: Annotated[int, Query(ge=200, le=599)] = 200,
) -> JSONResponse:
    # asyncio.sleep, not time.sleep: waiting must never hold the event loop.
    await asyncio.sleep(delay_ms / 1000)
    return JSONResponse(Delay(delay_ms=delay_ms, status=status).model_dump(), status_code=status)


@router.get("/debug/error")
async def debug_error() -> None:
    # A bug on purpose: nothing handles this exception, so the answer is Starlette's 500.
    raise RuntimeError("debug: deliberate failure")
