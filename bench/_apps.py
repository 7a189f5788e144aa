"""Apps for bench/api.py: wirebrief with the scripted fake backend, and a bare FastAPI endpoint."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from wirebrief.api import create_app
from wirebrief.llm.fake import FakeBackend
from wirebrief.settings import Settings


def _label_all(request: dict[str, Any]) -> dict[str, Any]:
    import re

    schema = request["response_format"]["json_schema"]["schema"]
    defs = schema.get("$defs", {})
    items = schema["properties"]["figures"].get("prefixItems", [])
    ids = [(defs[i["$ref"].split("/")[-1]] if "$ref" in i else i)["properties"]["id"]["const"] for i in items]
    text = request["messages"][1]["content"]
    numbers = {i: re.search(rf"\[#{i}\] (\S+)", text).group(1).rstrip(".,") for i in ids}  # type: ignore[union-attr]
    return {"headline": "h", "summary": "s", "key_points": [], "figures": [
        {"id": i, "number": numbers[i], "what": "w", "unit": None, "where": None, "period": None, "source": None}
        for i in ids]}


def wirebrief_app() -> FastAPI:
    return create_app(Settings(), FakeBackend([_label_all]))


def bare_app() -> FastAPI:
    app = FastAPI()
    payload = json.loads(Path(os.environ["BENCH_JSON"]).read_text())

    @app.post("/v1/briefs")
    async def briefs(body: dict[str, Any]) -> dict[str, Any]:
        return payload  # type: ignore[no-any-return]

    @app.get("/readyz")
    async def readyz() -> dict[str, str]:
        return {"status": "ready"}

    return app
