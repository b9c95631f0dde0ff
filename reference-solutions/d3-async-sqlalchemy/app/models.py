"""Tables: registered models and their versions."""

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base


class RegisteredModel(Base):
    __tablename__ = "registered_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # lazy="selectin": the versions load with the model, in one more query, while the session is
    # still awaiting. Left lazy, reading model.versions later would be IO outside an await, which
    # asyncio cannot do (MissingGreenlet).
    versions: Mapped[list["ModelVersion"]] = relationship(
        back_populates="model", order_by="ModelVersion.id", lazy="selectin"
    )


class ModelVersion(Base):
    __tablename__ = "model_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("registered_models.id"))
    version: Mapped[str] = mapped_column(String(50))
    accuracy: Mapped[float] = mapped_column(Float)
    model: Mapped[RegisteredModel] = relationship(back_populates="versions")
