"""Tables: a batch, and its items in input order."""

import uuid
from datetime import datetime, timezone

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class Batch(Base):
    __tablename__ = "batches"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    item_count: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(64))
    # unique: two requests with the same key can never both create a batch, even when they race
    # (in two workers, or two servers). NULL (no key) is not unique-checked.
    idempotency_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    # What the key was used for: a hash of the items, to tell a retry from a reuse of the key.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(timezone.utc))


class BatchItem(Base):
    __tablename__ = "batch_items"
    # One row per position: the order the client sent is stored, not left to the database.
    __table_args__ = (UniqueConstraint("batch_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
