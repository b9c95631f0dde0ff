"""Tables: predictions, and the feedback people gave on them."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


class Prediction(Base):
    __tablename__ = "predictions"
    # The listing's order, newest first, with the id as tiebreaker: one index serves both the
    # ORDER BY and the keyset condition, so any page is a short range scan of it.
    __table_args__ = (Index("ix_predictions_created_at_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    model: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    # Naive UTC: stored and compared the same way by SQLite and PostgreSQL.
    created_at: Mapped[datetime] = mapped_column(DateTime())
    # "metadata" is reserved on declarative classes; the column keeps the API's name.
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)

    feedback: Mapped[list["Feedback"]] = relationship(back_populates="prediction", order_by="Feedback.id")


class Feedback(Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # Indexed: loading the feedback of a page is one IN (...) look-up, not a scan of the table.
    prediction_id: Mapped[int] = mapped_column(ForeignKey("predictions.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(16))
    reviewer: Mapped[str] = mapped_column(String(64))

    prediction: Mapped[Prediction] = relationship(back_populates="feedback")
