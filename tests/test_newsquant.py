"""The NewsQuant yardstick (CQE's dev half): CI guards the committed F1s, and a degenerate labeller scores badly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirebrief.brief.schema import Figure
from wirebrief.evals.newsquant import (
    TIERS,
    Quantity,
    change_of,
    concept_matches,
    load,
    score,
    unit_matches,
    value_matches,
)
from wirebrief.llm.fake import FakeBackend, brief_reply
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "evals" / "yardsticks" / "newsquant-dev" / "NewsQuant-dev.json"
BASELINE = ROOT / "evals" / "yardsticks" / "newsquant-baseline.json"
SLACK = 0.005
"""The pipeline is deterministic here (the fake writes the prose): any drop is a change of rules."""


@pytest.fixture(scope="module")
def figures_of(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    settings = Settings(cache_enabled=False, labels="rules", _env_file=None)  # type: ignore[call-arg]
    pipeline = build_pipeline(settings, backend=FakeBackend([brief_reply()]))
    return lambda text: pipeline.summarize(text, read_cache=False, write_cache=False).figures


def test_no_tier_falls_below_the_baseline(figures_of) -> None:  # type: ignore[no-untyped-def]
    scores = score(load(DATA), figures_of).table()
    baseline = json.loads(BASELINE.read_text())
    worse = {t: (round(scores[t]["f1"], 4), baseline[t]) for t in TIERS if scores[t]["f1"] < baseline[t] - SLACK}
    assert not worse, worse


def test_a_degenerate_labeller_scores_badly(figures_of) -> None:  # type: ignore[no-untyped-def]
    def blank(text: str) -> list[Figure]:
        return [f.model_copy(update={"what": "", "unit": None, "change": None}) for f in figures_of(text)]

    items = load(DATA)
    scores, blanked = score(items, figures_of).table(), score(items, blank).table()
    assert blanked["value"]["f1"] == pytest.approx(scores["value"]["f1"], abs=0.03)  # same values (pence, sen aside)
    assert blanked["value_concept"]["f1"] < 0.2 and blanked["value_unit"]["f1"] < 0.35


def test_a_label_that_keeps_the_whole_sentence_scores_badly(figures_of) -> None:  # type: ignore[no-untyped-def]
    """CQE's partial rule wants one gold word among the label's: the whole sentence has them all (0.82 without
    the short-phrase rule, complete 0.74)."""
    def everything(text: str) -> list[Figure]:
        return [f.model_copy(update={"what": f.quote}) for f in figures_of(text)]

    kept = score(load(DATA), everything).table()
    assert kept["value_concept"]["f1"] < 0.1 and kept["value_concept_complete"]["f1"] < 0.1


def test_pence_match_their_pounds() -> None:
    gold = {"value": "164", "unit": "p", "normalized_unit": "point"}  # CQE normalizes '164p' to 'point'
    ours = Quantity(1.64, None, "GBP", "=", "shares")
    assert value_matches(ours, gold) and unit_matches(ours, gold)
    assert not value_matches(ours, {**gold, "unit": "pts"})  # 164 points are no £1.64


def test_the_gold_units_modifiers_are_no_concept() -> None:
    gold = {"value": "22", "unit": "residential burglaries", "normalized_unit": "residential burglary",
            "referred_concepts": "-"}
    assert concept_matches(Quantity(22, None, "burglary", "=", "residential burglaries"), gold)
    assert not concept_matches(Quantity(22, None, "burglary", "=", "police station burglaries"), gold)


def test_a_fraction_is_their_share() -> None:
    gold = {"value": "0.25", "unit": "% US population", "normalized_unit": "% US population"}
    assert unit_matches(Quantity(0.25, None, None, "=", "US population vaccinated"), gold)  # 'One fourth of'
    assert not unit_matches(Quantity(25, None, None, "=", "US population"), gold)  # a count is no share
    assert not unit_matches(Quantity(0.25, None, "USD", "=", "fee"), gold)


@pytest.mark.parametrize(("text", "raw", "change"), [
    ("Analysts see a 19% drop for the index.", "19%", "="),  # the size of a noun of movement
    ("Staff get a 5% pay rise.", "5%", "="),
    ("The partners pledged a decrease of 400,000 barrels a day.", "400,000 barrels", "="),
    ("Shares of the retailer dropped 19% on Monday.", "19%", "down"),  # a verb moved it
])
def test_their_change_is_a_verbs(figures_of, text: str, raw: str, change: str) -> None:  # type: ignore[no-untyped-def]
    figure = next(f for f in figures_of(text) if f.raw == raw)
    assert figure.change is not None and change_of(figure) == change
