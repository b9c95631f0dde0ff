"""Configuration, read from the environment in one place."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # Field names match the environment variables, case-insensitively: DATABASE_URL.
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    # A file beside the server when run by hand; compose hands it postgresql+asyncpg://...@db/...
    database_url: str = "sqlite+aiosqlite:///./items.db"


@lru_cache
def get_settings() -> Settings:
    return Settings()
