"""Configuration, read from the environment in one place."""

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # Field names match the environment variables, case-insensitively: WEBHOOK_SECRET, ...
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    model_latency_ms: int = Field(default=100, ge=0, description="How long one prediction blocks")
    job_workers: int = Field(default=4, ge=1, description="Jobs that may run at once")

    # No default: a server that would sign with a made-up secret must not start.
    webhook_secret: SecretStr
    webhook_max_attempts: int = Field(default=5, ge=1, description="Attempts per callback, the first included")
    webhook_backoff_base_ms: int = Field(default=1000, ge=1, description="First retry wait; doubles after each")
    webhook_timeout_ms: int = Field(default=5000, ge=1, description="How long one attempt may take")
    webhook_concurrency: int = Field(default=20, ge=1, description="Outgoing requests in flight at once")


@lru_cache
def get_settings() -> Settings:
    return Settings()  # the secret comes from the environment (no default: see webhook_secret)
