"""Faults of the model backend, played by a stub OpenAI-compatible server on 127.0.0.1: every one ends in a
clean status, bounded retries, and no upstream secret or raw text in what the client or the log sees."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from tests.conftest import seed_text
from tests.servers import StubServer, running

from wirebrief.api import create_app
from wirebrief.errors import BackendError
from wirebrief.llm.fake import FakeBackend
from wirebrief.settings import Settings

KEY = "sk-stub-0123456789abcdefSECRET"
TEXT = seed_text("004")


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def via_stub(settings: Settings, stub: StubServer, **update: object) -> Settings:
    return settings.model_copy(update={"backend": "openai", "openai_base_url": stub.url,
                                       "openai_api_key": SecretStr(KEY), "request_timeout": 2.0,
                                       "transport_max_seconds": 10.0, **update})


def post(settings: Settings, text: str = TEXT) -> httpx.Response:
    with TestClient(create_app(settings)) as c:
        return c.post("/v1/briefs", json={"text": text})


def error_of(r: httpx.Response) -> dict:  # type: ignore[type-arg]
    return r.json()["error"]  # type: ignore[no-any-return]


def test_ok_through_the_stub(settings: Settings, stub: StubServer) -> None:
    r = post(via_stub(settings, stub))
    assert r.status_code == 200 and r.json()["brief"]["figures"] and stub.calls == 1


def test_500_is_retried_boundedly_then_503_and_the_key_it_echoes_never_leaks(
        settings: Settings, stub: StubServer, caplog: pytest.LogCaptureFixture) -> None:
    stub.script = ["500"]
    with caplog.at_level(logging.DEBUG):
        r = post(via_stub(settings, stub))
    assert r.status_code == 503 and r.headers["retry-after"] and error_of(r)["type"] == "BackendUnavailable"
    assert stub.calls == settings.transport_attempts
    assert KEY not in r.text and KEY not in caplog.text and "[redacted]" in r.text


def test_500_then_ok_recovers(settings: Settings, stub: StubServer) -> None:
    stub.script = ["500", "ok"]
    assert post(via_stub(settings, stub)).status_code == 200 and stub.calls == 2


def test_429_retry_after_is_honoured(settings: Settings, stub: StubServer) -> None:
    stub.script, stub.retry_after = ["429", "ok"], 1
    r = post(via_stub(settings, stub))  # backoff is off in tests: only Retry-After makes it wait
    assert r.status_code == 200 and stub.calls == 2
    assert stub.call_times[1] - stub.call_times[0] >= 0.9


def test_429_retry_after_beyond_the_cap_gives_up_at_once_and_passes_it_on(settings: Settings,
                                                                           stub: StubServer) -> None:
    stub.script, stub.retry_after = ["429"], 30
    started = time.monotonic()
    r = post(via_stub(settings, stub, transport_max_seconds=5.0))
    assert r.status_code == 503 and r.headers["retry-after"] == "30" and stub.calls == 1
    assert time.monotonic() - started < 5


def test_read_timeout_is_504_backend_timeout_not_retried(settings: Settings, stub: StubServer) -> None:
    stub.script = ["hang"]
    started = time.monotonic()
    r = post(via_stub(settings, stub, request_timeout=0.5))
    assert r.status_code == 504 and error_of(r)["type"] == "BackendTimeout", r.text
    assert stub.calls == 1 and time.monotonic() - started < 5


@pytest.mark.parametrize(("mode", "status", "kind"), [
    ("malformed", 502, "BackendError"),
    ("truncated", 502, "OutputTruncated"),
    ("close", 503, "BackendUnavailable"),
    ("echo", 502, "BackendError"),
])
def test_unusable_answers_are_clean_errors(settings: Settings, stub: StubServer, mode: str, status: int,
                                           kind: str, caplog: pytest.LogCaptureFixture) -> None:
    stub.script = [mode]
    with caplog.at_level(logging.DEBUG):
        r = post(via_stub(settings, stub))
    assert r.status_code == status and error_of(r)["type"] == kind, r.text
    assert "did not validate" not in r.text
    assert KEY not in r.text and KEY not in caplog.text
    assert len(error_of(r)["message"]) < 500  # an upstream body of any size is cut


def test_invented_numbers_never_reach_the_brief(settings: Settings, stub: StubServer) -> None:
    stub.script = ["invented"]
    r = post(via_stub(settings, stub))
    assert r.status_code == 200, r.text
    brief = r.json()["brief"]
    assert "999" not in brief["headline"] + brief["summary"] + " ".join(brief["key_points"])


def test_a_backend_bug_is_a_backend_error_not_a_validation_failure(settings: Settings) -> None:
    with TestClient(create_app(settings, FakeBackend([RuntimeError("boom")]))) as c:
        r = c.post("/v1/briefs", json={"text": TEXT})
    assert r.status_code == 502 and error_of(r)["type"] == "BackendError"
    assert "RuntimeError" in error_of(r)["message"] and "validate" not in error_of(r)["message"]


def test_empty_hint_is_left_out(settings: Settings) -> None:
    with TestClient(create_app(settings, FakeBackend([BackendError("upstream broke")]))) as c:
        r = c.post("/v1/briefs", json={"text": TEXT})
    assert r.status_code == 502 and error_of(r)["detail"]["hint"] == ""


def test_readyz_is_not_ready_when_the_backend_is_unreachable(settings: Settings, stub: StubServer) -> None:
    with TestClient(create_app(via_stub(settings, stub))) as c:
        assert c.get("/readyz").status_code == 200
    down = settings.model_copy(update={"backend": "openai", "openai_base_url": "http://127.0.0.1:9/v1"})
    with TestClient(create_app(down)) as c:
        r = c.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["backend_reachable"] is False
    assert r.json()["problems"] == ["the model endpoint is unreachable"]


def test_100_concurrent_mixed_requests(settings: Settings, stub: StubServer) -> None:
    """Single-flight, overload refusal and bad input at once: no 5xx but 503, and every model call the stub
    saw is counted once in the metrics (joined requests do not count the shared computation again)."""
    stub.delay = 0.3
    app = create_app(via_stub(settings, stub, queue_capacity=4))
    warm = seed_text("001")

    async def scenario(url: str) -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as c:
            assert (await c.post("/v1/briefs", json={"text": warm})).status_code == 200
            calls: list[object] = []
            calls += [c.post("/v1/briefs", json={"text": TEXT}) for _ in range(40)]
            calls += [c.post("/v1/briefs", json={"text": f"Article {i}: the council approved {i} buses."})
                      for i in range(20)]
            calls += [c.post("/v1/briefs", json={"text": warm}) for _ in range(10)]
            calls += [c.post("/v1/briefs", json={"text": ""}) for _ in range(10)]
            calls += [c.post("/v1/briefs", content=b"{not json", headers={"content-type": "application/json"})
                      for _ in range(10)]
            calls += [c.get("/healthz") for _ in range(10)]
            responses = list(await asyncio.gather(*calls))  # type: ignore[arg-type]
            responses.append(await c.get("/metrics"))
            return responses

    with running(app) as url:
        *responses, metrics = asyncio.run(scenario(url))
    statuses = [r.status_code for r in responses]
    assert set(statuses) <= {200, 400, 422, 503}, statuses
    assert statuses[:40].count(200) in (0, 40)  # the 40 identical ones share one fate
    assert statuses[70:80] == [422] * 10 and statuses[80:90] == [400] * 10
    assert statuses[60:70] == [200] * 10 and statuses[90:] == [200] * 10  # hits and health never wait
    made = 1 + (statuses[0] == 200) + statuses[40:60].count(200)  # the warm-up, A, the distinct ones made
    assert stub.calls == made
    text = metrics.text
    assert f'wirebrief_cache_total{{result="miss"}} {float(made)}' in text
    assert f'wirebrief_tokens_total{{kind="prompt"}} {100.0 * (made + stub.label_calls)}' in text  # + labelling
    assert 'wirebrief_cache_total{result="joined"} 39.0' in text or statuses[0] != 200
