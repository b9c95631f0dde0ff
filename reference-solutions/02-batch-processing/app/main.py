"""The application: the model and the database engine live as long as the process."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.db import create_tables, make_engine, make_sessionmaker
from app.routes import router
from app.service import BatchService
from app.settings import get_settings
from model import SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    model = SentimentModel.load(latency_ms=settings.model_latency_ms)
    engine = make_engine(settings.database_url)
    # Creating the tables also proves DATABASE_URL works before the first request arrives.
    await create_tables(engine)
    app.state.batches = BatchService(make_sessionmaker(engine), model)
    try:
        yield
    finally:
        await engine.dispose()


app = FastAPI(title="Batch scoring API", lifespan=lifespan)
app.include_router(router)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
