"""Figures of one article that check each other (figures/checks.py), through the pipeline with the fake model."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import seed_text

from wirebrief.brief.render import markdown
from wirebrief.brief.schema import BriefRecord
from wirebrief.pipeline import Pipeline

PLANTED = Path(__file__).resolve().parents[1] / "evals" / "articles" / "reconcile" / "planted-004-syria-killed.txt"


def _checks(pipeline: Pipeline, text: str) -> list[tuple[str, bool, list[float]]]:
    brief = pipeline.summarize(text)
    return [(c.kind, c.holds, [brief.figures[i].value for i in c.figures]) for c in brief.checks]


def test_seed_004_parts_add_up_to_their_totals(pipeline: Pipeline) -> None:
    assert _checks(pipeline, seed_text("004")) == [
        ("sum", True, [94, 66, 28]), ("sum", True, [18, 11, 7]), ("sum", True, [63, 36, 27])]


def test_seed_002_parts_add_up_and_the_leaders_are_no_part(pipeline: Pipeline) -> None:
    assert _checks(pipeline, seed_text("002")) == [
        ("sum", True, [196, 137, 59]), ("sum", True, [44, 30, 14]), ("sum", True, [166, 74, 92])]


@pytest.mark.parametrize("seed", ["000", "001", "003"])
def test_no_check_where_the_text_gives_no_relation(pipeline: Pipeline, seed: str) -> None:
    assert _checks(pipeline, seed_text(seed)) == []


def test_a_planted_error_fails_and_warns(pipeline: Pipeline) -> None:
    brief = pipeline.summarize(PLANTED.read_text(encoding="utf-8"))
    failed = [c for c in brief.checks if not c.holds]
    assert [c.kind for c in failed] == ["sum"] and "11 (Iraq) + 9 (Syria) = 20" in failed[0].explanation
    assert any("do not check" in w and "≠ the stated total 18" in w for w in brief.warnings)
    md = markdown(BriefRecord(id="planted", brief=brief))
    assert "| sum | no |" in md


@pytest.mark.parametrize(("text", "expected"), [
    ("Jobs.\nOf the 120 workers at the plant, 30, or 25%, were laid off.", ("share", True, [30, 120, 25])),
    ("Jobs.\nThe firm cut 30 of its 120 jobs, or 20%.", ("share", False, [30, 120, 20])),
    ("Shares moved.\nSales rose 10% from 200 to 220 last year.", ("change", True, [10, 200, 220])),
    ("Shares moved.\nProfit rose 5% from 220 to 200 last year.", ("change", False, [5, 220, 200])),
    ("A storm hit.\nBetween 30 and 45 people were hurt.", ("range", True, [30, 45])),
    ("A storm hit.\nBetween 45 and 30 people were hurt.", ("range", False, [45, 30])),
    ("Raids.\nIn all, 94 Defeat ISIS Missions were executed. Officials said the 93 Defeat ISIS Missions had "
     "weakened the group.", ("restated", False, [94, 93])),
    ("Raids.\nThe coalition conducted 94 operations in the first quarter. The ministry said the 93 operations had "
     "weakened the group.", ("restated", False, [94, 93])),
    ("Jobs.\nJourney times fell 20% from 30 minutes to 27 minutes, the council said.", ("change", False, [20, 30, 27])),
])
def test_each_kind(pipeline: Pipeline, text: str, expected: tuple[str, bool, list[float]]) -> None:
    assert _checks(pipeline, text) == [expected]


def test_checks_do_not_need_labels(pipeline: Pipeline) -> None:
    """Labels blanked (the labeller changes): the sums are read off the sentences."""
    from wirebrief.figures.checks import checks

    brief = pipeline.summarize(seed_text("004"))
    blank = [f.model_copy(update={"what": "", "where": None, "period": None, "source": None, "unit": None})
             for f in brief.figures]
    assert [(c.kind, c.holds, c.figures) for c in checks(blank)] == [
        (c.kind, c.holds, c.figures) for c in brief.checks]
