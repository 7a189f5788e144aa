"""Many articles → JSON Lines, resumably: a record is appended and fsynced the moment it is made.

The output file (its lock, resume and repair, refusing a file that is not ours) is :mod:`wirebrief.runs.output`.
Inputs are streamed: a file is stat'ed before it is read and read to at most its limit, a JSONL of articles is
indexed by line offset and each article read when it is made, so neither a huge file nor a huge JSONL is held.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from wirebrief.brief.schema import BriefRecord, ErrorInfo
from wirebrief.errors import EmptyInput, InputTooLarge, UnsupportedInput, WirebriefError
from wirebrief.pipeline import Pipeline
from wirebrief.runs.output import JsonlWriter, OutputLock, existing_records
from wirebrief.text.normalize import Kind, script_warning
from wirebrief.text.redact import redact

SUFFIXES: dict[str, Kind] = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
                             ".htm": "html"}
FILE_MAX_BYTES = 32 * 2**20
"""Largest article file (or JSONL line) read, checked before reading: a news page's HTML, scripts and all, is a
few MB, and a 60,000-character article under 240 KB of UTF-8; a 400 MB file is refused without being read."""

__all__ = ["Article", "JsonlWriter", "OutputLock", "collect", "existing_records", "run", "summarize_one"]


@dataclass(frozen=True)
class Article:
    id: str
    path: Path | None
    """None for standard input, or for an article given inline (``text``)."""
    text: str | None = None
    """The article itself, from a JSONL of articles."""
    kind: Kind | None = None
    """html/markdown/text when the JSONL says (``"html"`` instead of ``"text"``); else detected."""
    offset: int | None = None
    """Where the article's line starts in the JSONL file ``path``: its text is read when it is made, so a JSONL
    of 100,000 articles is never held in memory."""


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
        elif path.exists():
            raise UnsupportedInput(f"{given} is not a regular file (a pipe or a device?)",
                                   hint="give files, folders, or - for standard input")
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
    ``<file stem>:<line number>``. A line that is not such an object, or is over FILE_MAX_BYTES, is warned about
    and skipped. Only ids and line offsets are kept: the text is read again when the article is made."""
    with path.open("rb") as f:
        offset = 0
        for n, line in enumerate(iter(lambda: f.readline(FILE_MAX_BYTES + 1), b""), 1):
            start = offset
            offset += len(line)
            if len(line) > FILE_MAX_BYTES:
                while line and not line.endswith(b"\n"):  # the rest of the over-long line
                    line = f.readline(FILE_MAX_BYTES)
                    offset += len(line)
                warnings.append(f"{path}:{n}: over {FILE_MAX_BYTES:,} bytes: skipped")
                continue
            if not line.strip():
                continue
            row = _article_row(line)
            if row is None:
                warnings.append(f"{path}:{n}: not an article (a JSON object with \"text\" or \"html\"): skipped")
                continue
            yield Article(row[0] or f"{path.stem}:{n}", path, kind=row[2], offset=start)


def _article_row(line: bytes) -> tuple[str | None, str, Kind | None] | None:
    """(id, text, kind) of a JSONL line of an article, or None when it is not one."""
    try:
        row = json.loads(line.decode("utf-8", "replace"))
        html = row.get("html")
        text = html if isinstance(html, str) else row["text"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(text, str):
        return None
    return (str(row["id"]) if row.get("id") else None), text, ("html" if isinstance(html, str) else None)


def _scan(root: Path, warnings: list[str]) -> Iterator[tuple[str, Path]]:
    """(id, file) for the articles under ``root``, in name order. Linked folders are not entered; a linked
    file is read only if it resolves inside ``root``. What cannot be an article (a link loop, a dangling link,
    a FIFO or device named *.txt, an unreadable folder) is warned about and skipped: one bad entry must not
    end, or hang, a batch of thousands."""
    top = root.resolve()

    def unreadable(exc: OSError) -> None:
        warnings.append(f"{exc.filename}: cannot be read ({exc.strerror}): skipped")

    for folder, subfolders, names in os.walk(root, onerror=unreadable):  # followlinks=False
        subfolders.sort()
        for name in sorted(names):
            file = Path(folder, name)
            if file.suffix.lower() not in SUFFIXES:
                continue
            why = _not_an_article(file, top)
            if why is not None:
                warnings.append(f"{file} {why.replace('ROOT', str(root))}: skipped")
                continue
            yield file.relative_to(root).with_suffix("").as_posix(), file


def _not_an_article(file: Path, top: Path) -> str | None:
    """Why ``file`` is skipped (``ROOT`` stands for the folder given), or None when it is a regular file to read."""
    try:
        if file.is_symlink() and not file.resolve(strict=True).is_relative_to(top):
            return "links to a file outside ROOT"
        mode = file.stat().st_mode
    except RuntimeError:  # Python < 3.13 reports a link loop so
        return "is a link loop"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    return None if stat.S_ISREG(mode) else "is not a regular file (a pipe, a device or a folder)"


def summarize_one(
    pipeline: Pipeline, article: Article, *, read_cache: bool = True, write_cache: bool = True,
    prompt_id: str | None = None,
) -> BriefRecord:
    """A record for one article; any error becomes an error record, never an exception."""
    try:
        data, kind = _read(article, max(FILE_MAX_BYTES, 4 * pipeline.settings.max_chars))
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


def _read(article: Article, limit: int) -> tuple[bytes, Kind | None]:
    """The article's bytes and kind, reading at most ``limit`` + 1 bytes (a file's size is checked first)."""
    if article.text is not None:
        return article.text.encode("utf-8", "surrogatepass"), article.kind
    if article.path is None:
        if sys.stdin is None:  # `wirebrief summarize - <&-`: Python leaves no stdin object at all
            raise EmptyInput("standard input (-) is closed: there is no article to read",
                             hint="pipe the article in (`wirebrief summarize - < article.txt`), or give its file")
        data, kind, name = sys.stdin.buffer.read(limit + 1), None, "standard input"
    elif article.offset is not None:
        return _inline_text(article, article.path, article.offset)
    else:
        data, kind, name = _read_file(article.path, limit), SUFFIXES.get(article.path.suffix.lower()), ""
    if len(data) > limit:
        raise InputTooLarge(f"{name or article.path} is over {limit:,} bytes: not read")
    return data, kind


def _read_file(path: Path, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a regular file; a FIFO or device is refused, not waited on (O_NONBLOCK)."""
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UnsupportedInput(f"{path} is not a regular file (a pipe or a device?)", hint="give a file")
        if info.st_size > limit:
            raise InputTooLarge(f"{path} is {info.st_size:,} bytes, over the {limit:,} read: not read")
        return f.read(limit + 1)


def _inline_text(article: Article, path: Path, offset: int) -> tuple[bytes, Kind | None]:
    """The text of an article of a JSONL file, read again from its line."""
    with path.open("rb") as f:
        f.seek(offset)
        row = _article_row(f.readline(FILE_MAX_BYTES + 1))
    if row is None or (row[0] is not None and row[0] != article.id):
        raise UnsupportedInput(f"{path} changed during the run: the line of {article.id!r} is not there any more",
                               hint="run the same command again")
    return row[1].encode("utf-8", "surrogatepass"), row[2]


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
