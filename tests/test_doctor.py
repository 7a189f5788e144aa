"""`wirebrief doctor` against an OpenAI-compatible endpoint: each failure says what to fix (stub on 127.0.0.1)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from tests.servers import StubServer
from typer.testing import CliRunner

from wirebrief.cli import app
from wirebrief.llm.doctor import endpoint_checks
from wirebrief.settings import Settings, get_settings


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def openai(settings: Settings, url: str, model: str = "stub", mode: str = "json_schema") -> Settings:
    return settings.model_copy(update={"backend": "openai", "openai_base_url": url, "openai_model": model,
                                       "openai_mode": mode})


def test_a_working_endpoint_passes_every_check(settings: Settings, stub: StubServer) -> None:
    stub.script = ["sum"]
    checks = endpoint_checks(openai(settings, stub.url))
    assert [(c.name, c.ok) for c in checks] == [("endpoint", True), ("structured output", True)]
    assert "lists 'stub'" in checks[0].detail and stub.calls == 1


def test_a_model_not_listed_names_the_ones_that_are(settings: Settings, stub: StubServer) -> None:
    (check,) = endpoint_checks(openai(settings, stub.url, model="gpt-4o-mini"))
    assert not check.ok and "does not list 'gpt-4o-mini'" in check.detail
    assert check.fix == "set WIREBRIEF_OPENAI_MODEL to one of 'stub'" and stub.calls == 0


def test_an_unreachable_endpoint_says_to_start_a_server(settings: Settings) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    (check,) = endpoint_checks(openai(settings, f"http://127.0.0.1:{port}/v1"))
    assert not check.ok and "does not answer" in check.detail and "wirebrief serve-model" in check.fix


def test_a_refused_structured_request_suggests_another_mode(settings: Settings, stub: StubServer) -> None:
    stub.script = ["echo"]  # HTTP 400
    checks = endpoint_checks(openai(settings, stub.url, mode="json_schema"))
    assert not checks[-1].ok and "WIREBRIEF_OPENAI_MODE to tools or json" in checks[-1].fix


def test_an_answer_that_does_not_validate_suggests_another_mode(settings: Settings, stub: StubServer) -> None:
    stub.script = ["ok"]  # a brief draft, not the {"answer": int} asked for
    checks = endpoint_checks(openai(settings, stub.url, mode="json"))
    assert not checks[-1].ok and "did not validate" in checks[-1].detail
    assert "json_schema or tools" in checks[-1].fix


def test_doctor_command_prints_the_fix_and_fails(settings: Settings, stub: StubServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIREBRIEF_BACKEND", "openai")
    monkeypatch.setenv("WIREBRIEF_OPENAI_BASE_URL", stub.url)
    monkeypatch.setenv("WIREBRIEF_OPENAI_MODEL", "missing-model")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["doctor"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1, result.output
    assert "WIREBRIEF_OPENAI_MODEL" in result.output and "'stub'" in result.output
