"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request, status

from app import cursor
from app.db import StatementCounter
from app.service import PredictionService
from app.settings import Settings, get_settings


def get_predictions(request: Request) -> PredictionService:
    predictions: PredictionService = request.app.state.predictions
    return predictions


def get_counter(request: Request) -> StatementCounter:
    counter: StatementCounter = request.app.state.statements
    return counter


def get_position(
    cursor_param: Annotated[str | None, Query(alias="cursor", max_length=512)] = None,
) -> cursor.Position | None:
    if cursor_param is None:
        return None
    try:
        return cursor.decode(cursor_param)
    except cursor.InvalidCursorError as error:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail="cursor is not one this server issued: pass next_cursor as it came",
        ) from error


PredictionsDep = Annotated[PredictionService, Depends(get_predictions)]
CounterDep = Annotated[StatementCounter, Depends(get_counter)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PositionDep = Annotated[cursor.Position | None, Depends(get_position)]
LimitDep = Annotated[int, Query(ge=1, le=500)]
CustomerDep = Annotated[str | None, Query(min_length=1, max_length=64)]
