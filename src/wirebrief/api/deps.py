"""Dependencies, as Annotated aliases the routes use. Async, so FastAPI does not hop to a thread for them."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from wirebrief.api.service import BriefService


def service_of(request: Request) -> BriefService:
    service: BriefService = request.app.state.service
    return service


async def get_service(request: Request) -> BriefService:
    return service_of(request)


ServiceDep = Annotated[BriefService, Depends(get_service)]


class BearerKey(HTTPBearer):
    """A valid bearer key, within its rate limit (the app adds this to /v1 only when keys are configured).

    A subclass of FastAPI's HTTPBearer, so the OpenAPI page declares the scheme, with one check that reads
    the header itself: every /v1 call runs it, and sub-dependencies would cost more than the check."""

    async def __call__(self, request: Request) -> None:  # type: ignore[override]
        client = request.client.host if request.client else ""
        authorize(service_of(request), request.headers.get("authorization"), client)


def authorize(service: BriefService, authorization: str | None, client: str) -> None:
    """A valid key (401), within its rate limit, from a client that has not sent too many wrong ones (429)."""
    service.limiter.check(service.keys.identify(authorization, client))


Authorized = Depends(BearerKey(scheme_name="bearer", description="An API key from WIREBRIEF_API_KEYS."))
