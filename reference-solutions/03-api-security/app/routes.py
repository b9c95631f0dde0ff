"""HTTP endpoints: thin handlers. Each protected one names the caller it needs; deps.py does the rest."""

from fastapi import APIRouter

from app.deps import AdminCaller, CurrentCaller, ModelDep, PredictCaller
from app.schemas import CallerInfo, ModelInfo, Prediction, PredictRequest
from app.service import predict

router = APIRouter()


@router.get("/me")
async def whoami(caller: CurrentCaller) -> CallerInfo:
    return CallerInfo(scopes=sorted(caller.scopes))


@router.post("/predict")
async def predict_text(body: PredictRequest, _: PredictCaller, model: ModelDep) -> Prediction:
    return await predict(model, body.text)


@router.get("/admin/model")
async def model_info(_: AdminCaller, model: ModelDep) -> ModelInfo:
    return ModelInfo(version=model.version)
