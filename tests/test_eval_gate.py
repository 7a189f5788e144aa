"""The regression gate: the default prompt and embedded model on every gold case against evals/baseline.json.

Changing a prompt, the labels or the model without re-baselining fails here if the headline figure F1 (value +
unit + what) drops beyond the noise floor, a number is invented, prose makes more unsupported claims, or the
scope labels' agreement drops by more than 0.05. Re-baseline with `wirebrief eval run --repeat 2` +
`wirebrief eval baseline RUN` and commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wirebrief.evals.cases import load_cases
from wirebrief.evals.compare import compare, load_summary, summarize
from wirebrief.evals.runner import run_eval
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.model


def test_no_regression_against_the_baseline(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", _env_file=None)  # type: ignore[call-arg]
    run = run_eval(build_pipeline(settings), load_cases(ROOT / "evals" / "gold"), ROOT)
    baseline = load_summary(ROOT / "evals" / "baseline.json")
    result = compare(baseline, summarize(run), noise_floor=max(0.05, baseline["noise_floor"]), unsupported_slack=3)
    m = run.metrics
    print(f"eval: headline F1 {m['headline_f1']:.3f}, value+unit {m['value_unit_f1']:.3f}; mean Δ "
          f"{result.mean_delta:+.3f}; lost {result.flips_bad}")
    assert result.passed, result.failures
    assert m["invented"] == 0 and m["failed"] == 0
    for name in ("where", "period", "source"):
        assert m[f"agreement_{name}"] >= baseline["metrics"][f"agreement_{name}"] - 0.05, name
