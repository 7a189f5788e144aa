"""The cache is never a point of failure: a read-only, corrupt or full cache folder means uncached briefs
with a warning, a /readyz that says so, and clear errors from the `cache` commands."""

from __future__ import annotations

import errno
import json
import logging
import random
import sqlite3
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import diskcache
import pytest
from fastapi.testclient import TestClient
from tests.conftest import brief_reply, seed_text
from typer.testing import CliRunner

from wirebrief import cli
from wirebrief.api import create_app
from wirebrief.cli import common
from wirebrief.llm.fake import FakeBackend
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings
from wirebrief.store.cache import BriefCache

TEXT = seed_text("004")
runner = CliRunner()


def corrupt(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cache.db").write_bytes(b"this is not an SQLite database " * 100)


def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite opened read-only (chmod does not stop root, who runs these tests in CI containers)."""
    real = sqlite3.connect

    def connect(path: str, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        return real(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)


@pytest.fixture(params=["corrupt", "read-only", "a file in its place"])
def broken(request: pytest.FixtureRequest, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    folder = settings.cache_dir
    if request.param == "corrupt":
        corrupt(folder)
    elif request.param == "read-only":
        BriefCache(folder)  # a cache that exists, then can only be read
        read_only(monkeypatch)
    else:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.write_text("not a folder")
    return settings


def test_the_api_serves_uncached_and_readyz_says_degraded(broken: Settings,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeBackend([brief_reply()])
    with caplog.at_level(logging.WARNING), TestClient(create_app(broken, fake)) as c:
        assert c.post("/v1/briefs", json={"text": TEXT}).status_code == 200
        ready = c.get("/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "degraded"
        assert ready.json()["checks"]["cache_writable"] is False and "uncached" in ready.json()["problems"][0]
        assert str(broken.cache_dir) not in ready.text  # no server path for clients
    assert "briefs are made without it" in caplog.text


def test_the_cli_summarizes_with_a_warning(broken: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(common, "get_settings", lambda: broken)
    monkeypatch.setattr(common, "pipeline", lambda s: build_pipeline(s, FakeBackend([brief_reply()])))
    article = tmp_path / "a.txt"
    article.write_text(TEXT)
    with caplog.at_level(logging.WARNING):
        result = runner.invoke(cli.app, ["summarize", str(article)])
    assert result.exit_code == 0 and '"figures"' in result.output
    assert "briefs are made without it" in caplog.text


@pytest.mark.parametrize("command", [["cache", "clear"], ["cache", "stats"], ["cache", "explain", "b_x"]])
def test_cache_commands_give_a_clear_error(broken: Settings, monkeypatch: pytest.MonkeyPatch,
                                           command: list[str]) -> None:
    monkeypatch.setattr(common, "get_settings", lambda: broken)
    result = runner.invoke(cli.app, command)
    assert result.exit_code == 2 and "error:" in result.output and "fix:" in result.output, result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception,
                                                                                        SystemExit)


def test_serve_gives_a_clear_error_for_a_bad_setting(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = settings.model_copy(update={"backend": "openai", "openai_base_url": None, "openai_api_key": None})
    monkeypatch.setattr(common, "get_settings", lambda: bad)
    result = runner.invoke(cli.app, ["serve"])
    assert result.exit_code == 2 and "needs an API key" in result.output and "Traceback" not in result.output


# --- a disk that fills at run time ---------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs where the platform allows it (root on Linux); else the test simulates ENOSPC."""
    mount = tmp_path / "disk"
    mount.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=True,
                       capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("cannot mount a tmpfs here; test_a_full_disk_simulated covers it")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True, timeout=10)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _full_disk_scenario(settings: Settings, make_full: Callable[[], Callable[[], None]]) -> None:
    """Briefs keep coming while the disk is full; /readyz says degraded; once there is room, all is well."""
    with TestClient(create_app(settings, FakeBackend([brief_reply()]))) as c:
        assert c.post("/v1/briefs", json={"text": TEXT}).status_code == 200
        assert c.get("/readyz").json()["status"] == "ready"
        free = make_full()
        for i in range(3):
            r = c.post("/v1/briefs", json={"text": f"{TEXT}\nUpdate {i}: {'more words ' * 400}"})
            assert r.status_code == 200, r.text
        ready = c.get("/readyz").json()
        assert ready["status"] == "degraded" and ready["checks"]["cache_writable"] is False
        again = c.post("/v1/briefs", json={"text": f"{TEXT}\nUpdate 0: {'more words ' * 400}"})
        assert again.json()["brief"]["meta"]["cache_hit"]  # the memory tier still serves it
        free()
        assert c.post("/v1/briefs", json={"text": f"{TEXT}\nLater."}).status_code == 200
        assert c.get("/readyz").json()["status"] == "ready"


def test_a_full_disk_on_a_real_tmpfs(settings: Settings, small_disk: Path) -> None:
    def make_full() -> Callable[[], None]:
        filler = fill(small_disk)
        return filler.unlink

    _full_disk_scenario(settings.model_copy(update={"cache_dir": small_disk / "cache"}), make_full)


def test_a_full_disk_simulated(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    real_set = diskcache.Cache.set
    failures = [sqlite3.OperationalError("database or disk is full"), OSError(errno.ENOSPC, "No space left")]

    def make_full() -> Callable[[], None]:
        def full(*_: Any, **__: Any) -> Any:
            raise random.choice(failures)

        monkeypatch.setattr(diskcache.Cache, "set", full)
        return lambda: monkeypatch.setattr(diskcache.Cache, "set", real_set)

    _full_disk_scenario(settings, make_full)


# --- reads, threads ------------------------------------------------------------------------------------

def test_reads_write_nothing(tmp_path: Path, pipeline: Any) -> None:
    brief = pipeline.summarize(TEXT)
    old = diskcache.Cache(str(tmp_path / "old"))
    old.stats(enable=True)  # a cache made by an older wirebrief, counting hits with a write per read
    old.close()
    for folder in (pipeline.settings.cache_dir, tmp_path / "old"):
        cache = BriefCache(folder, hot_size=0)
        if folder == pipeline.settings.cache_dir:
            assert cache.get(brief.meta.cache_key) is not None
        store = cache._store()
        assert store is not None and not store.statistics
        changes = store._con.total_changes
        for _ in range(5):
            cache.get(brief.meta.cache_key)
            cache.get("0" * 64)
        assert store._con.total_changes == changes
    assert "hits" not in json.dumps(cache.stats())


def test_the_memory_tier_is_thread_safe(tmp_path: Path, pipeline: Any) -> None:
    brief = pipeline.summarize(TEXT)
    cache = BriefCache(tmp_path / "c", hot_size=3)
    keys = [f"{i:064x}" for i in range(8)]
    errors: list[BaseException] = []

    def hammer() -> None:
        try:
            for i in range(1500):
                key = keys[i % len(keys)]
                cache.put(key, brief, {}) if i % 3 == 0 else cache.get_json(key)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_the_job_memo_is_thread_safe(pipeline: Any) -> None:
    errors: list[BaseException] = []

    def prepare(offset: int) -> None:
        try:
            for i in range(400):
                pipeline.prepare(f"Article {offset + i}: the council approved {i} buses.")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=prepare, args=(k * 400,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(pipeline._jobs) <= 1024
