"""HTTP endpoints: models and their versions."""

from fastapi import APIRouter, HTTPException, status
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.deps import SessionDep
from app.models import ModelVersion, RegisteredModel
from app.schemas import ModelDetail, ModelIn, ModelOut, ModelSummary, VersionIn, VersionOut

router = APIRouter(prefix="/models")


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_model(body: ModelIn, session: SessionDep) -> ModelOut:
    model = RegisteredModel(name=body.name)
    session.add(model)
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, detail=f"a model named {body.name!r} exists") from exc
    return ModelOut.model_validate(model)


@router.get("")
async def list_models(session: SessionDep) -> list[ModelSummary]:
    models = await session.scalars(select(RegisteredModel).order_by(RegisteredModel.id))
    return [
        ModelSummary(
            id=model.id,
            name=model.name,
            version_count=len(model.versions),
            latest_version=model.versions[-1].version if model.versions else None,
        )
        for model in models
    ]


@router.get("/{model_id}")
async def read_model(model_id: int, session: SessionDep) -> ModelDetail:
    model = await session.get(RegisteredModel, model_id)
    if model is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no model with id {model_id}")
    return ModelDetail.model_validate(model)


@router.post("/{model_id}/versions", status_code=status.HTTP_201_CREATED)
async def add_version(model_id: int, body: VersionIn, session: SessionDep) -> VersionOut:
    if await session.get(RegisteredModel, model_id) is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"no model with id {model_id}")
    version = ModelVersion(model_id=model_id, version=body.version, accuracy=body.accuracy)
    session.add(version)
    await session.commit()
    return VersionOut.model_validate(version)
