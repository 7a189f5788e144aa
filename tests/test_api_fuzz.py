"""Property-based fuzzing of the API against its own OpenAPI schema: no input may cause a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from tests.conftest import brief_reply

from wirebrief.api import create_app
from wirebrief.llm.fake import FakeBackend
from wirebrief.settings import Settings

_app = create_app(
    Settings(cache_dir=Path(tempfile.mkdtemp()) / "cache", _env_file=None),  # type: ignore[call-arg]
    FakeBackend([brief_reply()]),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", _app)


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
