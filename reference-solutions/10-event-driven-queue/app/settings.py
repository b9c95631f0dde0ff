"""Configuration, read from the environment in one place."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # The names match the environment variables (case-insensitive): MODEL_LATENCY_MS, ...
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    model_latency_ms: int = Field(default=100, ge=0, description="How long one prediction blocks")
    max_retries: int = Field(default=3, ge=0, description="Retries after a failed first attempt, then dead-letter")
    retry_delay_ms: int = Field(default=1000, ge=0, description="Pause between a failed attempt and the next")
    workers: int = Field(default=4, ge=1, description="Messages processed at the same time")
    # Unset: the queue lives in this process. Set: RabbitMQ, where accepted messages outlive us.
    amqp_url: str | None = None
    # How long to wait for the broker: at startup, and when a publish finds no connection.
    broker_startup_timeout_seconds: float = Field(default=2.0, gt=0)
    broker_timeout_seconds: float = Field(default=0.3, gt=0)


@lru_cache
def get_settings() -> Settings:
    return Settings()
