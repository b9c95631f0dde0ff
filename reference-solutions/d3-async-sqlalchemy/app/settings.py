"""Configuration, read from the environment in one place."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # Field names match the environment variables, case-insensitively: DATABASE_URL.
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    # A file beside the server when run by hand; drill hands every check a database of its own
    # (a new SQLite file, or a throwaway PostgreSQL database as postgresql+asyncpg://...).
    database_url: str = "sqlite+aiosqlite:///./registry.db"


@lru_cache
def get_settings() -> Settings:
    return Settings()
