"""Predictions: bulk loading, keyset pages, aggregates and feedback, each a few statements."""

from datetime import datetime, timezone

from sqlalchemy import case, func, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from app import cursor
from app.models import Feedback, Prediction
from app.schemas import FeedbackIn, FeedbackOut, LabelCounts, Page, PredictionIn, PredictionOut, Stats


class UnknownPredictionError(LookupError):
    """No prediction has this id."""


def _utc_naive(value: datetime) -> datetime:
    return value.astimezone(timezone.utc).replace(tzinfo=None)


class PredictionService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def bulk_insert(self, rows: list[PredictionIn]) -> int:
        values = [
            {
                "model": row.model,
                "label": row.label,
                "score": row.score,
                "created_at": _utc_naive(row.created_at),
                "meta": row.metadata,
            }
            for row in rows
        ]
        # One transaction and one executemany for the whole request: one commit pays for every row.
        async with self._sessions.begin() as session:
            await session.execute(insert(Prediction), values)
        return len(values)

    async def page(self, limit: int, after: cursor.Position | None, customer: str | None) -> Page:
        query = (
            select(Prediction)
            # The page's feedback in one more statement (WHERE prediction_id IN (...)), not one per row.
            .options(selectinload(Prediction.feedback))
            # The id breaks ties between rows with the same created_at: the order is total, so a
            # cursor names exactly one position.
            .order_by(Prediction.created_at.desc(), Prediction.id.desc())
            # One row more than asked for tells whether another page follows.
            .limit(limit + 1)
        )
        if customer is not None:
            # Filtered in SQL, before the LIMIT: a page holds `limit` matching rows.
            query = query.where(Prediction.meta["customer"].as_string() == customer)
        if after is not None:
            # Keyset: start right after the last row of the previous page. The index on
            # (created_at, id) makes this a range scan, as fast on page 500 as on page 1.
            query = query.where(tuple_(Prediction.created_at, Prediction.id) < tuple_(after.created_at, after.id))
        async with self._sessions() as session:
            rows = list((await session.scalars(query)).all())
        more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1] if rows else None
        next_cursor = cursor.encode(last.created_at, last.id) if more and last is not None else None
        return Page(items=[_out(row) for row in rows], next_cursor=next_cursor)

    async def stats(self, customer: str | None) -> Stats:
        # One aggregate statement: the database reads the rows, Python gets four numbers.
        query = select(
            func.count(),
            func.avg(Prediction.score),
            func.coalesce(func.sum(case((Prediction.label == "positive", 1), else_=0)), 0),
            func.coalesce(func.sum(case((Prediction.label == "negative", 1), else_=0)), 0),
        )
        if customer is not None:
            query = query.where(Prediction.meta["customer"].as_string() == customer)
        async with self._sessions() as session:
            count, avg, positive, negative = (await session.execute(query)).one()
        return Stats(
            count=count,
            avg_score=None if avg is None else float(avg),
            by_label=LabelCounts(positive=positive, negative=negative),
        )

    async def add_feedback(self, prediction_id: int, body: FeedbackIn) -> FeedbackOut:
        async with self._sessions.begin() as session:
            if await session.get(Prediction, prediction_id) is None:
                raise UnknownPredictionError(prediction_id)
            feedback = Feedback(prediction_id=prediction_id, label=body.label, reviewer=body.reviewer)
            session.add(feedback)
            await session.flush()
            return FeedbackOut(id=feedback.id, label=feedback.label, reviewer=feedback.reviewer)


def _out(row: Prediction) -> PredictionOut:
    return PredictionOut(
        id=row.id,
        model=row.model,
        label=row.label,
        score=row.score,
        created_at=row.created_at,
        metadata=row.meta,
        feedback=[FeedbackOut(id=f.id, label=f.label, reviewer=f.reviewer) for f in row.feedback],
    )
