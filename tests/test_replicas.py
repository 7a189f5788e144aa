"""Two `wirebrief serve` processes (real uvicorn) sharing one Redis cache, the model played by the
OpenAI-compatible stub on 127.0.0.1 (which counts the model calls of both): a brief made on one replica is a
hit on the other, K concurrent identical requests across both are one model call, and with Redis stopped the
replicas still answer, uncached, with a warning in /readyz and /metrics."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from tests.conftest import seed_text
from tests.redis_server import free_port
from tests.servers import StubServer

pytestmark = pytest.mark.server


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "wirebrief.cli", "serve", "--port", str(port)],
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "wirebrief serve ended"
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} not ready within 60 s")


@pytest.fixture
def replicas(redis_server: Any, tmp_path: Any) -> Iterator[tuple[list[str], StubServer]]:
    with ExitStack() as stack, StubServer() as stub:
        stub.delay = 1.0  # a slow model: concurrent requests overlap
        env = {"WIREBRIEF_CACHE_URL": redis_server.url, "WIREBRIEF_BACKEND": "openai",
               "WIREBRIEF_OPENAI_BASE_URL": stub.url, "WIREBRIEF_OPENAI_MODEL": "stub",
               "WIREBRIEF_OPENAI_API_KEY": "sk-test", "WIREBRIEF_CACHE_DIR": str(tmp_path / "unused"),
               "WIREBRIEF_QUEUE_CAPACITY": "16"}
        procs = [serve(env) for _ in range(2)]
        for proc, _ in procs:
            stack.callback(lambda p=proc: (p.terminate(), p.wait(timeout=10)))
        for proc, url in procs:
            wait_ready(url, proc)
        yield [url for _, url in procs], stub


def post(url: str, text: str) -> httpx.Response:
    return httpx.post(f"{url}/v1/briefs", json={"text": text}, timeout=60)


def test_a_brief_made_on_one_replica_is_a_hit_on_the_other(replicas: tuple[list[str], StubServer]) -> None:
    (one, two), stub = replicas
    made = post(one, seed_text("004"))
    assert made.status_code == 200 and not made.json()["brief"]["meta"]["cache_hit"]
    hit = post(two, seed_text("004"))
    assert hit.status_code == 200 and hit.json()["brief"]["meta"]["cache_hit"]
    assert hit.json()["brief"]["figures"] == made.json()["brief"]["figures"] and stub.calls == 1
    fetched = httpx.get(f"{two}/v1/briefs/{made.json()['brief']['brief_id']}")
    assert fetched.status_code == 200


def test_k_identical_concurrent_requests_across_replicas_are_one_model_call(
        replicas: tuple[list[str], StubServer]) -> None:
    urls, stub = replicas
    k = 8
    with ThreadPoolExecutor(k) as pool:
        answers = list(pool.map(lambda i: post(urls[i % 2], seed_text("001")), range(k)))
    assert [a.status_code for a in answers] == [200] * k
    assert stub.calls == 1
    assert len({a.json()["brief"]["brief_id"] for a in answers}) == 1


def test_redis_stopped_mid_run(replicas: tuple[list[str], StubServer], redis_server: Any) -> None:
    (one, two), stub = replicas
    assert post(one, seed_text("000")).status_code == 200
    redis_server.stop()
    for url, seed in ((one, "001"), (two, "002"), (one, "000")):
        answer = post(url, seed_text(seed))
        assert answer.status_code == 200 and answer.json()["brief"]["figures"]
    assert stub.calls == 3  # "000" was a hit from the memory tier of the replica that made it
    ready = httpx.get(f"{two}/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "degraded"
    assert not ready.json()["checks"]["cache_writable"] and "cache" in ready.json()["problems"][0]
    assert "wirebrief_cache_degraded 1.0" in httpx.get(f"{two}/metrics").text
