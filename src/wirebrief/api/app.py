"""The app factory: settings → service → routes. Everything else lives in the modules it wires."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from wirebrief.api import errors
from wirebrief.api.body import document_bodies
from wirebrief.api.connections import quiet_accept_errors
from wirebrief.api.deps import Authorized
from wirebrief.api.edge import EdgeMiddleware
from wirebrief.api.page import editor, page
from wirebrief.api.routes import ops, v1
from wirebrief.api.service import BriefService
from wirebrief.api.stream import stream
from wirebrief.llm import ChatBackend
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings, get_settings
from wirebrief.text.redact import ACCESS, guard_logger, redact


def create_app(settings: Settings | None = None, backend: ChatBackend | None = None) -> FastAPI:
    settings = settings or get_settings()
    service = BriefService(settings, build_pipeline(settings, backend))
    guard_logger("uvicorn.access", ACCESS)  # a key sent in a query string never reaches the access log
    quiet_accept_errors()  # out of file descriptors, one log line per 10 s, not a traceback per accept

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
    document_bodies(app)  # the request models of routes that read their own body
    app.include_router(v1, dependencies=[Authorized] if service.keys.enabled else [])  # no keys: open API
    for router in (stream, editor):  # the page's API calls: the same keys and limits as /v1
        app.include_router(router, dependencies=[Authorized] if service.keys.enabled else [])
    app.include_router(page)  # the editor's page at /: public; what it asks /v1 needs the key
    app.include_router(ops)
    app.add_middleware(EdgeMiddleware, service=service, max_body=settings.max_body_bytes,
                       body_timeout=settings.body_timeout)
    return app


def _load_quietly(service: BriefService) -> None:
    try:
        service.pipeline.backend.load()
    except Exception as exc:  # noqa: BLE001 - readiness reports it; requests get the error
        service.load_problem = f"the model failed to load ({type(exc).__name__}); see the server log"
        errors.log.error("the model failed to load: %s", redact(exc, 2000))
