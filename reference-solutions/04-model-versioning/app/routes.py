"""HTTP endpoints: thin handlers over the registry and the predictor."""

from fastapi import APIRouter, Request, Response, status

from app import registry
from app.deps import PredictorDep, SessionDep
from app.models import Evaluation, ModelVersion
from app.schemas import (
    EvaluationCreate,
    EvaluationRead,
    Prediction,
    PredictRequest,
    ProductionRead,
    VersionCreate,
    VersionRead,
)

router = APIRouter()


def _version_read(row: ModelVersion) -> VersionRead:
    return VersionRead(version=row.version, metadata=row.meta, metrics=row.metrics)


def _evaluation_read(version: str, row: Evaluation) -> EvaluationRead:
    return EvaluationRead(version=version, dataset=row.dataset, metrics=row.metrics)


@router.post("/versions", status_code=status.HTTP_201_CREATED)
async def register_version(
    body: VersionCreate, session: SessionDep, request: Request, response: Response
) -> VersionRead:
    row = await registry.register(session, body)
    response.headers["Location"] = request.app.url_path_for("read_version", version=row.version)
    return _version_read(row)


@router.get("/versions")
async def list_versions(session: SessionDep) -> list[VersionRead]:
    return [_version_read(row) for row in await registry.list_versions(session)]


@router.get("/versions/{version}", name="read_version")
async def read_version(version: str, session: SessionDep) -> VersionRead:
    return _version_read(await registry.get_version(session, version))


@router.post("/versions/{version}/promote")
async def promote(version: str, session: SessionDep) -> ProductionRead:
    return await registry.promote(session, version)


@router.get("/production")
async def read_production(session: SessionDep) -> ProductionRead:
    return await registry.production(session)


@router.post("/production/rollback")
async def rollback(session: SessionDep) -> ProductionRead:
    return await registry.rollback(session)


@router.post("/versions/{version}/evaluations", status_code=status.HTTP_201_CREATED)
async def add_evaluation(version: str, body: EvaluationCreate, session: SessionDep) -> EvaluationRead:
    return _evaluation_read(version, await registry.add_evaluation(session, version, body))


@router.get("/versions/{version}/evaluations")
async def list_evaluations(version: str, session: SessionDep) -> list[EvaluationRead]:
    return [_evaluation_read(version, row) for row in await registry.list_evaluations(session, version)]


@router.post("/predict")
async def predict(body: PredictRequest, predictor: PredictorDep) -> Prediction:
    return await predictor.predict(body.text, body.version)
