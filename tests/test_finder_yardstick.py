"""The number finder against Microsoft Recognizers-Text's English specs: never below the committed baseline.

Re-baseline after an improvement: `wirebrief eval finder --write-baseline evals/finder_baseline.json`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirebrief.evals.finder import FILES, score_all

ROOT = Path(__file__).resolve().parents[1]
BASELINE = json.loads((ROOT / "evals" / "finder_baseline.json").read_text())
SCORES = {s.name: s.row() for s in score_all(ROOT / "evals" / "yardsticks" / "recognizers-text")}


@pytest.mark.parametrize("name", FILES)
def test_finder_not_below_baseline(name: str) -> None:
    now, base = SCORES[name], BASELINE[name]
    assert now["value_f1"] >= base["value_f1"] - 1e-9, (name, now, base)
    if base["value_unit_f1"] is not None:
        assert now["value_unit_f1"] >= base["value_unit_f1"] - 1e-9, (name, now, base)


def test_a_finder_that_finds_nothing_scores_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    from wirebrief.evals import finder

    monkeypatch.setattr(finder, "find_numbers", lambda text: [])
    assert all(s.row()["value_f1"] == 0 for s in finder.score_all(ROOT / "evals" / "yardsticks" / "recognizers-text"))
