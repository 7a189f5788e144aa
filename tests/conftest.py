"""No network and no accidental model calls: only tests marked `model` may run the embedded model."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from wirebrief.llm.fake import FakeBackend, brief_reply

__all__ = ["brief_reply"]
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


@pytest.fixture
def fake() -> FakeBackend:
    return FakeBackend([brief_reply()])


@pytest.fixture
def pipeline(settings: Settings, fake: FakeBackend) -> Pipeline:
    return build_pipeline(settings, backend=fake)


def seed_text(name: str) -> str:
    return next(SEEDS.glob(f"{name}*")).read_text(encoding="utf-8")


def dumps(obj: Any) -> str:
    return json.dumps(obj)


@pytest.fixture
def redis_server() -> Any:
    """A real redis-server on 127.0.0.1 for this test; skipped, with the reason, where it is not installed."""
    from tests.redis_server import MISSING, RedisServer, binary

    path = binary()
    if path is None:
        pytest.skip(MISSING)
    with RedisServer(path) as server:
        yield server


@pytest.fixture
def fake_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> FakeBackend:
    """The CLI with these settings and a fake at the LLM seam."""
    from wirebrief.cli import common

    fake = FakeBackend([brief_reply()])
    monkeypatch.setattr(common, "get_settings", lambda: settings)
    monkeypatch.setattr(common, "pipeline", lambda s: build_pipeline(s, backend=fake))
    return fake
