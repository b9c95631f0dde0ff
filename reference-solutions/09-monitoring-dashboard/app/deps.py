"""Dependencies: handlers ask for what they need; the lifespan put it on app.state."""

from typing import Annotated

from fastapi import Depends, Request

from app.deployment import Deployment
from app.stats import TrafficStats


def get_deployment(request: Request) -> Deployment:
    deployment: Deployment = request.app.state.deployment
    return deployment


def get_stats(request: Request) -> TrafficStats:
    stats: TrafficStats = request.app.state.stats
    return stats


DeploymentDep = Annotated[Deployment, Depends(get_deployment)]
StatsDep = Annotated[TrafficStats, Depends(get_stats)]
