"""Every wait has an end and every article a brief: a trickling model endpoint, a replica that died holding the
shared cache's lock, a paused Redis, a Redis that evicts, and an article longer than the model's context.
Real servers on 127.0.0.1 (the OpenAI-compatible stub, uvicorn, redis-server); the model is the stub or the fake."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from fastapi.testclient import TestClient
from pydantic import SecretStr
from tests.conftest import seed_text
from tests.servers import StubServer, running

from wirebrief.api import create_app
from wirebrief.errors import InputTooLarge
from wirebrief.llm.base import ModelIdentity
from wirebrief.llm.fake import FakeBackend, brief_reply
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings
from wirebrief.store import cache as cache_module

TEXT, OTHER, THIRD = seed_text("004"), seed_text("001"), seed_text("002")


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


# --- item 14: a model call has a total deadline ---------------------------------------------------------


def test_a_trickling_upstream_ends_at_the_request_timeout_and_the_next_article_is_served(
        settings: Settings, stub: StubServer) -> None:
    stub.script = ["trickle", "ok"]  # 8 bytes/s, head included: every read gets bytes, no read ever times out
    s = settings.model_copy(update={"backend": "openai", "openai_base_url": stub.url, "request_timeout": 2.0,
                                    "openai_api_key": SecretStr("sk-test"), "api_timeout": 8.0})
    with TestClient(create_app(s)) as c:
        r = c.post("/v1/briefs", json={"text": TEXT})
        took = time.monotonic() - stub.call_times[0]  # from the model call's start (not the parser's first load)
        assert r.status_code == 504 and r.json()["error"]["type"] == "BackendTimeout", r.text
        assert "within 2 s" in r.json()["error"]["message"] and took < 3.0, (took, r.text)
        started = time.monotonic()
        nxt = c.post("/v1/briefs", json={"text": OTHER})
        assert nxt.status_code == 200 and time.monotonic() - started < 2.0, nxt.text
    assert stub.calls == 2  # the timed-out call was not retried


# --- item 16: the shared cache's lock, a paused Redis, eviction ----------------------------------------

_DEAD_REPLICA = """
import sys, time
from pathlib import Path
from wirebrief.store import cache
cache.LOCK_TTL = 2.0
held = cache.BriefCache(Path(sys.argv[3]), url=sys.argv[1])
with held.single_flight(sys.argv[2]):
    print("held", flush=True)
    time.sleep(600)
"""


def test_a_replica_that_died_holding_a_lock_stalls_no_request_of_the_other_for_long(
        settings: Settings, redis_server: Any, tmp_path: Path) -> None:
    shared = settings.model_copy(update={"cache_url": redis_server.url})  # the default lock timeout
    fake = FakeBackend([brief_reply()])
    app = create_app(shared, fake)
    key = app.state.service.pipeline.prepare(TEXT).key
    dead = subprocess.Popen([sys.executable, "-c", _DEAD_REPLICA, redis_server.url, key, str(tmp_path / "d")],
                            stdout=subprocess.PIPE)
    assert dead.stdout is not None and dead.stdout.readline() == b"held\n"
    dead.kill()
    dead.wait()

    def post(text: str) -> tuple[int, float]:
        started = time.monotonic()
        r = httpx.post(f"{url}/v1/briefs", json={"text": text}, timeout=20)
        return r.status_code, time.monotonic() - started

    with running(app) as url, ThreadPoolExecutor(2) as pool:
        locked = pool.submit(post, TEXT)  # the brief the dead replica was making
        time.sleep(0.1)
        other = pool.submit(post, OTHER)  # an unrelated one, behind it in the model queue
        (locked_status, locked_s), (other_status, other_s) = locked.result(), other.result()
    assert (locked_status, other_status) == (200, 200)
    assert locked_s < 6 and other_s < 6, (locked_s, other_s)
    assert len(fake.requests) == 2


def test_a_live_holder_keeps_its_lock_past_the_ttl_and_the_other_replica_waits_for_its_brief(
        settings: Settings, redis_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "LOCK_TTL", 1.0)
    shared = settings.model_copy(update={"cache_url": redis_server.url})
    slow, quick = FakeBackend([brief_reply()], delay=2.5), FakeBackend([brief_reply()])
    one, two = build_pipeline(shared, slow), build_pipeline(shared, quick)
    with ThreadPoolExecutor(2) as pool:
        made = pool.submit(one.summarize, TEXT)
        time.sleep(0.3)
        waited = pool.submit(two.summarize, TEXT)
        assert not made.result().meta.cache_hit and waited.result().meta.cache_hit
    assert len(slow.requests) == 1 and quick.requests == []  # renewed: the lock never expired mid-brief


def test_a_paused_redis_never_stalls_the_event_loop(settings: Settings, redis_server: Any) -> None:
    app = create_app(settings.model_copy(update={"cache_url": redis_server.url}), FakeBackend([brief_reply()]))
    assert redis_server.proc is not None
    with running(app) as url:
        assert httpx.post(f"{url}/v1/briefs", json={"text": TEXT}, timeout=30).status_code == 200
        os.kill(redis_server.proc.pid, signal.SIGSTOP)
        try:
            with ThreadPoolExecutor(2) as pool:
                made = [pool.submit(httpx.post, f"{url}/v1/briefs", json={"text": t}, timeout=30)  # short: little
                        for t in ("The council approved 12 buses.", "The city hired 40 drivers.")]  # CPU work
                worst = 0.0
                while not all(f.done() for f in made):
                    started = time.monotonic()
                    assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
                    worst = max(worst, time.monotonic() - started)
                    time.sleep(0.02)
                statuses = [f.result().status_code for f in made]
        finally:
            os.kill(redis_server.proc.pid, signal.SIGCONT)
    assert statuses == [200, 200]  # made uncached
    assert worst < 0.5, f"/healthz waited {worst:.2f} s behind a Redis read"


def test_cache_stats_warns_when_redis_may_evict(settings: Settings, redis_server: Any) -> None:
    cache = cache_module.open_cache(settings.model_copy(update={"cache_url": redis_server.url}), strict=True)
    assert not cache.stats().get("warnings")  # redis-server's default: noeviction
    redis.Redis.from_url(redis_server.url).config_set("maxmemory-policy", "allkeys-lru")
    warnings = cache.stats()["warnings"]
    assert len(warnings) == 1 and "allkeys-lru" in warnings[0] and "noeviction" in warnings[0]


# --- item 18: an article longer than the model's context -----------------------------------------------

_FILLER = "The committee heard residents at length and the discussion went on through the evening. "


def long_article() -> str:
    """~40,000 characters, figures at the start, the middle and the very end."""
    parts = ["The council approved 120 new buses on Monday. ", _FILLER * 225,
             "Fares will rise by 5 percent in the spring. ", _FILLER * 225,
             "The last of the buses will cost £4 million and arrive in March."]
    text = "".join(parts)
    assert 39_000 < len(text) < 41_000
    return text


def refusing_over(limit: int) -> Any:
    """A fake model whose context holds ``limit`` characters of prompt."""
    def reply(request: dict[str, Any]) -> dict[str, Any]:
        if sum(len(m["content"]) for m in request["messages"]) > limit:
            raise InputTooLarge("the article does not fit the model's context: 12000 tokens > 8192")
        return {"headline": "Council buys buses", "summary": "The council approved new buses."}
    return reply


def test_a_long_article_is_briefed_from_what_the_model_can_read(settings: Settings) -> None:
    fake = FakeBackend([refusing_over(30_000)])  # no context size known: the backend's refusal says it
    brief = build_pipeline(settings, fake).summarize(long_article())
    assert brief.headline == "Council buys buses"
    values = {f.value for f in brief.figures}
    assert {120, 5, 4_000_000} <= values, values  # figures from the whole text, the end included
    note = next(w for w in brief.warnings if "read only the first" in w)
    read = int(note.split("first ")[1].split(" ")[0].replace(",", ""))
    assert 10_000 < read <= 20_000 and len(fake.requests) == 2  # refused once, then half the text


def test_the_embedded_model_reads_the_lede_up_to_its_context(settings: Settings) -> None:
    fake = FakeBackend([refusing_over(3 * 8192)])
    fake.identity = ModelIdentity(backend="embedded", model="m.gguf", fingerprint="m")  # n_ctx is its context
    brief = build_pipeline(settings.model_copy(update={"n_ctx": 8192}), fake).summarize(long_article())
    assert len(fake.requests) == 1 and brief.headline == "Council buys buses"  # cut before asking
    prompt = fake.requests[0]["messages"][-1]["content"]
    assert prompt.rstrip().endswith(".") and "The council approved 120 new buses" in prompt
    assert "£4 million" not in prompt and any("read only the first" in w for w in brief.warnings)
    assert {120, 4_000_000} <= {f.value for f in brief.figures}


def test_a_remote_model_that_refuses_the_length_reads_half(settings: Settings, stub: StubServer) -> None:
    stub.script, stub.context_bytes = ["toolong"], 30_000
    s = settings.model_copy(update={"backend": "openai", "openai_base_url": stub.url, "labels": "rules",
                                    "openai_api_key": SecretStr("sk-test")})
    with TestClient(create_app(s)) as c:
        r = c.post("/v1/briefs", json={"text": long_article()})
    assert r.status_code == 200, r.text
    brief = r.json()["brief"]
    assert brief["headline"] == "Council buys buses" and stub.calls == 2
    assert {120, 5, 4_000_000} <= {f["value"] for f in brief["figures"]}
    assert any("read only the first" in w for w in brief["warnings"])



def test_a_one_sentence_table_of_numbers_gives_a_bounded_brief(settings: Settings) -> None:
    """Issue 20 item 7: a legal one-sentence article of thousands of numbers gave a brief whose every figure quoted
    the whole sentence (18 MB at 60 KB). Quotes are windows of the sentence with exact spans; the brief stays small."""
    from wirebrief.brief.assemble import QUOTE_CAP
    from wirebrief.llm.fake import FakeBackend, brief_reply
    from wirebrief.pipeline import build_pipeline
    from wirebrief.text.normalize import normalize

    raw = "Headline\nThe survey counted " + ", ".join(f"{i} cars" for i in range(1, 3500))[:30_000] + " in all."
    text = normalize(raw).text
    brief = build_pipeline(settings, backend=FakeBackend([brief_reply()])).summarize(raw)
    assert len(brief.figures) == settings.max_candidates
    assert all(len(f.quote) <= QUOTE_CAP and text[f.quote_span[0]:f.quote_span[1]] == f.quote
               and f.quote_span[0] <= f.span[0] < f.span[1] <= f.quote_span[1] for f in brief.figures)
    assert len(brief.model_dump_json()) < 1_000_000
