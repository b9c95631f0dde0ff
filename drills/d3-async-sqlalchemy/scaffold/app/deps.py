"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession


def get_session(request: Request) -> AsyncSession:
    # Opened once in the lifespan: no per-request setup cost.
    session: AsyncSession = request.app.state.session
    return session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
