"""The server under attack by its peers (issue 20, items 6, 7, 8 and 13), on a real uvicorn on 127.0.0.1: slow and
idle connections, amplification through validation errors, request smuggling shapes, keys in paths and logs,
key guessing, closed connections in the model queue."""

from __future__ import annotations

import json
import logging
import select
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from tests.conftest import brief_reply, seed_text
from tests.servers import running

from wirebrief.api import create_app
from wirebrief.api.connections import server_config
from wirebrief.llm.fake import FakeBackend
from wirebrief.settings import Settings

TEXT = seed_text("004")
KEY = "sk-server-0123456789abcdefKEY"
SMALL = 64 * 1024


def served(settings: Settings, **update: Any) -> tuple[Any, dict[str, Any]]:
    """An app and the uvicorn config `wirebrief serve` would give it."""
    s = settings.model_copy(update=update)
    return create_app(s, FakeBackend([brief_reply()])), server_config(s)


def address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").split(":")
    return host, int(port)


def closed_within(sock: socket.socket, seconds: float) -> float | None:
    """Seconds until the server closed ``sock`` (its answer, if any, read and dropped), or None if it did not."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if select.select([sock], [], [], 0.05)[0]:
            try:
                if not sock.recv(65536):
                    return time.monotonic() - started
            except OSError:
                return time.monotonic() - started
    return None


class HealthWatch:
    """Polls /healthz while an attack runs; ``worst`` is its slowest answer, in seconds."""

    def __init__(self, url: str) -> None:
        self.url, self.worst, self.failed = url, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    ok = client.get(f"{self.url}/healthz").status_code == 200
                except httpx.HTTPError:
                    ok = False
                self.failed += not ok
                self.worst = max(self.worst, time.perf_counter() - started)
                time.sleep(0.02)

    def __enter__(self) -> HealthWatch:
        self._thread.start()
        time.sleep(0.1)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


# --- item 6: slow and idle connections ---------------------------------------------------------------------------

def test_a_client_sending_headers_at_one_byte_a_tick_is_cut(settings: Settings) -> None:
    app, config = served(settings, header_timeout=1.0)
    with running(app, **config) as url, socket.create_connection(address(url)) as sock:
        started = time.monotonic()
        for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                break
            if closed_within(sock, 0.2) is not None:
                break
        cut = time.monotonic() - started
    assert cut < 2.0, f"a slow-header client held its connection {cut:.1f} s"


def test_idle_connections_are_bounded_and_healthz_still_answers(settings: Settings) -> None:
    app, config = served(settings, header_timeout=1.5, max_connections=10, keep_alive_timeout=1)
    with running(app, **config) as url:
        idle = [socket.create_connection(address(url)) for _ in range(40)]
        half = [socket.create_connection(address(url)) for _ in range(10)]
        for sock in half:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # headers never finished
        try:
            time.sleep(0.3)
            started = time.monotonic()
            assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200
            assert time.monotonic() - started < 1.0
            held = sum(closed_within(s, 0.01) is None for s in idle + half)
            assert held <= 10, f"{held} idle connections held beyond the limit of 10"
            with httpx.Client() as client:  # a keep-alive connection left idle is closed after its timeout
                assert client.get(f"{url}/healthz").status_code == 200
            time.sleep(1.6)
            assert sum(closed_within(s, 0.01) is None for s in idle + half) == 0
        finally:
            for sock in idle + half:
                sock.close()


def test_the_accept_loop_log_is_rate_limited(settings: Settings) -> None:
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    create_app(settings, FakeBackend([brief_reply()]))  # installs the filter
    log, handler = logging.getLogger("asyncio"), Keep()
    log.addHandler(handler)
    try:
        for _ in range(1000):
            log.error("socket.accept() out of system resource\nsocket: <socket>",
                      exc_info=OSError(24, "Too many open files"))
        log.error("something else went wrong")
    finally:
        log.removeHandler(handler)
    assert len([line for line in lines if "out of system resource" in line]) == 1
    assert "something else went wrong" in lines


# --- item 7: amplification -------------------------------------------------------------------------------------

ATTACKS: dict[str, tuple[str, bytes]] = {
    "490,000 integers in a batch": ("/v1/briefs:batch", b'{"items":[' + b",".join([b"1"] * 490_000) + b"]}"),
    "60,000 unknown keys in a brief": ("/v1/briefs", json.dumps(
        {"text": "x", **{f"k{i}": 1 for i in range(60_000)}}).encode()),
    "60,000 unknown keys in a batch item": ("/v1/briefs:batch", json.dumps(
        {"items": [{"text": "x", **{f"k{i}": 1 for i in range(60_000)}}]}).encode()),
    "60,000 unknown keys in a batch": ("/v1/briefs:batch", json.dumps(
        {"items": [{"text": "x"}], **{f"k{i}": 1 for i in range(60_000)}}).encode()),
    "a 900 KB unknown key": ("/v1/briefs", json.dumps({"text": "x", "k" * 900_000: 1}).encode()),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_an_invalid_body_gets_a_small_answer_and_does_not_stall_healthz(settings: Settings, name: str) -> None:
    path, body = ATTACKS[name]
    app, config = served(settings)
    with running(app, **config) as url, HealthWatch(url) as watch:
        started = time.monotonic()
        r = httpx.post(f"{url}{path}", content=body, headers={"content-type": "application/json"}, timeout=60)
        seconds = time.monotonic() - started
    assert r.status_code == 422, r.text[:300]
    assert len(r.content) <= SMALL, f"{len(r.content):,} B answer"
    assert seconds < 3 and watch.worst < 0.5, (seconds, watch.worst)
    assert r.json()["error"]["type"] in ("InvalidRequest", "InputError")


def test_a_422_lists_a_few_short_errors(settings: Settings) -> None:
    items = [{"text": "x", "id": 5, "options": {"prompt_id": "p" * 5000}}] * 15
    with TestClient(create_app(settings, FakeBackend([brief_reply()]))) as client:
        r = client.post("/v1/briefs:batch", json={"items": items})
    assert r.status_code == 422
    error = r.json()["error"]
    assert 1 <= len(error["detail"]) <= 10 and "30 errors" in error["message"]
    assert all(len(json.dumps(d)) < 600 for d in error["detail"])
    assert error["detail"][0]["loc"] == ["body", "items", 0, "id"]  # the shape FastAPI gives, kept


# --- item 8: smuggling shapes, keys in paths, key guessing, open operations, one tenant -------------------------------

def test_content_length_with_transfer_encoding_is_answered_and_closed(settings: Settings) -> None:
    app, config = served(settings)
    body = b'{"text": "The council approved 12 new buses on Monday."}'
    request = (b"POST /v1/briefs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
               b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n" % (len(body), len(body), body))
    with running(app, **config) as url, socket.create_connection(address(url)) as sock:
        sock.sendall(request)
        sock.settimeout(5)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 ") and b"connection: close" in answer.lower()


def test_a_key_pasted_into_the_path_is_not_logged(settings: Settings) -> None:
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler, access = Keep(), logging.getLogger("uvicorn.access")
    app, config = served(settings, api_keys=f"{KEY},plainword-key")
    with running(app, **{**config, "log_level": "info"}) as url:
        access.addHandler(handler)
        try:
            for secret in (KEY, "plainword-key", "sk-other-9876543210zyxwvu"):
                httpx.get(f"{url}/v1/briefs/{secret}")
                httpx.get(f"{url}/{secret}/healthz")
        finally:
            access.removeHandler(handler)
    assert len(lines) == 6
    assert not [line for line in lines if KEY in line or "plainword-key" in line or "sk-other-98765" in line]


def test_a_wrong_scheme_cache_url_does_not_show_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    from wirebrief import settings as config
    from wirebrief.cli import common
    from wirebrief.errors import ConfigError

    url = "http://user:s3cr3t-pa55@cache.internal:6379/0"
    with pytest.raises(ValidationError) as caught:  # what a traceback from `uvicorn --factory` prints
        Settings(cache_url=url, _env_file=None)  # type: ignore[call-arg]
    said = str(caught.value) + repr(caught.value)
    assert "s3cr3t-pa55" not in said and "cache_url" in said
    monkeypatch.setenv("WIREBRIEF_CACHE_URL", url)  # what `wirebrief serve` prints
    config.get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError) as refused:
            common.get_settings()
    finally:
        config.get_settings.cache_clear()
    assert "WIREBRIEF_CACHE_URL" in refused.value.message and "s3cr3t" not in refused.value.message


def test_300_wrong_keys_in_a_row_are_throttled(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"api_keys": KEY}), FakeBackend([brief_reply()]))
    with TestClient(app) as guesser, TestClient(app, client=("10.0.0.7", 4000)) as other:
        statuses = [guesser.get("/v1/briefs/b_" + "0" * 24, headers={"Authorization": f"Bearer guess-{i}"})
                    for i in range(300)]
        codes = [r.status_code for r in statuses]
        assert codes[0] == 401 and codes[-1] == 429 and codes.count(401) <= 30, codes.count(401)
        assert int(statuses[-1].headers["retry-after"]) >= 1
        assert guesser.get("/v1/briefs/b_" + "0" * 24, headers={"Authorization": f"Bearer {KEY}"}).status_code == 429
        ok = other.get("/v1/briefs/b_" + "0" * 24, headers={"Authorization": f"Bearer {KEY}"})
        assert ok.status_code == 404  # another client, the right key: served


def test_operations_need_the_key_when_keys_are_set_but_healthz_does_not(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"api_keys": KEY}), FakeBackend([brief_reply()]))
    keyed = {"Authorization": f"Bearer {KEY}"}
    with TestClient(app) as client:
        for path in ("/docs", "/redoc", "/openapi.json", "/metrics", "/readyz"):
            assert client.get(path).status_code == 401, path
            assert client.get(path, headers=keyed).status_code == 200, path
        assert client.get("/healthz").status_code == 200
    with TestClient(create_app(settings, FakeBackend([brief_reply()]))) as client:  # no keys: all open
        assert all(client.get(p).status_code == 200 for p in ("/docs", "/openapi.json", "/metrics", "/readyz"))


def test_readyz_does_not_show_the_cache_servers_address(settings: Settings) -> None:
    port = _closed_port()
    s = settings.model_copy(update={"cache_url": f"redis://:pw-0123456789@127.0.0.1:{port}/0"})
    with TestClient(create_app(s, FakeBackend([brief_reply()]))) as client:
        r = client.get("/readyz")
    assert r.json()["status"] == "degraded" and r.json()["problems"]
    assert str(port) not in r.text and "127.0.0.1" not in r.text and "pw-0123" not in r.text


def test_keys_are_one_tenant_as_documented(settings: Settings) -> None:
    from pathlib import Path

    app = create_app(settings.model_copy(update={"api_keys": f"{KEY},sk-second-abcdef0123456789"}),
                     FakeBackend([brief_reply()]))
    first, second = ({"Authorization": f"Bearer {k}"} for k in (KEY, "sk-second-abcdef0123456789"))
    with TestClient(app) as client:
        made = client.post("/v1/briefs", json={"text": TEXT}, headers=first).json()["brief"]
        fetched = client.get(f"/v1/briefs/{made['brief_id']}", headers=second)
        again = client.post("/v1/briefs", json={"text": TEXT}, headers=second).json()["brief"]
    assert fetched.status_code == 200 and again["meta"]["cache_hit"]
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert "one tenant" in readme


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- item 13: a closed connection frees its queue slot ---------------------------------------------------------

def _post_and_hang_up(url: str, text: str, after: float) -> None:
    body = json.dumps({"text": text}).encode()
    with socket.create_connection(address(url)) as sock:
        sock.sendall(b"POST /v1/briefs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        time.sleep(after)


def test_clients_that_hang_up_free_their_queue_slots(settings: Settings) -> None:
    fake = FakeBackend([brief_reply()], delay=0.8)
    s = settings.model_copy(update={"queue_capacity": 2, "api_timeout": 20, "labels": "rules"})
    app = create_app(s, fake)
    texts = [f"Article {n}. The council approved {n + 10} new buses on Monday." for n in range(3)]
    asked: Callable[[str], bool] = lambda t: any(t in json.dumps(r) for r in fake.requests)  # noqa: E731
    with running(app, **server_config(s)) as url:
        for text in texts[:2]:
            _post_and_hang_up(url, text, 0.15)
        time.sleep(0.2)
        started = time.monotonic()
        third = httpx.post(f"{url}/v1/briefs", json={"text": texts[2]}, timeout=20)
        seconds = time.monotonic() - started
    assert third.status_code == 200, third.text
    assert seconds < 3
    assert asked(texts[0]) and not asked(texts[1])  # the queued job nobody waited for was dropped
