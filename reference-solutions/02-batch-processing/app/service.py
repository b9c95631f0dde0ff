"""Batches: score every item, then store the batch in one transaction with one bulk insert."""

import hashlib
import json
import uuid
from dataclasses import dataclass

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from app.models import Batch, BatchItem
from app.schemas import BatchOut, ItemIn, ItemOut, Stats
from app.scoring import score_all
from model import SentimentModel


class KeyReusedError(Exception):
    """The Idempotency-Key already belongs to a batch with different items."""


@dataclass(frozen=True, slots=True)
class BatchResult:
    batch: BatchOut
    replayed: bool


def fingerprint(items: list[ItemIn]) -> str:
    """What a key was used for: the same items in the same order give the same hash, whatever
    the JSON's spacing; another text, another order or another count gives another."""
    canonical = json.dumps([item.model_dump() for item in items], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class BatchService:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], model: SentimentModel) -> None:
        # The service opens a session per unit of work, so every transaction ends (commits)
        # inside the handler, before the answer is sent.
        self._sessions = sessions
        self._model = model

    async def create(self, items: list[ItemIn], idempotency_key: str | None) -> BatchResult:
        digest = fingerprint(items) if idempotency_key is not None else None
        if idempotency_key is not None:
            earlier = await self._replay(idempotency_key, digest)
            if earlier is not None:
                return earlier

        # Score first, store after: a batch the model rejects writes nothing, and no connection
        # sits in an open transaction while the model works. The blocking model runs in the
        # threadpool, all items in one hop.
        texts = [item.text for item in items]
        predictions = await run_in_threadpool(score_all, self._model, texts)

        batch = Batch(
            id=uuid.uuid4(),
            item_count=len(texts),
            model_version=self._model.version,
            idempotency_key=idempotency_key,
            fingerprint=digest,
        )
        items_out = [
            ItemOut(index=index, text=text, label=p["label"], score=p["score"])
            for index, (text, p) in enumerate(zip(texts, predictions, strict=True))
        ]
        try:
            await self._store(batch, items_out)
        except IntegrityError:
            # The unique key: another request with this key committed first, in this process
            # or another one. Answer as a retry of that request (or as a reuse of its key).
            if idempotency_key is None:
                raise
            earlier = await self._replay(idempotency_key, digest)
            if earlier is None:
                raise
            return earlier
        out = BatchOut(id=str(batch.id), item_count=len(items_out), model_version=batch.model_version, items=items_out)
        return BatchResult(out, replayed=False)

    async def _store(self, batch: Batch, items: list[ItemOut]) -> None:
        rows = [
            {"batch_id": batch.id, "position": item.index, "text": item.text, "label": item.label, "score": item.score}
            for item in items
        ]
        # One transaction for the batch and all its items: readers see all of it or none of it,
        # and one commit (one flush to disk) pays for every row.
        async with self._sessions.begin() as session:
            session.add(batch)
            await session.flush()
            # One executemany for all items, not one INSERT (let alone one commit) per row.
            await session.execute(insert(BatchItem), rows)

    async def _replay(self, key: str, digest: str | None) -> BatchResult | None:
        """The stored answer for a key already used, or None when the key is new."""
        async with self._sessions() as session:
            batch = await session.scalar(select(Batch).where(Batch.idempotency_key == key))
            if batch is None:
                return None
            if batch.fingerprint != digest:
                raise KeyReusedError(key)
            return BatchResult(await _read(session, batch), replayed=True)

    async def get(self, batch_id: str) -> BatchOut | None:
        try:
            parsed = uuid.UUID(batch_id)
        except ValueError:
            return None  # not an id this service ever issued
        async with self._sessions() as session:
            batch = await session.get(Batch, parsed)
            return None if batch is None else await _read(session, batch)

    async def stats(self) -> Stats:
        # One statement, so both counts come from the same snapshot (two queries could straddle
        # another request's commit and count its items without its batch).
        batches = select(func.count()).select_from(Batch).scalar_subquery()
        items = select(func.count()).select_from(BatchItem).scalar_subquery()
        async with self._sessions() as session:
            row = (await session.execute(select(batches, items))).one()
        return Stats(batches=row[0], items=row[1])


async def _read(session: AsyncSession, batch: Batch) -> BatchOut:
    # The stored position decides the order, never the order rows happen to come back in.
    result = await session.execute(
        select(BatchItem.position, BatchItem.text, BatchItem.label, BatchItem.score)
        .where(BatchItem.batch_id == batch.id)
        .order_by(BatchItem.position)
    )
    items = [ItemOut(index=row.position, text=row.text, label=row.label, score=row.score) for row in result]
    return BatchOut(id=str(batch.id), item_count=batch.item_count, model_version=batch.model_version, items=items)
