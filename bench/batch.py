"""Batch throughput against the backend-bound ideal, measured in the same run. Prints two tables:

1. the single-process CLI's runner (`summarize --concurrency C`, threads) against `wirebrief serve-model
   --parallel 4`, C = 1, 2, 4; and Ray Data (`summarize --ray local --workers W`) against the same server,
   W = 1, 2 (the local cluster's start is not counted, the actors' start is);
2. Ray Data with the fake backend (a fixed delay per article, so the ideal is exact), W = 1, 2.

The ideal for a row is the model server answering the very chat requests that row's run sent, replayed with the
same number in flight and nothing else around them: what the backend alone allows. Prompt caching is off in both
(every request reads its whole prompt), so a replay cannot reuse the run's KV cache. No brief cache.

    .venv/bin/python bench/batch.py [--articles 3] [--fake-articles 8 --fake-delay 2]
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from openai.types.chat import ChatCompletion

from wirebrief.llm.fake import FakeBackend, brief_reply
from wirebrief.llm.model_server import model_alias
from wirebrief.llm.model_store import PACKAGED_MODEL
from wirebrief.llm.openai_compat import OpenAIBackend
from wirebrief.pipeline import build_pipeline
from wirebrief.runs import batch
from wirebrief.runs.ray_batch import run_on_ray
from wirebrief.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._model_server import start_model_server  # noqa: E402

SENT: list[dict[str, Any]] = []
_LOCK = threading.Lock()


class NoPromptCache(OpenAIBackend):
    """The openai backend with llama.cpp's prompt caching off (what Ray's actors use)."""

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        return super().complete({**request, "extra_body": {"cache_prompt": False}})


class Recorded(NoPromptCache):
    """... and records what it sends (in this process)."""

    def complete(self, request: dict[str, Any]) -> ChatCompletion:
        with _LOCK:
            SENT.append(request)
        return super().complete(request)


def replay(settings: Settings, requests: list[dict[str, Any]], in_flight: int) -> float:
    backend = NoPromptCache(settings)
    started = time.perf_counter()
    with ThreadPoolExecutor(in_flight) as pool:
        list(pool.map(backend.complete, requests))
    return time.perf_counter() - started


def row(name: str, n: int, ok: int, seconds: float, ideal: float, steady: float | None = None) -> None:
    rate, best = n / seconds * 60, n / ideal * 60
    after = "" if steady is None else f"{steady:>12.1f}{steady / best:>7.2f}"
    print(f"{name:<30}{n:>9}{ok:>5}{rate:>14.1f}{best:>12.1f}{rate / best:>7.2f}{after}")


def header() -> None:
    print(f"{'run':<30}{'articles':>9}{'ok':>5}{'articles/min':>14}{'ideal/min':>12}{'ratio':>7}"
          f"{'steady/min':>12}{'ratio':>7}")


def on_ray(settings: Settings, articles: list[batch.Article], workers: int, factory: Any,
           **options: Any) -> tuple[int, float, float | None]:
    """(briefs made, seconds, articles/min after every actor's first record: the actors' start left out)."""
    arrived: list[float] = []
    started = time.perf_counter()
    records = list(run_on_ray(settings, articles, workers=workers, batch_size=1, backend_factory=factory,
                              on_record=lambda _: arrived.append(time.perf_counter()), **options))
    took = time.perf_counter() - started
    rest = len(arrived) - workers
    steady = rest / (arrived[-1] - arrived[workers - 1]) * 60 if rest > 0 else None
    return sum(r.brief is not None for r in records), took, steady


def server_rows(articles: list[batch.Article], settings: Settings) -> None:
    """The Ray rows' ideal is the replay of the concurrency row with as many in flight: the same articles give
    the same requests (temperature 0), and the actors record theirs in their own processes."""
    import ray

    header()
    ideal: dict[int, float] = {}
    for c in (1, 2, 4):
        SENT.clear()
        pipeline = build_pipeline(settings, Recorded(settings))
        started = time.perf_counter()
        records = list(batch.run(pipeline, articles, concurrency=c, on_record=lambda _: None, read_cache=False,
                                 write_cache=False))
        took = time.perf_counter() - started
        ideal[c] = replay(settings, list(SENT), c)
        row(f"--concurrency {c}", len(articles), sum(r.brief is not None for r in records), took, ideal[c])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
    for w in (1, 2):
        ok, took, steady = on_ray(settings, articles, w, partial(NoPromptCache, settings), read_cache=False,
                                  write_cache=False)
        row(f"--ray local --workers {w}", len(articles), ok, took, ideal[w], steady)
    ray.shutdown()


def fake_rows(n: int, delay: float) -> None:
    import ray

    texts = sorted((ROOT / "seeds").glob("*.txt"))
    articles = [batch.Article(f"a{i}", texts[i % len(texts)]) for i in range(n)]
    settings = Settings(cache_enabled=False)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
    header()
    for w in (1, 2):
        ok, took, steady = on_ray(settings, articles, w, partial(FakeBackend, [brief_reply()], delay=delay))
        row(f"--ray, fake {delay:g} s, workers {w}", n, ok, took, n * delay / w, steady)
    ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=3)
    parser.add_argument("--fake-articles", type=int, default=8)
    parser.add_argument("--fake-delay", type=float, default=2.0)
    parser.add_argument("--only", choices=["fake", "server"])
    args = parser.parse_args()
    if args.only != "server":
        fake_rows(args.fake_articles, args.fake_delay)
        print()
    if args.only == "fake":
        return
    articles, _ = batch.collect([str(p) for p in sorted((ROOT / "seeds").glob("*.txt"))[: args.articles]])
    proc, url = start_model_server(parallel=4)
    try:
        settings = Settings(backend="openai", openai_base_url=url, openai_model=model_alias(Path(PACKAGED_MODEL)),
                            cache_enabled=False)
        server_rows(articles, settings)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
