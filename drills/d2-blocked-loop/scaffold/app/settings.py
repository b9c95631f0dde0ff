"""Configuration, read from the environment in one place."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # The names match the environment variables (case-insensitive): MODEL_LATENCY_MS, ...
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    model_latency_ms: int = Field(default=100, ge=0, description="How long one prediction blocks")
    model_retries: int = Field(default=1, ge=0, description="Extra attempts after a failed prediction")
    retry_backoff_ms: int = Field(default=200, ge=0, description="The pause before each extra attempt")


@lru_cache
def get_settings() -> Settings:
    return Settings()
