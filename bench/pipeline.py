"""Cold and cached pipeline latency on the seed articles, embedded model. Prints a table.

    .venv/bin/python bench/pipeline.py [--hits 200]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path

from wirebrief.normalize import normalize
from wirebrief.numbers import figure_candidates, find_numbers
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hits", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache_dir:
        pipeline = build_pipeline(Settings(cache_dir=Path(cache_dir)))
        started = time.perf_counter()
        pipeline.backend.load()  # type: ignore[attr-defined]
        print(f"model load: {time.perf_counter() - started:.1f} s  ({pipeline.backend.identity.model})")
        print(f"{'article':<28}{'chars':>7}{'cands':>7}{'figs':>6}{'cold s':>8}{'prompt tok':>11}"
              f"{'gen tok':>9}{'tries':>6}{'hit p50 ms':>12}{'hit p99 ms':>12}")
        for seed in SEEDS:
            text = seed.read_text()
            norm = normalize(text).text
            cands = len(figure_candidates(norm, find_numbers(norm)))
            started = time.perf_counter()
            brief = pipeline.summarize(text)
            cold = time.perf_counter() - started
            hits = []
            for _ in range(args.hits):
                t = time.perf_counter()
                pipeline.summarize(text)
                hits.append((time.perf_counter() - t) * 1000)
            hits.sort()
            u = brief.meta.usage
            print(f"{seed.stem:<28}{len(norm):>7}{cands:>7}{len(brief.figures):>6}{cold:>8.1f}{u.prompt_tokens:>11}"
                  f"{u.completion_tokens:>9}{brief.meta.attempts:>6}{statistics.median(hits):>12.2f}"
                  f"{hits[int(len(hits) * 0.99) - 1]:>12.2f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
