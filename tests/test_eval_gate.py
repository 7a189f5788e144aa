"""The regression gate against evals/baseline.json (a run of the default prompt and embedded model on every gold case).

Figures and their labels come from code, so their gate needs no model: every gold case runs through the pipeline
with the fake at the LLM seam, and fails if the headline figure F1 (value + unit + what) of any article drops
beyond the noise floor, a number is invented, or a scope label's agreement drops by more than 0.05. The prose
gate runs the real model on the seeds: no invented number, no article failing, and no more unsupported prose
claims than the baseline (with a slack of 3: prose varies across machines even at temperature 0).
Re-baseline with `wirebrief eval run` + `wirebrief eval baseline RUN` and commit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import brief_reply

from wirebrief.evals.cases import load_cases
from wirebrief.evals.compare import compare, load_summary, summarize
from wirebrief.evals.runner import run_eval
from wirebrief.llm.fake import FakeBackend
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
BASELINE = load_summary(ROOT / "evals" / "baseline.json")


def test_figures_no_regression(settings: Settings) -> None:
    run = run_eval(build_pipeline(settings, backend=FakeBackend([brief_reply()])),
                   load_cases(ROOT / "evals" / "gold"), ROOT)
    result = compare(BASELINE, summarize(run), noise_floor=max(0.05, BASELINE["noise_floor"]))
    worse = {case: delta for case, delta in result.deltas.items() if delta < -0.05}
    assert result.passed and not worse, (result.failures, worse, result.flips_bad)
    for name in ("where", "period", "source"):
        assert run.metrics[f"agreement_{name}"] >= BASELINE["metrics"][f"agreement_{name}"] - 0.05, name


@pytest.mark.model
def test_prose_no_regression(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", _env_file=None)  # type: ignore[call-arg]
    seeds = load_cases(ROOT / "evals" / "gold", ["seeds"])
    run = run_eval(build_pipeline(settings), seeds, ROOT)
    m, base = run.metrics, BASELINE["sets"]["seeds"]
    print(f"seeds: headline F1 {m['headline_f1']:.3f}, unsupported {m['prose_unsupported']:.0f} "
          f"(baseline {base['prose_unsupported']:.0f}), key facts {m['key_fact_recall']:.2f}")
    assert m["failed"] == 0 and m["invented"] == 0
    assert m["prose_unsupported"] <= base["prose_unsupported"] + 3
