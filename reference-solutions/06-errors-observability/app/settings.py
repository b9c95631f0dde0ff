"""Configuration, read from the environment in one place."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # The names match the environment variables (case-insensitive): MODEL_LATENCY_MS, LOG_LEVEL, DEBUG.
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    model_latency_ms: int = Field(default=100, ge=0, description="How long one prediction blocks")
    log_level: str = Field(default="INFO", description="Level of the application's own loggers")
    # Starlette's debug mode answers an unhandled exception with its traceback, whatever handler
    # is registered: useful on a laptop, a leak anywhere else. Off unless asked for.
    debug: bool = False


@lru_cache
def get_settings() -> Settings:
    return Settings()
