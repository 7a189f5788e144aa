"""Apps for bench/api.py: wirebrief with the scripted fake backend, and two bare FastAPI endpoints."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response

from wirebrief.api import create_app
from wirebrief.llm.fake import FakeBackend, brief_reply
from wirebrief.settings import Settings


def wirebrief_app() -> FastAPI:
    return create_app(Settings(), FakeBackend([brief_reply()]))


def bare_app() -> FastAPI:
    app = FastAPI()
    payload = json.loads(Path(os.environ["BENCH_JSON"]).read_text())

    @app.post("/v1/briefs")
    async def briefs(body: dict[str, Any]) -> dict[str, Any]:
        return payload  # type: ignore[no-any-return]

    return _with_readyz(app)


def bare_bytes_app() -> FastAPI:
    """The floor: the same JSON, serialized once at start-up; the body is read but not parsed."""
    app = FastAPI()
    payload = Path(os.environ["BENCH_JSON"]).read_bytes()

    @app.post("/v1/briefs")
    async def briefs(request: Request) -> Response:
        await request.body()
        return Response(payload, media_type="application/json")

    return _with_readyz(app)


def _with_readyz(app: FastAPI) -> FastAPI:
    @app.get("/readyz")
    async def readyz() -> dict[str, str]:
        return {"status": "ready"}

    return app
