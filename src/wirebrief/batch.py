"""Many articles → JSON Lines, resumably: a record is appended and flushed the moment it is made."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from wirebrief.errors import UnsupportedInput, WirebriefError
from wirebrief.normalize import Kind
from wirebrief.pipeline import Pipeline
from wirebrief.schema import BriefRecord, ErrorInfo

SUFFIXES: dict[str, Kind] = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html",
                             ".htm": "html"}


@dataclass(frozen=True)
class Article:
    id: str
    path: Path | None
    """None for standard input."""


def collect(paths: list[str]) -> list[Article]:
    """Files, directories (recursing over .txt/.md/.html) and ``-`` for stdin, each article once."""
    articles: dict[str, Article] = {}
    for given in paths:
        if given == "-":
            articles.setdefault("stdin", Article("stdin", None))
            continue
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            files = [path]
        else:
            raise UnsupportedInput(f"{given}: no such file or directory", hint="check the path")
        for f in files:
            articles.setdefault(f.stem, Article(f.stem, f))
    return list(articles.values())


def summarize_one(
    pipeline: Pipeline, article: Article, *, read_cache: bool = True, write_cache: bool = True,
    prompt_id: str | None = None,
) -> BriefRecord:
    """A record for one article; an error becomes an error record, never an exception."""
    try:
        data = sys.stdin.buffer.read() if article.path is None else article.path.read_bytes()
        kind = SUFFIXES.get(article.path.suffix.lower()) if article.path is not None else None
        brief = pipeline.summarize(data, prompt_id=prompt_id, kind=kind, read_cache=read_cache,
                                   write_cache=write_cache)
        return BriefRecord(id=article.id, brief=brief)
    except WirebriefError as exc:
        return BriefRecord(id=article.id, error=ErrorInfo.of(exc))
    except OSError as exc:
        return BriefRecord(id=article.id, error=ErrorInfo(type="UnreadableFile", message=str(exc),
                                                          hint="check the file exists and is readable"))


def existing_records(out: Path, *, drop_failed: bool = False) -> dict[str, bool]:
    """Ids already in ``out`` (id → ok). Repairs a line torn by an interrupted run; can drop error records."""
    if not out.exists():
        return {}
    raw = out.read_bytes()
    if raw and not raw.endswith(b"\n"):
        raw = raw[: raw.rfind(b"\n") + 1]  # the torn tail of an interrupted write
    done: dict[str, bool] = {}
    kept: list[bytes] = []
    for line in raw.splitlines(keepends=True):
        try:
            record = json.loads(line)
            rid, ok = str(record["id"]), record.get("brief") is not None
        except (ValueError, KeyError, TypeError):
            continue
        if drop_failed and not ok:
            continue
        done[rid] = ok
        kept.append(line)
    repaired = b"".join(kept)
    if repaired != out.read_bytes():
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_bytes(repaired)
        os.replace(tmp, out)
    return done


def run(
    pipeline: Pipeline,
    articles: list[Article],
    *,
    concurrency: int = 1,
    on_record: Callable[[BriefRecord], None],
    **options: object,
) -> Iterator[BriefRecord]:
    """Summarize ``articles``; yields records in completion order after ``on_record`` has stored each."""
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(summarize_one, pipeline, a, **options) for a in articles]  # type: ignore[arg-type]
        for future in as_completed(futures):
            record = future.result()
            on_record(record)
            yield record


class JsonlWriter:
    """Appends one record per line and flushes it to disk before the next."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")

    def __call__(self, record: BriefRecord) -> None:
        self._file.write(record.model_dump_json(exclude_none=True) + "\n")
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        self._file.close()
