"""What the README promises about 504s, the queue and batches, kept: the abandoned brief is still made and
can be fetched (even with no_cache), a failed one says why, and abandoned jobs do not hold queue slots."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.conftest import brief_reply, seed_text

from wirebrief.api import create_app
from wirebrief.brief.schema import Brief
from wirebrief.errors import Overloaded
from wirebrief.llm.fake import FakeBackend
from wirebrief.runs.worker import ModelWorker
from wirebrief.settings import Settings

TEXT = seed_text("004")


def fetch_later(c: TestClient, brief_id: str, seconds: float = 5) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while True:
        r = c.get(f"/v1/briefs/{brief_id}")
        if r.status_code != 404 or time.monotonic() > deadline:
            return r
        assert r.json()["error"]["detail"]["pending"] and r.headers["retry-after"]
        time.sleep(0.05)


def test_a_no_cache_504_can_still_be_fetched(settings: Settings) -> None:
    slow = settings.model_copy(update={"api_timeout": 0.2})
    app = create_app(slow, FakeBackend([brief_reply()], delay=0.5))
    with TestClient(app) as c:
        r = c.post("/v1/briefs", json={"text": TEXT, "options": {"no_cache": True}})
        assert r.status_code == 504
        brief_id = r.json()["error"]["detail"]["brief_id"]
        later = fetch_later(c, brief_id)
        assert later.status_code == 200 and later.json()["brief_id"] == brief_id
    assert app.state.service.pipeline.cache.by_brief_id(brief_id) is None  # no_cache: kept, but not cached


def test_a_504_whose_job_fails_gives_that_error_later(settings: Settings) -> None:
    slow = settings.model_copy(update={"api_timeout": 0.2})
    with TestClient(create_app(slow, FakeBackend(["{not json"], delay=0.3))) as c:
        r = c.post("/v1/briefs", json={"text": TEXT})
        assert r.status_code == 504
        later = fetch_later(c, r.json()["error"]["detail"]["brief_id"])
    assert later.status_code == 502 and later.json()["error"]["type"] == "InvalidModelOutput"


def test_abandoned_jobs_free_their_queue_slots(settings: Settings) -> None:
    small = settings.model_copy(update={"api_timeout": 0.2, "queue_capacity": 1})
    fake = FakeBackend([brief_reply()], delay=0.4)
    with TestClient(create_app(small, fake)) as c:
        first = c.post("/v1/briefs", json={"text": TEXT})
        second = c.post("/v1/briefs", json={"text": seed_text("001")})  # the first's slot is free again
        assert (first.status_code, second.status_code) == (504, 504)
        for r in (first, second):
            assert fetch_later(c, r.json()["error"]["detail"]["brief_id"]).status_code == 200
    assert len(fake.requests) == 2


def test_a_batch_has_one_deadline(settings: Settings) -> None:
    slow = settings.model_copy(update={"api_timeout": 0.5})
    items = [{"id": str(i), "text": f"Article {i}. The council approved {i + 2} buses."} for i in range(4)]
    with TestClient(create_app(slow, FakeBackend([brief_reply()], delay=0.3))) as c:
        started = time.monotonic()
        r = c.post("/v1/briefs:batch", json={"items": items})
    statuses = [x["status"] for x in r.json()["results"]]
    assert r.status_code == 200 and statuses[0] == 200 and statuses[-1] == 504, statuses
    assert "before this item was started" in r.json()["results"][-1]["error"]["message"]
    assert time.monotonic() - started < 1.5


# --- the worker itself ---------------------------------------------------------------------------------

def blocked(order: list[str], name: str, gate: threading.Event) -> Callable[[], Any]:
    def compute() -> Any:
        gate.wait(5)
        order.append(name)
        return name

    return compute


def test_worker_runs_live_jobs_before_abandoned_ones_and_drops_the_oldest() -> None:
    worker = ModelWorker(capacity=1)
    order: list[str] = []
    gate = threading.Event()
    a, _ = worker.submit("a", blocked(order, "a", gate))
    time.sleep(0.05)
    worker.abandon("a", a)  # running: it finishes, but holds no slot
    b, _ = worker.submit("b", blocked(order, "b", gate))
    worker.abandon("b", b)  # not started: to the background queue
    c, _ = worker.submit("c", blocked(order, "c", gate))
    assert worker.depth == 1
    with pytest.raises(Overloaded):
        worker.submit("e", blocked(order, "e", gate))  # c holds the one slot
    worker.abandon("c", c)  # two in the background, capacity one: b, the oldest, is dropped
    assert isinstance(b.exception(timeout=1), Overloaded)
    gate.set()
    assert a.result(timeout=5) == "a" and c.result(timeout=5) == "c" and order == ["a", "c"]


def test_asking_again_revives_an_abandoned_job() -> None:
    worker = ModelWorker(capacity=1)
    gate = threading.Event()
    a, _ = worker.submit("a", blocked([], "a", gate))
    time.sleep(0.05)
    worker.abandon("a", a)
    b, _ = worker.submit("b", blocked([], "b", gate))
    worker.abandon("b", b)
    again, joined = worker.submit("b", blocked([], "b2", gate))
    assert again is b and joined and worker.depth == 1
    with pytest.raises(Overloaded):
        worker.submit("c", blocked([], "c", gate))
    gate.set()
    assert again.result(timeout=5) == "b"


def test_single_flight_is_reported_as_joined(settings: Settings) -> None:
    fake = FakeBackend([brief_reply()], delay=0.3)
    app = create_app(settings, fake)

    async def scenario() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
            same = [c.post("/v1/briefs", json={"text": TEXT}) for _ in range(5)]
            return [*(await asyncio.gather(*same)), await c.get("/metrics")]

    *responses, metrics = asyncio.run(scenario())
    assert all(r.status_code == 200 for r in responses) and len(fake.requests) == 1
    assert 'wirebrief_cache_total{result="miss"} 1.0' in metrics.text
    assert 'wirebrief_cache_total{result="joined"} 4.0' in metrics.text
    assert isinstance(Brief.model_validate(responses[0].json()["brief"]), Brief)
