"""Many articles → JSON Lines, resumably: a record is appended and fsynced the moment it is made.

One run at a time writes an output file (:class:`OutputLock`); a second one fails at once instead of
duplicating the first one's records, or losing them when it rewrites the file.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from wirebrief.brief.schema import BriefRecord, ErrorInfo
from wirebrief.errors import OutputBusy, UnsupportedInput, WirebriefError
from wirebrief.pipeline import Pipeline
from wirebrief.text.normalize import Kind, script_warning
from wirebrief.text.redact import redact

SUFFIXES: dict[str, Kind] = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
                             ".htm": "html"}


@dataclass(frozen=True)
class Article:
    id: str
    path: Path | None
    """None for standard input, or for an article given inline (``text``)."""
    text: str | None = None
    """The article itself, from a JSONL of articles."""
    kind: Kind | None = None
    """html/markdown/text when the JSONL says (``"html"`` instead of ``"text"``); else detected."""


def collect(paths: list[str]) -> tuple[list[Article], list[str]]:
    """Files, directories (recursing over .txt/.md/.html), JSONL files of articles (``{"id", "text" or "html"}``
    a line) and ``-`` for stdin, each article once; and warnings.

    An article's id is its path relative to the folder given, without the suffix (``a/report`` and
    ``b/report`` are two articles), or a file's stem when the file itself is given. Two files with one id:
    the first is kept and a warning names the other. A folder scan does not follow links out of the folder.
    """
    articles: dict[str, Article] = {}
    warnings: list[str] = []
    for given in paths:
        if given == "-":
            found: list[tuple[str, Path | None]] = [("stdin", None)]
        elif (path := Path(given)).is_dir():
            found = list(_scan(path, warnings))
        elif path.is_file() and path.suffix.lower() == ".jsonl":
            for article in _inline(path, warnings):
                if articles.setdefault(article.id, article) is not article:
                    warnings.append(f"{path}: the id {article.id!r} is used twice: skipped the second")
            continue
        elif path.is_file():
            found = [(path.stem, path)]
        else:
            raise UnsupportedInput(f"{given}: no such file or directory", hint="check the path")
        for article_id, file in found:
            first = articles.setdefault(article_id, Article(article_id, file))
            if first.path != file and not (first.path and file and first.path.resolve() == file.resolve()):
                warnings.append(f"{file or 'stdin'} has the same id {article_id!r} as {first.path or 'stdin'}: "
                                "skipped (rename one of them, or summarize them in separate runs)")
    return list(articles.values()), warnings


def _inline(path: Path, warnings: list[str]) -> Iterator[Article]:
    """The articles of a JSONL file: ``{"id": ..., "text": ...}`` (or ``"html"``) a line; a line without an id gets
    ``<file stem>:<line number>``. A line that is not such an object is warned about and skipped."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                html = row.get("html")
                text = html if isinstance(html, str) else row["text"]
                if not isinstance(text, str):
                    raise TypeError
            except (ValueError, KeyError, TypeError, AttributeError):
                warnings.append(f"{path}:{n}: not an article (a JSON object with \"text\" or \"html\"): skipped")
                continue
            yield Article(str(row.get("id") or f"{path.stem}:{n}"), None, text=text,
                          kind="html" if isinstance(html, str) else None)


def _scan(root: Path, warnings: list[str]) -> Iterator[tuple[str, Path]]:
    """(id, file) for the articles under ``root``, in name order. Linked folders are not entered; a linked
    file is read only if it resolves inside ``root``."""
    top = root.resolve()
    for folder, subfolders, names in os.walk(root):  # followlinks=False
        subfolders.sort()
        for name in sorted(names):
            file = Path(folder, name)
            if file.suffix.lower() not in SUFFIXES:
                continue
            if file.is_symlink():
                target = file.resolve()
                if not target.is_relative_to(top):
                    warnings.append(f"{file} links to a file outside {root}: skipped")
                    continue
                if not target.is_file():
                    continue
            yield file.relative_to(root).with_suffix("").as_posix(), file


def summarize_one(
    pipeline: Pipeline, article: Article, *, read_cache: bool = True, write_cache: bool = True,
    prompt_id: str | None = None,
) -> BriefRecord:
    """A record for one article; any error becomes an error record, never an exception."""
    try:
        if article.text is not None:
            data, kind = article.text.encode("utf-8", "surrogatepass"), article.kind
        else:
            data = sys.stdin.buffer.read() if article.path is None else article.path.read_bytes()
            kind = SUFFIXES.get(article.path.suffix.lower()) if article.path is not None else None
        job = pipeline.prepare(data, prompt_id=prompt_id, kind=kind)
        brief = pipeline.run(job, read_cache=read_cache, write_cache=write_cache)
        note = None if brief.figures else script_warning(job.doc.text)
        if note is not None and note not in brief.warnings:
            brief = brief.model_copy(update={"warnings": [*brief.warnings, note]})
        return BriefRecord(id=article.id, brief=brief)
    except WirebriefError as exc:
        return BriefRecord(id=article.id, error=ErrorInfo.of(exc))
    except OSError as exc:
        return BriefRecord(id=article.id, error=ErrorInfo(type="UnreadableFile", message=str(exc),
                                                          hint="check the file exists and is readable"))
    except Exception as exc:  # noqa: BLE001 - one article's bug must not end the batch
        return BriefRecord(id=article.id, error=ErrorInfo(
            type=type(exc).__name__, message=redact(exc), hint="an unexpected error; please report it"))


def existing_records(out: Path, *, drop_failed: bool = False) -> dict[str, bool]:
    """Ids already in ``out`` (id → ok). Call it holding the :class:`OutputLock`.

    Repairs the file: a line torn by an interrupted run is cut, a repeated id keeps one record (a brief over
    an error), and with ``drop_failed`` error records go. The repaired file is written aside, fsynced, and
    moved into place, so a crash during the repair loses nothing either."""
    if not out.exists():
        return {}
    original = out.read_bytes()
    raw = original[: original.rfind(b"\n") + 1]  # without the torn tail of an interrupted write
    kept: dict[str, tuple[bool, bytes]] = {}
    for line in raw.splitlines(keepends=True):
        try:
            record = json.loads(line)
            rid, ok = str(record["id"]), record.get("brief") is not None
        except (ValueError, KeyError, TypeError):
            continue
        if (drop_failed and not ok) or (rid in kept and (kept[rid][0] or not ok)):
            continue
        kept[rid] = (ok, line)
    repaired = b"".join(line for _, line in kept.values())
    if repaired != original:
        _replace(out, repaired)
    return {rid: ok for rid, (ok, _) in kept.items()}


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself is durable
    finally:
        os.close(folder)


def run(
    pipeline: Pipeline,
    articles: list[Article],
    *,
    concurrency: int = 1,
    on_record: Callable[[BriefRecord], None],
    deadline: float | None = None,
    **options: object,
) -> Iterator[BriefRecord]:
    """Summarize ``articles``; yields records in completion order after ``on_record`` has stored each.

    An article not started by ``deadline`` (a ``time.monotonic()`` value) is skipped: no record, so the next
    run of the same command makes it. Stopping early (an interrupt) starts no further article."""

    def one(article: Article) -> BriefRecord | None:
        if deadline is not None and time.monotonic() >= deadline:
            return None
        return summarize_one(pipeline, article, **options)  # type: ignore[arg-type]

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(one, a) for a in articles]
        try:
            for future in as_completed(futures):
                record = future.result()
                if record is not None:
                    on_record(record)
                    yield record
        finally:
            for future in futures:
                future.cancel()


class OutputLock:
    """One run at a time writes ``out``: an exclusive, non-blocking ``fcntl.flock`` on ``out.lock``.

    fcntl rather than the filelock package: no new dependency, and it is the same kernel lock filelock's
    UnixFileLock takes. The kernel drops it when the process ends, even by kill -9, so a crash never leaves a
    stale lock behind. The sidecar file is locked, not the output, because a repair (and --retry-failed)
    replaces the output with a new file: a lock on the old one would guard nothing. A second run fails at
    once with :class:`OutputBusy` naming the holder's pid. POSIX only, and local disks (flock over NFS is not
    reliable)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out.with_name(out.name + ".lock")
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            raise OutputBusy(f"{self.out} is being written by another wirebrief run"
                             + (f" (pid {holder})" if holder.isdigit() else "")) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class JsonlWriter:
    """Appends one record per line and fsyncs it before the next."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")

    def __call__(self, record: BriefRecord) -> None:
        self._file.write(record.model_dump_json(exclude_none=True) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()
