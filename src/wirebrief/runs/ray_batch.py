"""Batch on Ray Data: `wirebrief summarize … --ray ADDRESS` runs the same pipeline on a Ray cluster.

The articles become a Ray dataset (one row each: id and path, or the text itself), ``map_batches`` sends them to
a pool of actors of :class:`Summarizer`, each of which builds its pipeline once (the embedded model, or a client
of the shared model server) and turns every article into the same :class:`~wirebrief.brief.schema.BriefRecord` the
single-process CLI makes (errors included). The records stream back to the caller as batches finish, so the CLI
appends and fsyncs each one in the same resumable JSONL, under the same lock, with the same progress bar;
finished ids were left out of the dataset before it started.

Ray is an optional dependency (``pip install 'wirebrief[ray]'``). Paths must be readable where the actors run:
on a cluster of several machines, give a JSONL of articles or a shared folder.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from wirebrief.brief.schema import BriefRecord
from wirebrief.errors import ConfigError
from wirebrief.llm.base import ChatBackend
from wirebrief.runs.batch import Article, summarize_one
from wirebrief.settings import Settings

BackendFactory = Callable[[], ChatBackend]


class Summarizer:
    """One per Ray actor: holds the pipeline, called with a batch of rows, returns their records as JSON."""

    def __init__(self, settings: dict[str, Any], options: dict[str, Any],
                 backend_factory: BackendFactory | None = None) -> None:
        from wirebrief.pipeline import build_pipeline

        self.pipeline = build_pipeline(Settings(**settings, _env_file=None),
                                       backend_factory() if backend_factory else None)
        self.options = dict(options)
        self.deadline: float | None = self.options.pop("deadline", None)
        """A wall-clock time (the actors' clocks, not the driver's monotonic one): rows after it are skipped."""

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        records = []
        rows = zip(batch["id"], batch["path"], batch["text"], batch["kind"], batch["offset"], strict=True)
        for aid, path, text, kind, offset in rows:
            if self.deadline is not None and time.time() >= self.deadline:
                records.append("")  # not started: no record, so the next run makes it
                continue
            article = Article(str(aid), Path(path) if path else None, text=None if path else str(text),
                              kind=kind or None, offset=None if offset < 0 else int(offset))
            records.append(summarize_one(self.pipeline, article, **self.options).model_dump_json())
        return {"id": [str(a) for a in batch["id"]], "record": records}


def _row(article: Article) -> dict[str, str | int]:
    text = article.text
    if text is None and article.path is None:  # stdin is the driver's: read it here
        text = sys.stdin.buffer.read().decode("utf-8", "replace")
    return {"id": article.id, "path": "" if article.path is None else str(article.path.resolve()),
            "text": text or "", "kind": article.kind or "",
            "offset": -1 if article.offset is None else article.offset}  # a JSONL article: its line, read there


def connect(address: str, workers: int) -> None:
    """Start a local Ray cluster of ``workers`` CPUs (``local``), or join one (``auto``, ``ray://host:port``)."""
    try:
        import ray
    except ImportError:
        raise ConfigError("Ray is not installed", hint="pip install 'wirebrief[ray]'") from None
    if ray.is_initialized():
        return
    local = address == "local"
    ray.init(address=None if local else address, num_cpus=workers if local else None, include_dashboard=False,
             log_to_driver=False, logging_level=logging.WARNING, configure_logging=False,
             _node_ip_address="127.0.0.1" if local else None)  # a local cluster stays on the loopback


def run_on_ray(settings: Settings, articles: list[Article], *, address: str = "local", workers: int = 2,
               batch_size: int = 4, on_record: Callable[[BriefRecord], None],
               backend_factory: BackendFactory | None = None, deadline: float | None = None,
               **options: object) -> Iterator[BriefRecord]:
    """The records of ``articles``, made by ``workers`` actors, yielded as they arrive after ``on_record`` has
    stored each. ``deadline`` is a ``time.monotonic()`` value, like :func:`wirebrief.runs.batch.run`'s."""
    if not articles:
        return
    connect(address, workers)
    import ray

    logging.getLogger("ray.data").setLevel(logging.ERROR)  # its per-run notices would interleave with the bar
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the CLI shows its own
    context.print_on_execution_start = False
    if settings.backend == "embedded":  # one model per actor: share the cores instead of fighting for them
        settings = settings.model_copy(update={"n_threads": max(1, (os.cpu_count() or 1) // workers)})
    wall_deadline = None if deadline is None else time.time() + (deadline - time.monotonic())
    blocks = max(1, math.ceil(len(articles) / batch_size))
    dataset = ray.data.from_items([_row(a) for a in articles], override_num_blocks=blocks).map_batches(
        Summarizer, batch_size=batch_size, batch_format="numpy", num_cpus=1,
        # one batch at a time per actor: the first actor up does not take every batch while the others load
        compute=ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=1),
        fn_constructor_kwargs={"settings": settings.model_dump(), "backend_factory": backend_factory,
                               "options": {**options, "deadline": wall_deadline}})
    for batch in dataset.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=0):
        for line in batch["record"]:
            if line:
                record = BriefRecord.model_validate_json(str(line))
                on_record(record)
                yield record
