"""Configuration, read from the environment in one place."""

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # The names match the environment variables (case-insensitive): DATABASE_URL, MODEL_LATENCY_MS.
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    # drill always sets DATABASE_URL (a fresh SQLite file, or a throwaway PostgreSQL database);
    # the default is for running the server by hand: a file beside where it is started.
    database_url: str = Field(default="sqlite+aiosqlite:///./registry.db", description="SQLAlchemy async URL")
    model_latency_ms: int = Field(default=100, ge=0, description="How long one prediction blocks")


@lru_cache
def get_settings() -> Settings:
    return Settings()
