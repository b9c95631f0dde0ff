"""Configuration, read from the environment in one place."""

from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    # The names match the environment variables (case-insensitive): ALLOWED_ORIGINS, MODEL_LATENCY_MS.
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    # ALLOWED_ORIGINS="http://localhost:5173,https://app.example.com": the front ends that may call us.
    # NoDecode: the value is a comma-separated list, not JSON.
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["http://localhost:5173"])
    model_latency_ms: int = Field(default=20, ge=0, description="How long one prediction blocks")

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def parse_origins(cls, raw: object) -> object:
        if isinstance(raw, str):
            return raw.split(",")
        return raw


@lru_cache
def get_settings() -> Settings:
    return Settings()
