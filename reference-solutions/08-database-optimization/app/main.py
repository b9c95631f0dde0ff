"""The application: the database engine lives as long as the process."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.db import StatementCounter, create_tables, make_engine, make_sessionmaker
from app.routes import router
from app.service import PredictionService
from app.settings import get_settings


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    engine = make_engine(settings.database_url)
    # Creating the tables also proves DATABASE_URL works before the first request arrives.
    await create_tables(engine)
    counter = StatementCounter()
    counter.attach(engine)
    app.state.statements = counter
    app.state.predictions = PredictionService(make_sessionmaker(engine))
    try:
        yield
    finally:
        await engine.dispose()


app = FastAPI(title="Prediction log API", lifespan=lifespan)
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
