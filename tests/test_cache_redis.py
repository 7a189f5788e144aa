"""The brief cache on a real Redis (127.0.0.1): the same key, JSON and commands as diskcache; TTL, size bound,
single-flight across "replicas" (two pipelines, two caches), and a Redis that goes away."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from tests.conftest import seed_text
from typer.testing import CliRunner

from wirebrief import cli
from wirebrief.cli import common
from wirebrief.llm.fake import FakeBackend, brief_reply
from wirebrief.pipeline import Pipeline, build_pipeline
from wirebrief.settings import Settings
from wirebrief.store.cache import BriefCache, open_cache

TEXT = seed_text("004")


def on_redis(settings: Settings, url: str, **update: Any) -> Settings:
    return settings.model_copy(update={"cache_url": url, **update})


def replica(settings: Settings, fake: FakeBackend) -> Pipeline:
    return build_pipeline(settings, backend=fake)


def test_a_brief_made_by_one_replica_is_a_hit_on_another(settings: Settings, redis_server: Any) -> None:
    shared = on_redis(settings, redis_server.url)
    one, two = FakeBackend([brief_reply()]), FakeBackend([brief_reply()])
    made = replica(shared, one).summarize(TEXT)
    hit = replica(shared, two).summarize(TEXT)
    assert not made.meta.cache_hit and hit.meta.cache_hit and len(two.requests) == 0
    assert hit.model_dump(exclude={"meta"}) == made.model_dump(exclude={"meta"})
    assert replica(shared, two).cache.by_brief_id(made.brief_id) is not None  # type: ignore[union-attr]


def test_the_same_key_and_json_as_diskcache(settings: Settings, redis_server: Any) -> None:
    disk = replica(settings, FakeBackend([brief_reply()])).summarize(TEXT)
    shared = replica(on_redis(settings, redis_server.url), FakeBackend([brief_reply()]))
    made = shared.summarize(TEXT)
    assert made.meta.cache_key == disk.meta.cache_key and made.brief_id == disk.brief_id
    disk_entry = replica(settings, FakeBackend([])).cache._store().get("brief:" + disk.meta.cache_key)  # type: ignore[union-attr]
    entry = shared.cache._store().get("brief:" + made.meta.cache_key)  # type: ignore[union-attr]
    assert entry["components"] == disk_entry["components"]
    stored, expected = json.loads(entry["brief"]), json.loads(made.model_dump_json())
    for brief in (stored, expected):
        brief["meta"].pop("latency_ms")
    assert stored == expected  # a Brief's JSON, re-validated on read


def test_cache_commands_on_redis(settings: Settings, redis_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = on_redis(settings, redis_server.url)
    brief = replica(shared, FakeBackend([brief_reply()])).summarize(TEXT)
    monkeypatch.setattr(common, "get_settings", lambda: shared)
    runner = CliRunner()
    stats = runner.invoke(cli.app, ["cache", "stats"])
    assert stats.exit_code == 0 and '"briefs": 1' in stats.output and redis_server.url in stats.output
    explained = runner.invoke(cli.app, ["cache", "explain", brief.brief_id])
    assert explained.exit_code == 0 and brief.meta.cache_key in explained.output and '"backend": "fake"' in \
        explained.output
    assert runner.invoke(cli.app, ["cache", "explain", brief.meta.cache_key[:10]]).exit_code == 0
    cleared = runner.invoke(cli.app, ["cache", "clear"])
    assert cleared.exit_code == 0 and "removed 2 entries" in cleared.output  # the brief and its id
    assert '"briefs": 0' in runner.invoke(cli.app, ["cache", "stats"]).output


def test_ttl(settings: Settings, redis_server: Any) -> None:
    cache = open_cache(on_redis(settings, redis_server.url, cache_ttl=1))
    brief = replica(settings, FakeBackend([brief_reply()])).summarize(TEXT)
    cache.put("a" * 64, brief, {})
    assert BriefCache(settings.cache_dir, url=redis_server.url).get("a" * 64) is not None
    time.sleep(1.2)
    assert cache.get("a" * 64) is None  # the memory tier honours the TTL too
    assert BriefCache(settings.cache_dir, url=redis_server.url).get("a" * 64) is None


def test_size_bound_keeps_the_newest(settings: Settings, redis_server: Any) -> None:
    brief = replica(settings, FakeBackend([brief_reply()])).summarize(TEXT)
    size = len(brief.model_dump_json())
    cache = open_cache(on_redis(settings, redis_server.url, cache_max_bytes=max(1_000_000, size * 5)))
    keys = [f"{i:064x}" for i in range(1_000_000 // size * 2 + 10)]
    for key in keys:
        cache.put(key, brief, {})
    stats = cache.stats()
    assert stats["bytes"] <= stats["max_bytes"] and 0 < stats["briefs"] < len(keys)
    fresh = BriefCache(settings.cache_dir, url=redis_server.url)
    assert fresh.get(keys[-1]) is not None and fresh.get(keys[0]) is None


def test_single_flight_across_replicas(settings: Settings, redis_server: Any) -> None:
    shared = on_redis(settings, redis_server.url)
    fakes = [FakeBackend([brief_reply()], delay=0.5) for _ in range(2)]
    replicas = [replica(shared, fake) for fake in fakes]
    briefs: list[Any] = []
    threads = [threading.Thread(target=lambda p=p: briefs.append(p.summarize(TEXT))) for p in replicas * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(len(f.requests) for f in fakes) == 1
    assert len({b.brief_id for b in briefs}) == 1 and sum(not b.meta.cache_hit for b in briefs) == 1


def test_redis_down_briefs_are_made_uncached_then_it_recovers(settings: Settings, redis_server: Any,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wirebrief.store.cache._RETRY_REDIS", 0.0)
    fake = FakeBackend([brief_reply()])
    pipeline = replica(on_redis(settings, redis_server.url), fake)
    cache = pipeline.cache
    assert cache is not None and cache.writable()
    redis_server.stop()
    brief = pipeline.summarize(seed_text("001"))
    assert not brief.meta.cache_hit and brief.figures and cache.problem and not cache.writable()
    redis_server.start()
    assert cache.writable() and cache.problem is None
    pipeline.cache = BriefCache(settings.cache_dir, url=redis_server.url)
    pipeline.summarize(seed_text("000"))
    assert pipeline.summarize(seed_text("000")).meta.cache_hit


def test_a_redis_that_is_down_at_start_is_not_an_error(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    from tests.redis_server import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    brief = replica(on_redis(settings, url), FakeBackend([brief_reply()])).summarize(TEXT)
    assert brief.figures and "briefs are made without it" in caplog.text
    monkeypatch.setattr(common, "get_settings", lambda: on_redis(settings, url))
    stats = CliRunner().invoke(cli.app, ["cache", "stats"])
    assert stats.exit_code == 2 and "cannot be opened" in stats.output
