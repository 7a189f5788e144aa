"""No network and no accidental model calls: only tests marked `model` may run the embedded model."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from wirebrief.llm.fake import FakeBackend
from wirebrief.pipeline import Pipeline, build_pipeline
from wirebrief.settings import Settings

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    loopback = isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1"))
    if loopback or self.family == socket.AF_UNIX:
        return _real_connect(self, address)
    raise RuntimeError(f"network access in a test: {address!r}")


@pytest.fixture(autouse=True)
def _guards(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    if request.node.get_closest_marker("model") is None:
        def refuse(*_: Any, **__: Any) -> Any:
            raise RuntimeError("a unit test tried to run the real model; mark it @pytest.mark.model")

        monkeypatch.setattr("wirebrief.llm.embedded.EmbeddedBackend.complete", refuse)
        monkeypatch.setattr("wirebrief.llm.embedded.EmbeddedBackend.load", refuse)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(cache_dir=tmp_path / "cache", backoff=False, transport_attempts=3, model_dir=tmp_path / "m",
                    _env_file=None)  # type: ignore[call-arg]


def candidate_ids(request: dict[str, Any]) -> list[int]:
    schema = request["response_format"]["json_schema"]["schema"]
    items = schema["properties"]["figures"].get("prefixItems", [])
    defs = schema.get("$defs", {})
    ids = []
    for item in items:
        ref = defs[item["$ref"].split("/")[-1]] if "$ref" in item else item
        ids.append(ref["properties"]["id"]["const"])
    return ids


def anchor(marked_text: str, candidate_id: int) -> str:
    """The number written after [#id] in the marked article (what a well-behaved model copies)."""
    from wirebrief.numbers import find_numbers

    after = marked_text.split(f"[#{candidate_id}] ", 1)[1]
    return find_numbers(after)[0].raw


def labelling_reply(summary: str = "A short summary.", headline: str = "A headline") -> Any:
    """A fake reply that labels every candidate the request offers (as a diligent model would)."""

    def reply(request: dict[str, Any]) -> dict[str, Any]:
        text = next(m["content"] for m in request["messages"] if m["role"] == "user")
        figures = [{"id": i, "number": anchor(text, i), "what": f"thing {i}", "unit": "people", "where": "Iraq",
                    "period": None, "source": "CENTCOM"} for i in candidate_ids(request)]
        return {"headline": headline, "summary": summary, "key_points": ["A point."], "figures": figures}

    return reply


@pytest.fixture
def fake() -> FakeBackend:
    return FakeBackend([labelling_reply()])


@pytest.fixture
def pipeline(settings: Settings, fake: FakeBackend) -> Pipeline:
    return build_pipeline(settings, backend=fake)


def seed_text(name: str) -> str:
    return next(SEEDS.glob(f"{name}*")).read_text(encoding="utf-8")


def dumps(obj: Any) -> str:
    return json.dumps(obj)
