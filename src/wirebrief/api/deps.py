"""Dependencies, as Annotated aliases the routes use. Async, so FastAPI does not hop to a thread for them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from wirebrief.api.service import BriefService


async def get_service(request: Request) -> BriefService:
    service: BriefService = request.app.state.service
    return service


ServiceDep = Annotated[BriefService, Depends(get_service)]


async def authorize(service: ServiceDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """A valid bearer key, within its rate limit (the app adds this to /v1 only when keys are configured)."""
    service.limiter.check(service.keys.identify(authorization))


Authorized = Depends(authorize)
