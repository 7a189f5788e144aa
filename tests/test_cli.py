from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import SEEDS
from typer.testing import CliRunner

from wirebrief import cli
from wirebrief.llm.fake import FakeBackend

runner = CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt"))[:3]:
        shutil.copy(seed, folder / seed.name)
    shutil.copy(sorted(SEEDS.glob("*.txt"))[3], folder / "sub" / "nested.md")
    (folder / "broken.txt").write_bytes(b"\x00\x01\xff binary junk")
    (folder / "ignored.pdf").write_bytes(b"%PDF")
    return folder


def lines(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_directory_with_a_broken_file(fake_cli: FakeBackend, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli.app, ["summarize", str(corpus), "-o", str(out)])
    assert result.exit_code == 1, result.output
    records = {r["id"]: r for r in lines(out)}
    assert len(records) == 5 and "ignored" not in records
    assert records["broken"]["error"]["type"] == "UndecodableInput"
    assert all("brief" in r for k, r in records.items() if k != "broken")
    assert "broken" in result.output and "1 of 5 articles failed" in result.output


def test_resume_after_interruption(fake_cli: FakeBackend, corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.txt").unlink()
    out = tmp_path / "out.jsonl"
    assert runner.invoke(cli.app, ["summarize", str(corpus), "-o", str(out)]).exit_code == 0
    full = out.read_text().splitlines(keepends=True)
    # an interrupted run: two whole records, then a line torn mid-write
    out.write_text("".join(full[:2]) + full[2][:40])
    calls = len(fake_cli.requests)
    result = runner.invoke(cli.app, ["summarize", str(corpus), "-o", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    ids = [r["id"] for r in lines(out)]
    assert sorted(ids) == sorted({json.loads(x)["id"] for x in full}) and len(ids) == len(set(ids)) == 4
    assert len(fake_cli.requests) == calls + 2  # only the two missing articles were summarized
    again = runner.invoke(cli.app, ["summarize", str(corpus), "-o", str(out)])
    assert again.exit_code == 0 and len(lines(out)) == 4


def test_retry_failed(fake_cli: FakeBackend, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    runner.invoke(cli.app, ["summarize", str(corpus), "-o", str(out)])
    (corpus / "broken.txt").write_text("Now it has 7 words and 3 numbers, 2 more.")
    result = runner.invoke(cli.app, ["summarize", str(corpus), "-o", str(out), "--retry-failed"])
    assert result.exit_code == 0, result.output
    records = lines(out)
    assert len(records) == 5 and all("brief" in r for r in records)


def test_markdown_and_stdin(fake_cli: FakeBackend) -> None:
    result = runner.invoke(cli.app, ["summarize", "-", "--format", "md"],
                           input="The council approved 12 new buses on Monday.")
    assert result.exit_code == 0, result.output
    assert "| value |" in result.output and "| 12 | 12 |" in result.output


def test_json_array_to_file(fake_cli: FakeBackend, tmp_path: Path) -> None:
    out = tmp_path / "briefs.json"
    seed = sorted(SEEDS.glob("*.txt"))[4]
    assert runner.invoke(cli.app, ["summarize", str(seed), "-f", "json", "-o", str(out)]).exit_code == 0
    data = json.loads(out.read_text())
    assert data[0]["id"] == seed.stem and data[0]["brief"]["figures"]


def test_missing_path_is_a_clear_error(fake_cli: FakeBackend) -> None:
    result = runner.invoke(cli.app, ["summarize", "/no/such/dir"])
    assert result.exit_code == 2 and "no such file" in result.output and "Traceback" not in result.output


def test_cache_commands(fake_cli: FakeBackend, tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[4]
    out = runner.invoke(cli.app, ["summarize", str(seed)])
    brief_id = json.loads(out.output.strip().splitlines()[-1])["brief"]["brief_id"]
    explained = runner.invoke(cli.app, ["cache", "explain", brief_id])
    assert explained.exit_code == 0 and '"prompt_hash"' in explained.output and '"model": "fake"' in explained.output
    stats = runner.invoke(cli.app, ["cache", "stats"])
    assert '"briefs": 1' in stats.output
    assert runner.invoke(cli.app, ["cache", "explain", "nope"]).exit_code == 1


def test_prompts_commands(fake_cli: FakeBackend) -> None:
    listing = runner.invoke(cli.app, ["prompts", "list"])
    assert listing.exit_code == 0 and "brief" in listing.output
    shown = runner.invoke(cli.app, ["prompts", "show", "brief"])
    assert "## system" in shown.output
    assert runner.invoke(cli.app, ["prompts", "show", "missing"]).exit_code == 2


def test_help_is_helpful() -> None:
    result = runner.invoke(cli.app, ["summarize", "--help"])
    assert result.exit_code == 0 and "resumable" in result.output
