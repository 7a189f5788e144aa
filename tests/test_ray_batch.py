"""Batch on Ray Data, on a local cluster (ray.init(num_cpus=2), loopback only): the same records as the
single-process CLI, resumable, error records, JSONL of articles in; and --concurrency against a model server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from pydantic import SecretStr
from tests.conftest import SEEDS
from tests.servers import StubServer
from typer.testing import CliRunner

from wirebrief import cli
from wirebrief.brief.schema import BriefRecord
from wirebrief.cli import common
from wirebrief.llm.fake import FakeBackend, brief_reply
from wirebrief.runs.batch import collect
from wirebrief.runs.ray_batch import run_on_ray
from wirebrief.settings import Settings

pytestmark = pytest.mark.ray
HTML = ("<html><body><article><h1>Prices rise</h1><p>Consumer prices rose 4% in May from a year earlier, the "
        "statistics office said on Tuesday, as food and energy costs kept climbing.</p><p>Economists had expected "
        "a smaller rise, and the central bank is now likely to raise rates again next month.</p></article>"
        "</body></html>")


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    ray = pytest.importorskip("ray", reason="ray is not installed (pip install 'wirebrief[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False,
             _node_ip_address="127.0.0.1")
    yield
    ray.shutdown()


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        (folder / seed.name).write_text(seed.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    return folder


def test_records_from_ray_actors(ray_cluster: None, articles: Path, settings: Settings, tmp_path: Path) -> None:
    inline = tmp_path / "more.jsonl"
    inline.write_text(json.dumps({"id": "inline-1", "text": "The council approved 12 new buses."}) + "\n"
                      + json.dumps({"id": "inline-2", "html": HTML}) + "\nnot json\n")
    todo, warnings = collect([str(articles), str(inline)])
    assert len(todo) == 6 and any("more.jsonl:3" in w for w in warnings)
    stored: list[BriefRecord] = []
    records = list(run_on_ray(settings, todo, workers=2, batch_size=2, on_record=stored.append,
                              backend_factory=partial(FakeBackend, [brief_reply()])))
    assert records == stored and sorted(r.id for r in records) == sorted(a.id for a in todo)
    by_id = {r.id: r for r in records}
    assert by_id["empty"].error is not None and by_id["empty"].error.type == "EmptyInput"
    assert by_id["inline-1"].brief is not None and by_id["inline-1"].brief.figures[0].raw == "12"
    assert by_id["inline-2"].brief is not None and by_id["inline-2"].brief.figures[0].raw == "4%"
    assert all(r.brief is not None and r.brief.figures for i, r in by_id.items() if i.startswith("00"))


def test_the_cli_on_ray_resumes(ray_cluster: None, articles: Path, settings: Settings, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.jsonl"
    with StubServer() as stub:
        via_stub = settings.model_copy(update={"backend": "openai", "openai_base_url": stub.url,
                                               "openai_model": "stub", "openai_api_key": SecretStr("sk-test")})
        monkeypatch.setattr(common, "get_settings", lambda: via_stub)
        runner = CliRunner()
        first = runner.invoke(cli.app, ["summarize", str(articles), "-o", str(out), "--ray", "local",
                                        "--workers", "2", "--batch-size", "1"])
        assert first.exit_code == 1, first.output  # the empty article is an error record
        lines = [json.loads(line) for line in out.read_text().splitlines()]
        assert sorted(r["id"] for r in lines) == ["000_de012dee44d7c730", "001_2e96ec154b2b9a5d",
                                                  "002_983ce01ed7aa63a7", "empty"]
        assert stub.calls == 3
        kept = [line for line in out.read_text().splitlines() if '"001_' not in line]
        out.write_text("\n".join(kept) + "\n")  # as if the run had stopped before 001
        again = runner.invoke(cli.app, ["summarize", str(articles), "-o", str(out), "--ray", "local",
                                        "--retry-failed"])
        said = " ".join(again.output.split())
        assert "2 done, 2 to go" in said and "summarizing" in said, said  # the progress bar
        assert len(out.read_text().splitlines()) == 4 and stub.calls == 3  # 001 from the cache, empty again


def test_concurrency_against_a_model_server(articles: Path, settings: Settings, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with StubServer() as stub:
        stub.delay = 0.5
        monkeypatch.setattr(common, "get_settings", lambda: settings.model_copy(update={
            "backend": "openai", "openai_base_url": stub.url, "openai_model": "stub",
            "openai_api_key": SecretStr("sk-test")}))
        done = CliRunner().invoke(cli.app, ["summarize", str(articles), "-o", str(tmp_path / "o.jsonl"),
                                            "--concurrency", "3"])
    assert done.exit_code == 1 and stub.calls == 3
    assert max(stub.call_times) - min(stub.call_times) < 0.4  # in flight together (in turn: 0.5 s apart)




@pytest.mark.model
def test_the_embedded_model_on_ray(ray_cluster: None, tmp_path: Path) -> None:
    """Two actors, each with its own embedded model (one thread each), two articles: a seed and a short one."""
    short = tmp_path / "short.txt"
    short.write_text("The city council approved 12 new buses on Monday at a cost of $4 million, officials said.")
    todo, _ = collect([str(next(SEEDS.glob("001_*.txt"))), str(short)])
    settings = Settings(cache_dir=tmp_path / "cache", _env_file=None)  # type: ignore[call-arg]
    records = list(run_on_ray(settings, todo, workers=2, batch_size=1, on_record=lambda _: None))
    assert sorted(r.id for r in records) == sorted(a.id for a in todo)
    for record in records:
        assert record.brief is not None and record.brief.figures and record.brief.meta.backend == "embedded"
