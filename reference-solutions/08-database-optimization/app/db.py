"""The database: one async engine per process, and a count of the statements it has run.

The same code runs on SQLite (aiosqlite) and PostgreSQL (asyncpg): only DATABASE_URL differs.
"""

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class StatementCounter:
    """Every statement the engine sends to the database (an executemany counts once).

    A debugging aid that makes an N+1 visible from outside: read it before and after a request.
    """

    def __init__(self) -> None:
        self.count = 0

    def attach(self, engine: AsyncEngine) -> None:
        # Events live on the sync engine that the async engine wraps.
        event.listen(engine.sync_engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, *_: Any) -> None:
        self.count += 1


def make_engine(url: str) -> AsyncEngine:
    # pool_pre_ping: a connection PostgreSQL dropped while idle is replaced, not handed out.
    return create_async_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after commit without another round trip
    # (in async code an implicit refresh would fail anyway).
    return async_sessionmaker(engine, expire_on_commit=False)


async def create_tables(engine: AsyncEngine) -> None:
    # create_all skips tables and indexes that exist. (A real service would run migrations.)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
