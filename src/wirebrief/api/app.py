"""The app factory: settings → service → routes. Everything else lives in the modules it wires."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from wirebrief.api import errors
from wirebrief.api.deps import Authorized
from wirebrief.api.routes import ops, v1
from wirebrief.api.service import BriefService
from wirebrief.llm import ChatBackend
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings, get_settings


def create_app(settings: Settings | None = None, backend: ChatBackend | None = None) -> FastAPI:
    settings = settings or get_settings()
    service = BriefService(settings, build_pipeline(settings, backend))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # load the model in the background: /healthz answers at once, /readyz once the model is in memory
        if not service.pipeline.backend.loaded:
            threading.Thread(target=_load_quietly, args=(service,), daemon=True).start()
        yield  # in-flight briefs finish: uvicorn drains requests, the worker thread ends with the process

    app = FastAPI(title="wirebrief", version="0.1.0", lifespan=lifespan,
                  description="Verified briefs of news articles: every figure found in the text by code.")
    app.state.service = service
    errors.install(app)
    app.include_router(v1, dependencies=[Authorized] if service.keys.enabled else [])  # no keys: open API
    app.include_router(ops)
    app.add_middleware(EdgeMiddleware, service=service, max_body=settings.max_body_bytes)
    return app


def _load_quietly(service: BriefService) -> None:
    try:
        service.pipeline.backend.load()
    except Exception:  # noqa: BLE001 - readiness reports it; requests get the error
        errors.log.exception("the model failed to load")


class EdgeMiddleware:
    """Pure ASGI: request metrics, and 413 for a declared body over the limit before it is read."""

    def __init__(self, app: Any, service: BriefService, max_body: int) -> None:
        self.app, self.service, self.max_body = app, service, max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            response = errors.error_response(413, "InputTooLarge", f"the body has {int(length):,} bytes; the limit "
                                             f"is {self.max_body:,}", {"hint": "send a shorter article"})
            await response(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            path = getattr(scope.get("route"), "path", "unmatched")
            self.service.metrics.request(path, status[0], time.perf_counter() - started)
