"""Tables: registered versions, the promotion history behind the production alias, evaluations."""

from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base


class ModelVersion(Base):
    __tablename__ = "model_versions"
    # The list is ordered by the three numbers, never by the text ("1.10.0" < "1.9.0" as strings).
    __table_args__ = (Index("ix_model_versions_semver", "major", "minor", "patch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # unique: the database, not a check-then-insert, decides which of two racing registrations
    # wins, so a duplicate is a 409 even when both arrive at once.
    version: Mapped[str] = mapped_column(String(32), unique=True)
    major: Mapped[int]
    minor: Mapped[int]
    patch: Mapped[int]
    # "metadata" is taken on a declarative class (it is the table registry), so the attribute has
    # another name; the column keeps the API's.
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)
    metrics: Mapped[dict[str, float]] = mapped_column(JSON)


class Promotion(Base):
    """One promotion to production. The active rows, newest first, are the alias's history."""

    __tablename__ = "promotions"

    # Ids only grow: the newest active promotion is the production version, the one before it is
    # where a rollback returns to.
    id: Mapped[int] = mapped_column(primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id"))
    # A rollback marks the promotion it undoes instead of deleting it: the audit trail stays.
    rolled_back: Mapped[bool] = mapped_column(Boolean, default=False)


class Evaluation(Base):
    __tablename__ = "evaluations"
    # One result per version and dataset; the same dataset may be evaluated for every version.
    __table_args__ = (UniqueConstraint("model_version_id", "dataset"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id"))
    dataset: Mapped[str] = mapped_column(String(200))
    metrics: Mapped[dict[str, float]] = mapped_column(JSON)
