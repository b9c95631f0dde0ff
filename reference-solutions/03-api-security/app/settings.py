"""Configuration, read from the environment in one place."""

from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    # The names match the environment variables (case-insensitive): API_KEYS, RATE_LIMIT_REQUESTS, ...
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    model_latency_ms: int = Field(default=100, ge=0, description="How long one prediction blocks")
    # API_KEYS="key-one:predict+admin,key-two:predict" -> {"key-one": {"predict", "admin"}, ...}
    # NoDecode: the value is our own comma format, not JSON.
    api_keys: Annotated[dict[str, frozenset[str]], NoDecode] = Field(default_factory=dict)
    rate_limit_requests: int = Field(default=60, ge=1)
    rate_limit_window_seconds: int = Field(default=60, ge=1)
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Unset: rate-limit counters live in this process. Set: they live in Redis and are
    # shared by every worker that points at the same database.
    redis_url: str | None = None

    @field_validator("api_keys", mode="before")
    @classmethod
    def parse_api_keys(cls, raw: object) -> object:
        if not isinstance(raw, str):
            return raw
        keys: dict[str, frozenset[str]] = {}
        entries = [entry.strip() for entry in raw.split(",") if entry.strip()]
        for position, entry in enumerate(entries, start=1):
            key, separator, scopes = entry.partition(":")
            if not key or not separator:
                # Never echo the entry: it holds a secret.
                raise ValueError(f"API_KEYS entry #{position} is not in the form key:scope+scope")
            keys[key.strip()] = frozenset(scope.strip() for scope in scopes.split("+") if scope.strip())
        return keys

    @field_validator("cors_origins", mode="before")
    @classmethod
    def parse_origins(cls, raw: object) -> object:
        if isinstance(raw, str):
            return [origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()]
        return raw


@lru_cache
def get_settings() -> Settings:
    return Settings()
