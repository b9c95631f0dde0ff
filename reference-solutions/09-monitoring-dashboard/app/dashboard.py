"""The dashboard: the same figures as JSON for tools and as HTML for people."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from app.deps import DeploymentDep, StatsDep
from app.page import render
from app.schemas import DashboardSummary

router = APIRouter(prefix="/dashboard")


async def current_summary(stats: StatsDep, deployment: DeploymentDep) -> DashboardSummary:
    # Read at request time, every time: a switched version or a new count shows on the next load.
    # async def, so it runs on the event loop like every update: a plain def would run in a worker
    # thread and could read the statistics while a request on the loop changes them.
    return DashboardSummary(model=deployment.active, totals=stats.totals(), routes=stats.routes())


SummaryDep = Annotated[DashboardSummary, Depends(current_summary)]


@router.get("/summary")
async def summary(current: SummaryDep) -> DashboardSummary:
    return current


@router.get("", response_class=HTMLResponse)
async def dashboard(current: SummaryDep) -> HTMLResponse:
    return HTMLResponse(render(current))
