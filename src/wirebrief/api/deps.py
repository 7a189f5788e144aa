"""Dependencies, as Annotated aliases the routes use."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from wirebrief.api.service import BriefService


def get_service(request: Request) -> BriefService:
    service: BriefService = request.app.state.service
    return service


ServiceDep = Annotated[BriefService, Depends(get_service)]


def authorize(service: ServiceDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """When API keys are configured: a valid bearer key, within its rate limit."""
    if service.keys.enabled:
        service.limiter.check(service.keys.identify(authorization))


Authorized = Depends(authorize)
