"""The output file under faults: files that are not ours, other paths to one file, hostile inputs, a disk that
refuses, settings that are wrong, and records that must read back (issue 20, items 1, 2, 11, 12, 19)."""

from __future__ import annotations

import errno
import json
import os
import resource
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tests.conftest import SEEDS
from tests.servers import StubServer
from tests.test_faults_batch import articles
from typer.testing import CliRunner, Result

from wirebrief import cli
from wirebrief.brief.schema import BriefRecord
from wirebrief.errors import OutputBusy
from wirebrief.llm.fake import FakeBackend
from wirebrief.pipeline import Pipeline
from wirebrief.runs import batch

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()



def summarize(*args: str | Path) -> Result:
    return runner.invoke(cli.app, ["summarize", *map(str, args)])


def ids(out: Path) -> list[str]:
    return [json.loads(line)["id"] for line in out.read_text().splitlines()]


def refused(result: Result, *words: str) -> bool:
    text = " ".join(result.output.split())
    return result.exit_code == 2 and "Traceback" not in text and all(w in text for w in words)


# --- item 1: never destroy a file that is not ours ------------------------------------------------------

FOREIGN = {
    "notes.md": b"# My notes\n\nCall the council about the buses.\n",
    "article.jsonl": b'{"id": "x", "text": "The council approved 12 new buses."}\n',
    "commented.jsonl": b'{"id":"a00","brief":{}}\n# a comment the user wrote\n{"id":"a01","brief":{}}\n',
    "blank-line.jsonl": b'{"id":"a00","brief":{}}\n\n',
    "binary.jsonl": b"\x00\x01\xff\xfe",
    "prose-tail.jsonl": b'{"id":"a00","brief":{}}\nthe last line, no newline',
}


@pytest.mark.parametrize("name", FOREIGN)
def test_an_output_that_is_not_a_record_file_is_refused_untouched(fake_cli: FakeBackend, tmp_path: Path,
                                                                 name: str) -> None:
    out = tmp_path / name
    out.write_bytes(FOREIGN[name])
    result = summarize(articles(tmp_path / "in", 2), "-o", out)
    assert refused(result, str(out), "not a wirebrief record file", "--force"), result.output
    assert out.read_bytes() == FOREIGN[name] and not fake_cli.requests


def test_a_typo_that_names_the_article_as_output_destroys_nothing(fake_cli: FakeBackend, tmp_path: Path) -> None:
    article = articles(tmp_path / "in", 1) / "a00.txt"
    before = article.read_bytes()
    for extra in ([], ["--force"], ["--format", "md"]):
        assert refused(summarize(article, "-o", article, *extra), "left as it was")
        assert article.read_bytes() == before


def test_a_json_array_of_format_json_is_not_resumed_as_jsonl(fake_cli: FakeBackend, tmp_path: Path) -> None:
    folder, out = articles(tmp_path / "in", 2), tmp_path / "briefs.json"
    assert summarize(folder, "--format", "json", "-o", out).exit_code == 0
    array = out.read_bytes()
    assert refused(summarize(folder, "-o", out), "not a wirebrief record file")
    assert out.read_bytes() == array
    assert summarize(folder, "--format", "json", "-o", out).exit_code == 0  # its own format's output: replaced


def test_format_json_and_md_replace_only_their_own_output_unless_forced(fake_cli: FakeBackend,
                                                                      tmp_path: Path) -> None:
    folder, notes, records = articles(tmp_path / "in", 2), tmp_path / "notes.md", tmp_path / "out.jsonl"
    notes.write_bytes(FOREIGN["notes.md"])
    assert summarize(folder, "-o", records).exit_code == 0
    kept = records.read_bytes()
    for fmt, target in (("md", notes), ("json", notes), ("json", records), ("md", records)):
        assert refused(summarize(folder, "--format", fmt, "-o", target), "left as it was", "--force")
    assert notes.read_bytes() == FOREIGN["notes.md"] and records.read_bytes() == kept
    mine = tmp_path / "briefs.md"
    for _ in range(2):
        assert summarize(folder, "--format", "md", "-o", mine).exit_code == 0
    assert mine.read_text().startswith("## ")
    assert summarize(folder, "--format", "md", "-o", notes, "--force").exit_code == 0
    assert notes.read_text().startswith("## ")


def test_force_starts_a_foreign_jsonl_afresh(fake_cli: FakeBackend, tmp_path: Path) -> None:
    out = tmp_path / "commented.jsonl"
    out.write_bytes(FOREIGN["commented.jsonl"])
    assert summarize(articles(tmp_path / "in", 2), "-o", out, "--force").exit_code == 0
    assert sorted(ids(out)) == ["a00", "a01"] and b"comment" not in out.read_bytes()


def test_only_a_torn_last_record_is_cut(fake_cli: FakeBackend, tmp_path: Path) -> None:
    folder, out = articles(tmp_path / "in", 3), tmp_path / "out.jsonl"
    assert summarize(folder, "-o", out).exit_code == 0
    whole = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(whole[:2]) + whole[2][:40])  # the last record torn mid-write
    assert summarize(folder, "-o", out).exit_code == 0
    assert out.read_bytes().startswith(b"".join(whole[:2])) and sorted(ids(out)) == ["a00", "a01", "a02"]
    out.write_bytes(b"".join(whole[:2]) + whole[2].rstrip(b"\n"))  # whole, only its newline missing: kept
    assert summarize(folder, "-o", out).exit_code == 0
    assert out.read_bytes() == b"".join(whole) and len(fake_cli.requests) == 3


# --- item 2: the lock is the file's, whatever the path ---------------------------------------------------

def test_the_lock_holds_through_a_symlink_and_a_hard_link(fake_cli: FakeBackend, tmp_path: Path) -> None:
    folder, out = articles(tmp_path / "in", 3), tmp_path / "out.jsonl"
    out.write_text("")
    (tmp_path / "sym.jsonl").symlink_to(out)
    os.link(out, tmp_path / "hard.jsonl")
    with batch.OutputLock(out):
        for other in ("sym.jsonl", "hard.jsonl"):
            result = summarize(folder, "-o", tmp_path / other)
            assert refused(result, "being written by another wirebrief run", f"pid {os.getpid()}"), result.output
            with pytest.raises(OutputBusy):
                batch.OutputLock(tmp_path / other).__enter__()
    assert out.read_text() == "" and not fake_cli.requests
    assert summarize(folder, "-o", tmp_path / "sym.jsonl").exit_code == 0 and len(ids(out)) == 3
    assert not list(tmp_path.glob("*.lock"))


def test_a_repair_that_replaces_the_file_lets_no_second_writer_in(tmp_path: Path) -> None:
    out, hard = tmp_path / "out.jsonl", tmp_path / "hard.jsonl"
    out.write_text('{"id":"a","error":{}}\n{"id":"a","brief":{}}\n{"id":"b","brief":{}}\n')
    os.link(out, hard)  # a path that still reaches the old file after the replace
    with batch.OutputLock(out) as lock:
        old = os.stat(out).st_ino
        assert batch.existing_records(out, lock=lock) == {"a": True, "b": True}
        assert os.stat(out).st_ino != old  # rewritten to a new file...
        for path in (out, hard):  # ...locked before it took the name; the old one's lock still held
            with pytest.raises(OutputBusy):
                batch.OutputLock(path).__enter__()
    assert out.read_text() == '{"id":"a","brief":{}}\n{"id":"b","brief":{}}\n'
    with batch.OutputLock(out), batch.OutputLock(hard):
        pass


def test_a_symlinked_output_is_repaired_through_its_target(tmp_path: Path) -> None:
    real, link = tmp_path / "real.jsonl", tmp_path / "link.jsonl"
    real.write_text('{"id":"a","brief":{}}\n{"id":"a","brief":{}}\n')
    link.symlink_to(real)
    with batch.OutputLock(link):
        assert batch.existing_records(link) == {"a": True}
    assert link.is_symlink() and real.read_text() == '{"id":"a","brief":{}}\n'


# --- item 11: hostile inputs ------------------------------------------------------------------------------

def within(seconds: float, work: Callable[[], object]) -> object:
    """``work()``'s result, or a failure if it takes longer (a hang): the thread is left behind, a daemon."""
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: it hangs"
    return box[0]


def test_a_link_loop_a_fifo_and_a_dangling_link_are_skipped_with_a_warning(fake_cli: FakeBackend,
                                                                           tmp_path: Path) -> None:
    folder, out = articles(tmp_path / "in", 2), tmp_path / "out.jsonl"
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "ring.txt").symlink_to(folder / "ring.md")
    (folder / "ring.md").symlink_to(folder / "ring.txt")
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    os.mkfifo(folder / "pipe.txt")
    result: Result = within(30, lambda: summarize(folder, "-o", out))  # type: ignore[assignment]
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert sorted(ids(out)) == ["a00", "a01"]
    text = " ".join(result.output.split())
    assert all(f"{name}" in text for name in ("loop.txt", "ring.txt", "gone.txt", "pipe.txt")), text


def test_a_fifo_that_replaces_a_file_after_the_scan_does_not_hang(pipeline: Pipeline, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "late.txt")
    record: BriefRecord = within(10, lambda: batch.summarize_one(  # type: ignore[assignment]
        pipeline, batch.Article("late", tmp_path / "late.txt")))
    assert record.error is not None and "not a regular file" in record.error.message


def test_a_400_mb_file_is_refused_without_being_read(pipeline: Pipeline, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(400 * 2**20)  # sparse: no disk used, but a whole read would take 400 MB of memory
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    record = batch.summarize_one(pipeline, batch.Article("huge", huge))
    assert record.error is not None and record.error.type == "InputTooLarge", record
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100_000  # KiB: it was not read


def test_a_jsonl_input_is_streamed_not_held(fake_cli: FakeBackend, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "articles.jsonl"
    rows = [{"id": f"n{i}", "text": f"Story {i}. The council approved {i + 2} new buses."} for i in range(3)]
    lines = [json.dumps(r) for r in rows]
    lines.insert(1, json.dumps({"id": "big", "text": "x" * 5000}))
    source.write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(batch, "FILE_MAX_BYTES", 1000)
    found, warnings = batch.collect([str(source)])
    assert [a.id for a in found] == ["n0", "n1", "n2"] and all(a.text is None for a in found)
    assert any(":2: over 1,000 bytes" in w for w in warnings)
    out = tmp_path / "out.jsonl"
    assert summarize(source, "-o", out).exit_code == 0 and sorted(ids(out)) == ["n0", "n1", "n2"]
    assert any("Story 2." in json.dumps(r) for r in fake_cli.requests)


# --- item 12: output failures are one line, exit 2, nothing lost ----------------------------------------

def fail_fsync_after(monkeypatch: pytest.MonkeyPatch, n: int, code: int) -> None:
    real, calls = os.fsync, [0]

    def fsync(fd: int) -> None:
        calls[0] += 1
        if calls[0] > n:
            raise OSError(code, os.strerror(code))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)


def test_a_full_disk_stops_the_run_with_one_line_and_loses_nothing(fake_cli: FakeBackend, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder, out = articles(tmp_path / "in", 5), tmp_path / "out.jsonl"
    with monkeypatch.context() as m:
        fail_fsync_after(m, 2, errno.ENOSPC)
        result = summarize(folder, "-o", out)
    assert refused(result, f"cannot write {out}", "disk is full", "run the same command to resume"), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert 2 <= len(ids(out)) < 5
    assert summarize(folder, "-o", out).exit_code == 0 and sorted(ids(out)) == [f"a{i:02d}" for i in range(5)]


def refuse_open(monkeypatch: pytest.MonkeyPatch, where: Path, code: int) -> None:
    """The OS refuses to open for writing anything under ``where`` (tests run as root, who passes chmod)."""
    real = os.open

    def guarded(path: object, flags: int, *args: object, **kw: object) -> int:
        if str(path).startswith(str(where)) and flags & (os.O_RDWR | os.O_WRONLY | os.O_CREAT):
            raise OSError(code, os.strerror(code), str(path))
        return real(path, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", guarded)


@pytest.mark.parametrize(("code", "fix"), [(errno.EACCES, "chmod u+w"), (errno.EROFS, "read-only")])
def test_a_read_only_file_or_folder_is_one_line(fake_cli: FakeBackend, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch, code: int, fix: str) -> None:
    folder, locked = articles(tmp_path / "in", 2), tmp_path / "locked"
    locked.mkdir()
    (locked / "old.jsonl").write_text('{"id":"a00","brief":{}}\n')
    (locked / "old.jsonl").chmod(0o444)
    locked.chmod(0o555)
    try:
        refuse_open(monkeypatch, locked, code)
        for out in (locked / "old.jsonl", locked / "new.jsonl", locked / "sub" / "new.jsonl"):
            result = summarize(folder, "-o", out)
            assert refused(result, str(out), fix), result.output
            assert result.output.count("error:") == 1
    finally:
        locked.chmod(0o755)
    assert (locked / "old.jsonl").read_text() == '{"id":"a00","brief":{}}\n' and not fake_cli.requests


def test_a_251_character_name_works_and_a_256_one_is_one_line(fake_cli: FakeBackend, tmp_path: Path) -> None:
    folder = articles(tmp_path / "in", 2)
    long = tmp_path / ("b" * 245 + ".jsonl")  # 251 characters: "<name>.lock" would be 256
    assert summarize(folder, "-o", long).exit_code == 0 and len(ids(long)) == 2
    assert summarize(folder, "-o", long, "--retry-failed").exit_code == 0 and len(ids(long)) == 2
    too_long = tmp_path / ("c" * 250 + ".jsonl")
    assert refused(summarize(folder, "-o", too_long), "file name is too long")


@pytest.fixture
def stub() -> Iterator[StubServer]:
    with StubServer() as server:
        yield server


def cli_env(tmp_path: Path, stub: StubServer, **extra: str) -> dict[str, str]:
    return {**os.environ, "WIREBRIEF_BACKEND": "openai", "WIREBRIEF_OPENAI_BASE_URL": stub.url,
            "WIREBRIEF_OPENAI_API_KEY": "sk-test", "WIREBRIEF_CACHE_DIR": str(tmp_path / "cache"),
            "WIREBRIEF_BACKOFF": "false", "PYTHONPATH": str(ROOT / "src"), "PYTHONDONTWRITEBYTECODE": "1", **extra}


def run_cli(env: dict[str, str], *args: str | Path, limit: int | None = None) -> subprocess.CompletedProcess[str]:
    def cap() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "wirebrief.cli", *map(str, args)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, preexec_fn=cap)


def test_ulimit_f_stops_the_run_with_one_line_and_loses_nothing(tmp_path: Path, stub: StubServer) -> None:
    folder, out = articles(tmp_path / "in", 8), tmp_path / "out.jsonl"
    env = cli_env(tmp_path, stub, WIREBRIEF_CACHE_ENABLED="false")
    capped = run_cli(env, "summarize", folder, "-o", out, limit=4000)
    assert capped.returncode == 2 and "Traceback" not in capped.stderr, capped.stderr
    assert f"cannot write {out}" in " ".join(capped.stderr.split()) and "size limit" in capped.stderr
    again = run_cli(env, "summarize", folder, "-o", out)
    assert again.returncode == 0, again.stderr
    assert sorted(ids(out)) == [f"a{i:02d}" for i in range(8)]


def test_an_invalid_setting_at_start_up_is_one_line(tmp_path: Path, stub: StubServer) -> None:
    env = cli_env(tmp_path, stub, WIREBRIEF_MAX_CHARS="abc")
    result = run_cli(env, "summarize", articles(tmp_path / "in", 1))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert "WIREBRIEF_MAX_CHARS" in result.stderr and len(result.stderr.strip().splitlines()) <= 2


# --- item 19: every record written reads back -------------------------------------------------------------

def test_every_record_a_real_batch_writes_reads_back_through_brief_record(fake_cli: FakeBackend,
                                                                          tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        (folder / seed.name).write_bytes(seed.read_bytes())
    out, array = tmp_path / "out.jsonl", tmp_path / "out.json"
    assert summarize(folder, "-o", out).exit_code in (0, 1)
    assert summarize(folder, "--format", "json", "-o", array).exit_code in (0, 1)
    lines = out.read_text().splitlines()
    records = [BriefRecord.model_validate_json(line) for line in lines]
    assert [r.model_dump_json(exclude_none=True) for r in records] == lines  # the same record, byte for byte
    assert any("unit" not in f for line in lines for f in json.loads(line).get("brief", {}).get("figures", []))
    assert all(BriefRecord.model_validate(r) for r in json.loads(array.read_text()))
    scored = runner.invoke(cli.app, ["eval", "score", str(out)])
    assert "is not a brief record" not in scored.output, scored.output

