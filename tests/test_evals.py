from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import labelling_reply
from typer.testing import CliRunner

from wirebrief import cli
from wirebrief.evals import scorers
from wirebrief.evals.cases import load_cases
from wirebrief.evals.compare import compare, summarize
from wirebrief.evals.runner import run_eval
from wirebrief.llm.fake import FakeBackend
from wirebrief.pipeline import build_pipeline
from wirebrief.schema import Figure
from wirebrief.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GOLD = load_cases(ROOT / "evals" / "gold")


def test_gold_records_are_consistent() -> None:
    from wirebrief.normalize import normalize

    assert len(GOLD) == 5
    for case in GOLD:
        text = normalize(case.text(ROOT)).text
        for f in case.figures:
            assert text[f.span[0] : f.span[1]] == f.raw, (case.id, f.raw)
            assert f.quote in text and f.raw in f.quote
        assert 4 <= len(case.key_facts) <= 8


def labelled_like_gold(request):  # type: ignore[no-untyped-def]
    """A fake that labels every candidate with the gold's words where the gold has that figure."""
    data = labelling_reply(summary="CENTCOM reported 94 operations.")(request)
    for f in data["figures"]:
        f["what"] = "operatives killed detained operations fighters"
    return data


def test_run_and_scores_with_the_fake(settings: Settings) -> None:
    pipeline = build_pipeline(settings, backend=FakeBackend([labelled_like_gold]))
    run = run_eval(pipeline, GOLD, ROOT)
    m = run.metrics
    assert m["articles"] == 5 and m["failed"] == 0
    assert m["recall"] == 1.0  # every required gold figure is a candidate the fake labels
    assert m["precision"] == 1.0  # the photo counter it also keeps is "ignore" in the gold; dates are not offered
    assert m["invented"] == 0 and m["grounded_share"] == 1.0
    again = run_eval(pipeline, GOLD, ROOT)
    assert again.metrics["cache_hits"] == 5  # an unchanged config costs nothing


def test_label_agreement_per_field() -> None:
    gold = next(f for f in GOLD[2].figures if f.raw == "153")  # attacks, Iraq and Syria, January to June 2024
    brief_figure = Figure(value=153, raw="153", unit="attacks", what="attacks claimed", qualifier="exact",
                          where="in Iraq and Syria", period=None, source=None, quote=gold.quote, span=gold.span,
                          quote_span=(0, len(gold.quote)))
    agreement = scorers.field_agreement(brief_figure, gold)
    assert agreement["unit"] == 1.0 and agreement["where"] == 1.0
    assert agreement["period"] == 0.0 and agreement["source"] == 0.0  # the gold has them; the brief does not
    assert 0 < agreement["what"] < 1


def test_value_tiers_honour_rounding() -> None:
    exact, approx = GOLD[1].figures[0], next(f for f in GOLD[1].figures if f.qualifier == "approximately")
    assert scorers.value_tier(94, exact) == "exact"
    assert scorers.value_tier(94.3, exact) == "0.5%" and scorers.value_tier(95, exact) is None
    assert scorers.value_tier(2600, approx) == "5%" and scorers.value_tier(2700, approx) is None


def test_invented_numbers_are_counted(settings: Settings) -> None:
    pipeline = build_pipeline(settings, backend=FakeBackend([labelled_like_gold]))
    brief = pipeline.summarize(GOLD[0].text(ROOT))
    brief.summary = "They spent $25 billion."
    score = scorers.grounding(pipeline.document(GOLD[0].text(ROOT)).text, brief)
    assert score.details["invented"] == ["$25 billion"]


def test_compare_gates_regressions(settings: Settings) -> None:
    good = run_eval(build_pipeline(settings, backend=FakeBackend([labelled_like_gold])), GOLD, ROOT)

    def worse(request):  # type: ignore[no-untyped-def]
        data = labelled_like_gold(request)
        for f in data["figures"][::2]:
            f["what"] = None
        return data

    bad = run_eval(build_pipeline(settings.model_copy(update={"temperature": 0.3}), backend=FakeBackend([worse])),
                   GOLD, ROOT)
    result = compare(summarize(good), summarize(bad))
    assert not result.passed and result.mean_delta < 0 and result.flips_bad
    assert compare(summarize(good), summarize(good)).passed
    gated = compare(summarize(good), summarize(good), fail_under={"recall": 1.01})
    assert not gated.passed


def test_eval_cli_run_compare_report(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "get_settings", lambda: settings)
    monkeypatch.setattr(cli, "_pipeline", lambda s: build_pipeline(s, backend=FakeBackend([labelled_like_gold])))
    runner = CliRunner()
    runs = tmp_path / "runs"
    result = runner.invoke(cli.app, ["eval", "run", "--runs-dir", str(runs)])
    assert result.exit_code == 0, result.output
    run_file = next(runs.glob("*.json"))
    baseline = tmp_path / "baseline.json"
    assert runner.invoke(cli.app, ["eval", "baseline", str(run_file), "-o", str(baseline)]).exit_code == 0
    assert json.loads(baseline.read_text())["per_case"]
    compared = runner.invoke(cli.app, ["eval", "compare", str(baseline), str(run_file)])
    assert compared.exit_code == 0 and "no regression" in compared.output
    gated = runner.invoke(cli.app, ["eval", "compare", str(baseline), str(run_file), "--fail-under", "recall=1.5"])
    assert gated.exit_code == 1
    report = tmp_path / "report.html"
    assert runner.invoke(cli.app, ["eval", "report", str(run_file), "-o", str(report)]).exit_code == 0
    html = report.read_text()
    assert "<svg" in html and 'class="hit"' in html and "000_de012dee44d7c730" in html
