"""The outermost ASGI layer: request metrics, and the body's bounds enforced while it streams in.

A declared Content-Length over the limit is refused before a byte is read. A body without one (chunked) is
counted as it arrives and refused with 413 the moment it passes the limit, so memory stays flat whatever the
client sends; a body that trickles in slower than ``body_timeout`` allows is refused with 408. Either way the
app's own answer is dropped and the connection closes (the rest of the body is never read).

A request with both Content-Length and Transfer-Encoding (a smuggling shape) is answered by its chunked body and
its connection closed (RFC 9112, 6.1). With keys set, the operations that tell about the server (the OpenAPI
pages, ``/metrics``, ``/readyz``) need one too; ``/healthz`` stays open for load balancers.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse

from wirebrief.api import errors
from wirebrief.api.deps import authorize
from wirebrief.api.service import BriefService

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
KEYED_OPERATIONS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json", "/metrics", "/readyz"})
"""Paths outside /v1 that need a key when keys are set."""
_CLOSE = (b"connection", b"close")


class _Refused(Exception):
    """Raised inside the app's ``receive`` when the body breaks a bound; the middleware answers instead."""


class _BodyGuard:
    """Wraps ``receive``: counts body bytes, times the body, and raises :class:`_Refused` on a breach."""

    def __init__(self, receive: Any, max_body: int, timeout: float) -> None:
        self._receive, self.max_body = receive, max_body
        self.deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.seen = 0
        self.complete = False
        self.refusal: JSONResponse | None = None

    async def receive(self) -> dict[str, Any]:
        if self.complete or self.refusal is not None:
            return await self._receive()  # type: ignore[no-any-return]
        try:
            async with asyncio.timeout(self.deadline - time.monotonic()):  # no task per call, unlike wait_for
                message: dict[str, Any] = await self._receive()
        except TimeoutError:
            self.refusal = errors.error_response(
                408, "RequestTimeout", f"the body did not arrive within {self.timeout:.0f} s",
                {"hint": "send the whole body at once"}, {"Connection": "close"})
            raise _Refused from None
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.max_body:
                self.refusal = too_large(f"the body is over the limit of {self.max_body:,} bytes")
                raise _Refused
            self.complete = not message.get("more_body", False)
        return message


def too_large(message: str) -> JSONResponse:
    return errors.error_response(413, "InputTooLarge", message, {"hint": "send a shorter article"},
                                 {"Connection": "close"})


class EdgeMiddleware:
    """Pure ASGI: request metrics, 413 for a body over the limit (declared or streamed), 408 for a slow one."""

    def __init__(self, app: Any, service: BriefService, max_body: int, body_timeout: float) -> None:
        self.app, self.service, self.max_body, self.body_timeout = app, service, max_body, body_timeout

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if self.service.keys.enabled and scope["path"] in KEYED_OPERATIONS and not await self._authorized(
                scope, headers, receive, send):
            return
        length = headers.get(b"content-length")
        smuggled = length is not None and b"transfer-encoding" in headers  # answered, then the connection closed
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await too_large(f"the body has {int(length):,} bytes; the limit is {self.max_body:,}")(
                scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]
        guard = _BodyGuard(receive, self.max_body, self.body_timeout) if scope["method"] in _BODY_METHODS else None

        async def capture(message: dict[str, Any]) -> None:
            if guard is not None and guard.refusal is not None:
                return  # the body was refused: whatever the app answers instead is dropped
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                if smuggled:
                    message = {**message, "headers": [*message.get("headers", []), _CLOSE]}
            await send(message)

        try:
            await self.app(scope, receive if guard is None else guard.receive, capture)
        except _Refused:
            pass
        except Exception:
            if guard is None or guard.refusal is None:
                raise
        finally:
            if guard is not None and guard.refusal is not None:
                status[0] = guard.refusal.status_code
                await guard.refusal(scope, receive, send)
            path = getattr(scope.get("route"), "path", "unmatched")
            self.service.metrics.request(path, status[0], time.perf_counter() - started)

    async def _authorized(self, scope: dict[str, Any], headers: dict[bytes, bytes], receive: Any, send: Any) -> bool:
        """Whether the request has a valid key; if not, the 401 (or 429) is sent."""
        authorization = headers.get(b"authorization")
        try:
            authorize(self.service, authorization.decode("latin-1") if authorization else None,
                      (scope.get("client") or ("",))[0])
        except HTTPException as exc:
            await errors.http_error(exc)(scope, receive, send)
            return False
        return True
