"""The database: one async engine per process, one session per request.

The same code runs on SQLite (aiosqlite) and PostgreSQL (asyncpg): only DATABASE_URL differs.
"""

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


def make_engine(url: str) -> AsyncEngine:
    # pool_pre_ping: a connection PostgreSQL dropped while idle is replaced, not handed out.
    return create_async_engine(url, pool_pre_ping=True)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: objects stay readable after commit without another round trip
    # (in async code an implicit refresh would fail anyway).
    return async_sessionmaker(engine, expire_on_commit=False)


async def create_tables(engine: AsyncEngine) -> None:
    # create_all skips tables that exist, so a restart keeps every row. (A real service would
    # run migrations, e.g. Alembic, instead.)
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
