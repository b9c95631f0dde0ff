"""The application: the model and the database engine live as long as the process."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from app.db import create_tables, make_engine, make_sessionmaker
from app.errors import PredictionFailedError, RegistryError
from app.predictions import Predictor
from app.routes import router
from app.schemas import PredictionError
from app.settings import get_settings
from model import SentimentModel


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    model = SentimentModel.load(latency_ms=settings.model_latency_ms)
    engine = make_engine(settings.database_url)
    # Creating the tables also proves DATABASE_URL works before the first request arrives.
    await create_tables(engine)
    app.state.sessions = make_sessionmaker(engine)
    app.state.predictor = Predictor(model, app.state.sessions)
    try:
        yield
    finally:
        await engine.dispose()


app = FastAPI(title="Model registry", lifespan=lifespan)
app.include_router(router)


@app.exception_handler(RegistryError)
async def registry_error(request: Request, exc: RegistryError) -> JSONResponse:
    # The same {"detail": ...} body FastAPI's HTTPException gives, from one place.
    return JSONResponse(status_code=exc.status_code, content={"detail": exc.detail})


@app.exception_handler(PredictionFailedError)
async def prediction_failed(request: Request, exc: PredictionFailedError) -> JSONResponse:
    # A JSON answer that names the failing version, instead of a bare "Internal Server Error";
    # nothing in the registry changes because one prediction failed.
    body = PredictionError(detail=f"the model failed: {exc.reason}", version=exc.version)
    return JSONResponse(status_code=status.HTTP_500_INTERNAL_SERVER_ERROR, content=body.model_dump())


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
