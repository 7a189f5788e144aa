"""The same seeds through `wirebrief serve-model` (WIREBRIEF_BACKEND=openai, json_schema) and the embedded
backend: same figures? same prose? seconds per article. Both models loaded before the clock starts, no cache.

    .venv/bin/python bench/backends.py [--seeds 3]

The two run in turn, never at once (2 cores), and the model server is idle while the embedded model works.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from wirebrief.brief.schema import Brief
from wirebrief.llm.model_server import model_alias
from wirebrief.llm.model_store import PACKAGED_MODEL
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._model_server import start_model_server  # noqa: E402


def timed(pipeline: object, text: str) -> tuple[Brief, float]:
    started = time.perf_counter()
    brief = pipeline.summarize(text, read_cache=False, write_cache=False)  # type: ignore[attr-defined]
    return brief, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    seeds = sorted((ROOT / "seeds").glob("*.txt"))[: args.seeds]
    proc, url = start_model_server()
    try:
        served = build_pipeline(Settings(backend="openai", openai_base_url=url, cache_enabled=False,
                                         openai_model=model_alias(Path(PACKAGED_MODEL))))
        embedded = build_pipeline(Settings(cache_enabled=False))
        embedded.backend.load()
        print(f"{'seed':<26}{'figures':>8}{'same figures':>14}{'same prose':>12}{'server s':>10}{'embedded s':>12}")
        totals = [0.0, 0.0]
        for path in seeds:
            text = path.read_text(encoding="utf-8")
            a, ta = timed(served, text)
            b, tb = timed(embedded, text)
            totals[0] += ta
            totals[1] += tb
            same_prose = (a.headline, a.summary, a.key_points) == (b.headline, b.summary, b.key_points)
            print(f"{path.stem:<26}{len(a.figures):>8}{str(a.figures == b.figures):>14}{str(same_prose):>12}"
                  f"{ta:>10.1f}{tb:>12.1f}")
        n = len(seeds)
        print(f"{'mean':<26}{'':>8}{'':>14}{'':>12}{totals[0] / n:>10.1f}{totals[1] / n:>12.1f}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
