"""Brief time against the prompt-processing floor, per article, embedded model, cold cache. Prints a table.

    .venv/bin/python bench/pipeline.py [--set seeds|dev|all] [--hits 200]

The floor is the time the model takes to read the same prompt and write one token. Before the floor and before
the brief, a one-token request for another prompt leaves only the system prompt in llama.cpp's prompt cache, so
both read the article from the same state (as a brief in a running service does).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from wirebrief.errors import WirebriefError
from wirebrief.pipeline import Pipeline, build_pipeline
from wirebrief.settings import Settings
from wirebrief.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
SETS = {"seeds": sorted((ROOT / "seeds").glob("*.txt")), "dev": sorted((ROOT / "evals/articles/bbc").glob("*.txt"))}


def one_token(pipeline: Pipeline, messages: list[dict[str, str]]) -> float:
    started = time.perf_counter()
    pipeline.backend.complete({"messages": messages, "max_tokens": 1, "temperature": 0.0})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=["seeds", "dev", "all"], default="seeds")
    parser.add_argument("--hits", type=int, default=200)
    args = parser.parse_args()
    articles = SETS["seeds"] + SETS["dev"] if args.set == "all" else SETS[args.set]
    with tempfile.TemporaryDirectory() as cache_dir:
        pipeline = build_pipeline(Settings(cache_dir=Path(cache_dir)))
        started = time.perf_counter()
        pipeline.backend.load()  # type: ignore[attr-defined]
        print(f"model load: {time.perf_counter() - started:.1f} s  ({pipeline.backend.identity.model})")
        reset = pipeline.prepare("A different article, to reset the prompt cache.").prompt.render(
            article="A different article, to reset the prompt cache.")
        print(f"{'article':<28}{'chars':>7}{'prompt tok':>11}{'figs':>6}{'floor s':>9}{'brief s':>9}{'ratio':>7}"
              f"{'gen tok':>9}{'tries':>6}")
        rows, hits = [], []
        for path in articles:
            text = path.read_text(encoding="utf-8")
            job = pipeline.prepare(text)
            messages = job.prompt.render(article=normalize(text).text)
            one_token(pipeline, reset)
            floor = one_token(pipeline, messages)
            one_token(pipeline, reset)
            t = time.perf_counter()
            try:
                brief = pipeline.run(job)
            except WirebriefError as exc:
                print(f"{path.stem:<28}{len(job.doc.text):>7}  failed: {type(exc).__name__}: {exc.message[:80]}")
                continue
            took = time.perf_counter() - t
            for _ in range(args.hits):
                t = time.perf_counter()
                pipeline.summarize(text)
                hits.append((time.perf_counter() - t) * 1000)
            u = brief.meta.usage
            rows.append((floor, took))
            print(f"{path.stem:<28}{len(job.doc.text):>7}{u.prompt_tokens:>11}{len(brief.figures):>6}{floor:>9.1f}"
                  f"{took:>9.1f}{took / floor:>7.2f}{u.completion_tokens:>9}{brief.meta.attempts:>6}")
    ratios = [b / f for f, b in rows]
    briefs = [b for _, b in rows]
    hits.sort()
    print(f"median ratio {statistics.median(ratios):.2f} (max {max(ratios):.2f}); median brief "
          f"{statistics.median(briefs):.1f} s, max {max(briefs):.1f} s, total {sum(briefs):.0f} s over {len(rows)}")
    if hits:
        print(f"cache hit: p50 {statistics.median(hits):.2f} ms, p99 {hits[int(len(hits) * 0.99) - 1]:.2f} ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
