"""Batches under faults: kill -9 and resume, two writers on one file, ids, links, bugs, deadlines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import brief_reply
from tests.servers import StubServer
from typer.testing import CliRunner

from wirebrief import cli
from wirebrief.cli import common
from wirebrief.errors import OutputBusy
from wirebrief.llm.fake import FakeBackend
from wirebrief.pipeline import Pipeline, build_pipeline
from wirebrief.runs import batch
from wirebrief.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def articles(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"a{i:02d}.txt").write_text(f"Article {i}. The council approved {i + 2} new buses on Monday.")
    return folder


def ids(out: Path) -> list[str]:
    return [json.loads(line)["id"] for line in out.read_text().splitlines()]


# --- ids and the folder scan ---------------------------------------------------------------------------

def test_ids_are_paths_under_the_folder(fake_cli: FakeBackend, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    for rel in ("a/report.txt", "b/report.txt", "report.html"):
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text("<p>The council approved 12 new buses.</p>" if rel.endswith("html")
                                  else "The council approved 12 new buses.")
    (folder / "report.txt").write_text("The same id as report.html.")
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli.app, ["summarize", str(folder), "-o", str(out)])
    assert sorted(ids(out)) == ["a/report", "b/report", "report"], result.output
    assert "same id 'report'" in result.output and "report.txt" in result.output


def test_a_folder_scan_does_not_follow_links_out_of_the_folder(fake_cli: FakeBackend, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("The password is 1234 and the PIN 5678.")
    folder = articles(tmp_path / "in", 1)
    (folder / "link.txt").symlink_to(outside / "secret.txt")
    (folder / "inner.txt").symlink_to(folder / "a00.txt")
    (folder / "linked_dir").symlink_to(outside, target_is_directory=True)
    found, warnings = batch.collect([str(folder)])
    assert sorted(a.id for a in found) == ["a00", "inner"]
    assert any("link.txt links to a file outside" in w for w in warnings)
    result = runner.invoke(cli.app, ["summarize", str(folder), "-o", str(tmp_path / "o.jsonl")])
    assert all("1234" not in json.dumps(r) for r in fake_cli.requests) and "outside" in result.output


# --- errors stay in their record -----------------------------------------------------------------------

def test_any_exception_becomes_an_error_record_and_the_batch_goes_on(
        fake_cli: FakeBackend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_run = Pipeline.run

    def flaky(self: Pipeline, job: object, **kw: bool) -> object:
        if "Article 1." in job.doc.text:  # type: ignore[attr-defined]
            raise KeyError("a bug")
        return real_run(self, job, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(Pipeline, "run", flaky)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli.app, ["summarize", str(articles(tmp_path / "in", 4)), "-o", str(out),
                                     "--concurrency", "2"])
    records = {json.loads(x)["id"]: json.loads(x) for x in out.read_text().splitlines()}
    assert result.exit_code == 1 and len(records) == 4
    assert records["a01"]["error"]["type"] == "KeyError" and "brief" in records["a02"]


def test_an_error_without_hint_shows_no_empty_brackets(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    from wirebrief.errors import BackendError

    monkeypatch.setattr(common, "get_settings", lambda: settings)
    monkeypatch.setattr(common, "pipeline", lambda s: build_pipeline(s, FakeBackend([BackendError("it broke")])))
    result = runner.invoke(cli.app, ["summarize", str(articles(tmp_path / "in", 1))])
    assert "it broke" in result.output and "()" not in result.output


def test_a_deadline_leaves_the_rest_for_the_next_run(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    fake = FakeBackend([brief_reply()], delay=0.6)
    monkeypatch.setattr(common, "get_settings", lambda: settings)
    monkeypatch.setattr(common, "pipeline", lambda s: build_pipeline(s, backend=fake))
    folder, out = articles(tmp_path / "in", 5), tmp_path / "out.jsonl"
    first = runner.invoke(cli.app, ["summarize", str(folder), "-o", str(out), "--deadline", "1"])
    assert first.exit_code == 1 and "deadline reached" in first.output and 1 <= len(ids(out)) < 5
    again = runner.invoke(cli.app, ["summarize", str(folder), "-o", str(out)])
    assert again.exit_code == 0 and sorted(ids(out)) == [f"a{i:02d}" for i in range(5)]


# --- the output file -----------------------------------------------------------------------------------

def test_a_second_writer_fails_clearly_and_touches_nothing(fake_cli: FakeBackend, tmp_path: Path) -> None:
    folder, out = articles(tmp_path / "in", 3), tmp_path / "out.jsonl"
    out.write_text('{"id": "a00", "error": {"type": "X", "message": "m"}}\n')
    with batch.OutputLock(out):
        for extra in ([], ["--retry-failed"]):
            result = runner.invoke(cli.app, ["summarize", str(folder), "-o", str(out), *extra])
            assert result.exit_code == 2 and "being written by another wirebrief run" in result.output
            assert f"pid {os.getpid()}" in result.output and "Traceback" not in result.output
        assert ids(out) == ["a00"] and not fake_cli.requests
    assert runner.invoke(cli.app, ["summarize", str(folder), "-o", str(out), "--retry-failed"]).exit_code == 0
    with pytest.raises(OutputBusy), batch.OutputLock(out), batch.OutputLock(out):
        pass


def test_repair_fsyncs_and_removes_duplicates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.jsonl"
    ok = '{"id": "a", "brief": {}}\n'
    out.write_text('{"id": "a", "error": {}}\n' + ok + '{"id": "b", "brief": {}}\n' + ok + '{"id": "c", "br')
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    done = batch.existing_records(out)
    assert done == {"a": True, "b": True} and len(synced) == 2  # the file, then its folder
    assert out.read_text() == ok + '{"id": "b", "brief": {}}\n'


def _summarize(folder: Path, out: Path, env: dict[str, str], *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "wirebrief.cli", "summarize", str(folder), "-o", str(out),
                             *extra], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def test_kill_9_mid_batch_and_a_second_writer_lose_and_duplicate_nothing(tmp_path: Path, stub: StubServer) -> None:
    """Real processes: A writes; B (same file, --retry-failed) is refused while A runs; A is killed with -9
    mid-batch; C resumes. Every article ends with exactly one record, and none was made twice."""
    n = 12
    folder, out = articles(tmp_path / "in", n), tmp_path / "out.jsonl"
    stub.delay = 0.5  # B must start (seconds on a loaded machine) while A still runs
    env = {**os.environ, "WIREBRIEF_BACKEND": "openai", "WIREBRIEF_OPENAI_BASE_URL": stub.url,
           "WIREBRIEF_OPENAI_API_KEY": "sk-test", "WIREBRIEF_CACHE_DIR": str(tmp_path / "cache"),
           "WIREBRIEF_BACKOFF": "false", "PYTHONPATH": str(ROOT / "src")}
    a = _summarize(folder, out, env)
    deadline = time.monotonic() + 60
    while (not out.exists() or len(out.read_bytes().splitlines()) < 3) and time.monotonic() < deadline:
        time.sleep(0.05)
    b = _summarize(folder, out, env, "--retry-failed")
    _, b_err = b.communicate(timeout=60)
    assert b.returncode == 2 and f"another wirebrief run (pid {a.pid})" in b_err.replace("\n", " ")
    a.send_signal(signal.SIGKILL)
    a.wait(timeout=10)
    before = len(ids(out)) if out.read_text().endswith("\n") else len(out.read_text().splitlines()) - 1
    assert 3 <= before < n
    c = _summarize(folder, out, env)
    _, c_err = c.communicate(timeout=60)
    assert c.returncode == 0, c_err
    made = Counter(ids(out))
    assert sorted(made) == [f"a{i:02d}" for i in range(n)] and set(made.values()) == {1}  # 0 lost, 0 duplicated
    assert stub.calls <= n + 1  # at most the one article in flight at the kill was asked for twice
