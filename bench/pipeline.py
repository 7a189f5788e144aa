"""Brief time against the prompt-processing floor, per article, embedded model, cold cache. Prints a table.

    .venv/bin/python bench/pipeline.py [--set seeds|dev|all] [--hits 200] [--labels rules,model]

The floor is the time the model takes to read the same prompt and write one token. Before the floor and before
the brief, a one-token request for another prompt leaves only the system prompt in llama.cpp's prompt cache, so
both read the article from the same state (as a brief in a running service does). Each labels mode (rules: one
model call; model: the labelling step too) makes the same article cold after the same reset, against the same floor.
One brief per mode before the first article warms the model up, as a running service is.
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
    parser.add_argument("--labels", default="rules,model", help="labels modes to time, comma-separated")
    args = parser.parse_args()
    modes = [m for m in args.labels.split(",") if m]
    articles = SETS["seeds"] + SETS["dev"] if args.set == "all" else SETS[args.set]
    with tempfile.TemporaryDirectory() as cache_dir:
        pipeline = build_pipeline(Settings(cache_dir=Path(cache_dir), labels=modes[0]))
        started = time.perf_counter()
        pipeline.backend.load()  # type: ignore[attr-defined]
        print(f"model load: {time.perf_counter() - started:.1f} s  ({pipeline.backend.identity.model})")
        uncached = {m: Pipeline(settings=Settings(cache_enabled=False, labels=m), backend=pipeline.backend)
                    for m in modes}
        reset = pipeline.prepare("A different article, to reset the prompt cache.").prompt.render(
            article="A different article, to reset the prompt cache.")
        warm = "A warm-up article: the council said 120 homes were built in 2024, up 4% on the year before."
        for mode in modes:  # the first grammar-constrained call pays a one-time cost (seen: 5 s on the first
            uncached[mode].summarize(warm, read_cache=False, write_cache=False)  # article only), as a service does
        print(f"{'article':<28}{'labels':>7}{'chars':>7}{'prompt tok':>11}{'figs':>6}{'floor s':>9}{'brief s':>9}"
              f"{'ratio':>7}{'gen tok':>9}{'calls':>6}")
        rows: dict[str, list[tuple[float, float]]] = {m: [] for m in modes}
        hits: list[float] = []
        for path in articles:
            text = path.read_text(encoding="utf-8")
            job = pipeline.prepare(text)
            messages = job.prompt.render(article=normalize(text).text)
            one_token(pipeline, reset)
            floor = one_token(pipeline, messages)
            for mode in modes:
                one_token(pipeline, reset)
                t = time.perf_counter()
                try:
                    brief = uncached[mode].summarize(text, read_cache=False, write_cache=False)
                except WirebriefError as exc:
                    print(f"{path.stem:<28}{mode:>7}  failed: {type(exc).__name__}: {exc.message[:80]}")
                    continue
                took = time.perf_counter() - t
                u = brief.meta.usage
                rows[mode].append((floor, took))
                print(f"{path.stem:<28}{mode:>7}{len(job.doc.text):>7}{u.prompt_tokens:>11}{len(brief.figures):>6}"
                      f"{floor:>9.1f}{took:>9.1f}{took / floor:>7.2f}{u.completion_tokens:>9}{brief.meta.attempts:>6}")
            pipeline.run(job)
            for _ in range(args.hits):
                t = time.perf_counter()
                pipeline.summarize(text)
                hits.append((time.perf_counter() - t) * 1000)
    for mode, done in rows.items():
        if done:
            ratios, briefs = [b / f for f, b in done], [b for _, b in done]
            print(f"labels={mode}: median ratio {statistics.median(ratios):.2f} (max {max(ratios):.2f}); median brief "
                  f"{statistics.median(briefs):.1f} s, max {max(briefs):.1f} s, total {sum(briefs):.0f} s over "
                  f"{len(done)}")
    hits.sort()
    if hits:
        print(f"cache hit: p50 {statistics.median(hits):.2f} ms, p99 {hits[int(len(hits) * 0.99) - 1]:.2f} ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
