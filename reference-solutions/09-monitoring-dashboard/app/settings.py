"""Configuration, read from the environment in one place."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # The names match the environment variables (case-insensitive): MODEL_LATENCY_MS, LATENCY_WINDOW.
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    model_latency_ms: int = Field(default=100, ge=0, description="How long one prediction blocks")
    latency_window: int = Field(default=100, ge=1, description="Latest requests per route the percentiles cover")


@lru_cache
def get_settings() -> Settings:
    return Settings()
