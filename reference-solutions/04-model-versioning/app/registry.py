"""The model registry: versions, the production alias and its history, evaluation results.

Every function that writes commits before it returns, so what a response says is already
stored when the client reads it back (or when another worker serves its next request).
"""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import (
    EvaluationExistsError,
    NoProductionVersionError,
    NothingToRollBackError,
    VersionExistsError,
    VersionNotFoundError,
)
from app.models import Evaluation, ModelVersion, Promotion
from app.schemas import EvaluationCreate, ProductionRead, VersionCreate


async def register(session: AsyncSession, body: VersionCreate) -> ModelVersion:
    major, minor, patch = body.numbers()
    row = ModelVersion(
        version=body.version, major=major, minor=minor, patch=patch, meta=body.metadata, metrics=body.metrics
    )
    session.add(row)
    try:
        await session.commit()
    except IntegrityError:
        # The unique constraint caught a duplicate, also one that raced this request.
        await session.rollback()
        raise VersionExistsError(body.version) from None
    return row


async def list_versions(session: AsyncSession) -> Sequence[ModelVersion]:
    ordered = select(ModelVersion).order_by(ModelVersion.major, ModelVersion.minor, ModelVersion.patch)
    return (await session.scalars(ordered)).all()


async def get_version(session: AsyncSession, version: str) -> ModelVersion:
    row = await session.scalar(select(ModelVersion).where(ModelVersion.version == version))
    if row is None:
        raise VersionNotFoundError(version)
    return row


async def _active_promotions(session: AsyncSession, limit: int) -> list[tuple[Promotion, str]]:
    """The newest promotions still in effect, newest first, each with its version."""
    newest = (
        select(Promotion, ModelVersion.version)
        .join(ModelVersion, Promotion.model_version_id == ModelVersion.id)
        .where(Promotion.rolled_back.is_(False))
        .order_by(Promotion.id.desc())
        .limit(limit)
    )
    return [(promotion, version) for promotion, version in (await session.execute(newest)).all()]


async def production(session: AsyncSession) -> ProductionRead:
    active = await _active_promotions(session, limit=2)
    return ProductionRead(
        version=active[0][1] if active else None,
        previous=active[1][1] if len(active) > 1 else None,
    )


async def production_version(session: AsyncSession) -> str:
    current = (await production(session)).version
    if current is None:
        raise NoProductionVersionError()
    return current


async def promote(session: AsyncSession, version: str) -> ProductionRead:
    row = await get_version(session, version)
    current = await _active_promotions(session, limit=1)
    # Promoting the production version again changes nothing: a rollback must always move.
    if not current or current[0][1] != version:
        session.add(Promotion(model_version_id=row.id))
        await session.commit()
    return await production(session)


async def rollback(session: AsyncSession) -> ProductionRead:
    # Back to the version that was production before the latest promotion still in effect: the
    # history decides, not the version numbers.
    active = await _active_promotions(session, limit=2)
    if len(active) < 2:
        raise NothingToRollBackError()
    latest, _ = active[0]
    latest.rolled_back = True
    await session.commit()
    return await production(session)


async def add_evaluation(session: AsyncSession, version: str, body: EvaluationCreate) -> Evaluation:
    row = await get_version(session, version)
    evaluation = Evaluation(model_version_id=row.id, dataset=body.dataset, metrics=body.metrics)
    session.add(evaluation)
    try:
        await session.commit()
    except IntegrityError:
        # A stored result is never replaced: a second write for the same dataset is refused.
        await session.rollback()
        raise EvaluationExistsError(version, body.dataset) from None
    return evaluation


async def list_evaluations(session: AsyncSession, version: str) -> Sequence[Evaluation]:
    row = await get_version(session, version)
    stored = select(Evaluation).where(Evaluation.model_version_id == row.id).order_by(Evaluation.id)
    return (await session.scalars(stored)).all()
