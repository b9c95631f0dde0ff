"""Configuration, read from the environment in one place."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # The names match the environment variables (case-insensitive): MODEL_LATENCY_MS, ...
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    model_latency_ms: int = Field(default=100, ge=0, description="How long one prediction blocks")
    cache_ttl_seconds: int = Field(default=300, ge=1, description="How long a cached prediction lives")
    cache_max_entries: int = Field(default=10_000, ge=1, description="In-process cache only: LRU bound")
    # Unset: the cache lives in this process. Set: it lives in Redis, shared by every worker
    # (and every restart) that points at the same database.
    redis_url: str | None = None


@lru_cache
def get_settings() -> Settings:
    return Settings()
