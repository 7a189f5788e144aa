"""The eval instrument: gold records are sound, the scorers can fail, the CLI runs, scores and compares."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import brief_reply
from typer.testing import CliRunner

from wirebrief import cli
from wirebrief.brief.schema import Brief, BriefRecord, Figure, Meta
from wirebrief.cli import common
from wirebrief.evals import scorers
from wirebrief.evals.cases import GoldCase, GoldFigure, load_cases, place_spans, written_alone
from wirebrief.evals.compare import compare, load_summary, summarize
from wirebrief.evals.runner import CaseResult, aggregate, score_records
from wirebrief.figures.candidates import figure_candidates
from wirebrief.figures.finder import find_numbers
from wirebrief.llm.fake import FakeBackend
from wirebrief.pipeline import build_pipeline
from wirebrief.settings import Settings
from wirebrief.text.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]
GOLD = load_cases(ROOT / "evals" / "gold")
SEEDS = [c for c in GOLD if c.set == "seeds"]
CASE = {c.id: c for c in GOLD}


def test_gold_records_are_consistent() -> None:
    assert {c.set for c in GOLD} == {"seeds", "dev"}
    assert len(SEEDS) == 5 and sum(c.set == "dev" for c in GOLD) == 24
    for case in GOLD:
        text = normalize(case.text(ROOT)).text
        assert case.figures and any(f.status == "required" for f in case.figures) or case.set == "seeds", case.id
        for f in case.figures:
            assert text[f.span[0] : f.span[1]] == f.raw, (case.id, f.raw)
            assert f.quote in text and f.raw in f.quote, (case.id, f.raw)
            assert f.status == "ignore" or written_alone(f.raw).match(text, f.span[0]), (case.id, f.raw)  # not '47%'
        assert 4 <= len(case.key_facts) <= 8, case.id


def test_a_span_is_not_placed_inside_a_longer_number() -> None:
    record = {"article": "a", "figures": [{"raw": "7%", "quote": "Some 47% say no, while 7% say yes.",
                                           "status": "required"}], "key_facts": []}
    text = "Some 47% say no, while 7% say yes."
    assert not any("inside" in p for p in place_spans(record, text)) and record["figures"][0]["span"] == [23, 25]
    record["figures"][0]["span"] = [6, 8]
    assert any("inside a longer number" in p for p in place_spans(record, text))


def _brief(figures: list[Figure], summary: str = "", key_points: list[str] | None = None) -> Brief:
    meta = Meta(backend="fake", model="m", model_fingerprint="f", prompt_id="p", prompt_version="1", prompt_hash="h",
                cache_key="k")
    return Brief(brief_id="b", headline="", summary=summary, key_points=key_points or [], figures=figures, meta=meta)


def _figure(g: GoldFigure, **labels: Any) -> Figure:
    fields = {k: getattr(g, k) for k in ("unit", "what", "where", "period", "source")} | labels
    return Figure(value=g.value, raw=g.raw, qualifier="exact", quote=g.quote, span=g.span, quote_span=(0, 1), **fields)


def _as_gold(case: GoldCase, statuses: tuple[str, ...] = ("required", "optional")) -> Brief:
    return _brief([_figure(g) for g in case.figures if g.status in statuses])


def test_the_gold_itself_scores_one_on_every_tier() -> None:
    for case in GOLD:
        tiers = scorers.figures(case, _as_gold(case)).details["tiers"]
        assert all(t["f1"] == 1.0 for t in tiers.values()), case.id


def test_an_ignore_figure_listed_lowers_precision() -> None:
    case = next(c for c in GOLD if any(f.status == "ignore" for f in c.figures))
    tiers = scorers.figures(case, _as_gold(case, ("required", "optional", "ignore"))).details["tiers"]
    assert tiers["value"]["precision"] < 1.0 and tiers["value"]["recall"] == 1.0


def test_a_wrong_event_or_unit_is_not_a_hit() -> None:
    case = CASE["000_de012dee44d7c730"]
    killed = next(g for g in case.figures if g.raw == "44")
    assert "kill" in killed.what or "killed" in killed.what
    wrong_event = scorers.figures(case, _brief([_figure(killed, what="ISIS operatives detained")])).details
    assert wrong_event["tiers"]["value"]["tp_r"] == 1 and wrong_event["tiers"]["headline"]["tp_r"] == 0
    wrong_unit = scorers.figures(case, _brief([_figure(killed, unit="operations")])).details
    assert wrong_unit["tiers"]["value_what"]["tp_r"] == 1 and wrong_unit["tiers"]["headline"]["tp_r"] == 0
    persons = scorers.figures(case, _brief([_figure(killed, unit="operatives")])).details
    assert persons["tiers"]["headline"]["tp_r"] == 1  # 'people' matches any persons noun


@pytest.mark.parametrize(("predicted", "gold", "partial"), [
    ("operatives killed", "ISIS operatives killed", True),
    ("people eliminated", "ISIS operatives killed", True),
    ("operatives detained", "ISIS operatives killed", False),
    ("operatives killed and detained", "ISIS operatives killed", False),
    ("revenue", "pre-tax profit", False),
    ("annual profit", "pre-tax profit", True),
    ("vehicles", "vehicles recalled", False),
    ("pickups recalled", "vehicles recalled", True),
    ("x", "jobs created", False),
    (None, "jobs created", False),
    ("shoppers buying tablets", "people planning to buy a tablet", True),  # a three-letter event, inflected
    ("news jobs", "new jobs", False),  # 'news' is no 'new'
    ("cute puppies adopted", "job cuts", False),  # 'cute' is no 'cut', though 'cuts' stems to it
    ("fine wine exported", "games won", False),  # 'wine' is no 'win'
    ("staff cutting", "job cuts", True),
])
def test_what_partial(predicted: str | None, gold: str, partial: bool) -> None:
    assert scorers.what_agrees(predicted, gold) is partial


def labelled_by(label: Any, cases: list[GoldCase]) -> list[BriefRecord]:
    """Records whose figures are every candidate of the number finder, labelled by ``label(mention)``."""
    records = []
    for case in cases:
        text = normalize(case.text(ROOT)).text
        figures = [Figure(value=m.value, raw=m.raw, qualifier=m.qualifier, quote=m.raw, span=(m.start, m.end),
                          quote_span=(m.start, m.end), **label(m))
                   for m in figure_candidates(text, find_numbers(text))]
        records.append(BriefRecord(id=case.id, brief=_brief(figures)))
    return records


def degenerate(m: Any) -> dict[str, Any]:
    """Keeps every candidate and writes 'x' for what, every other label empty."""
    return {"what": "x", "unit": None, "where": None, "period": None, "source": None}


def test_a_degenerate_labeller_scores_badly() -> None:
    run = score_records(labelled_by(degenerate, GOLD), GOLD, ROOT)
    for name in ("seeds", "dev"):
        m = run.sets[name]
        assert m["value_recall"] >= 0.8  # it keeps every candidate: the numbers are all there
        assert m["headline_f1"] <= 0.30 and m["value_what_f1"] == 0.0, (name, m)
        assert m["agreement_where"] == m["agreement_period"] == m["agreement_source"] == 0.0
    baseline = load_summary(ROOT / "evals" / "baseline.json")
    assert not compare(baseline, summarize(run), noise_floor=0.05).passed


def test_a_what_that_keeps_the_whole_sentence_scores_badly() -> None:
    """Every gold figure, its what the sentence it is in: the sentence names the gold's words, but a label is a
    short phrase (before that rule, the pipeline's figures with their sentence for what scored 0.76 headline on
    the development set, ours 0.80)."""
    records = [BriefRecord(id=c.id, brief=_brief([_figure(g, what=g.quote) for g in c.figures
                                                   if g.status in ("required", "optional")])) for c in GOLD]
    for name, m in score_records(records, GOLD, ROOT).sets.items():
        assert m["headline_f1"] < 0.35 and m["precision_what"] < 0.35, (name, m["headline_f1"])
    assert scorers.what_agrees("Fiat share price rise", "rise in Fiat's share price")  # a short phrase agrees


def test_filled_labels_are_scored_by_precision_and_coverage() -> None:
    """Every label empty: nothing wrong, nothing covered. Every cell filled with one guess (the article's
    first place, 'last year', 'officials'): coverage, but precision far below what a labeller must reach."""
    empty = score_records(labelled_by(degenerate, GOLD), GOLD, ROOT).sets["dev"]
    assert all(empty[f"coverage_{k}"] == 0.0 for k in ("unit", "where", "period", "source"))

    def fill_all(m: Any) -> dict[str, Any]:
        return {"what": "x", "unit": "people", "where": "US", "period": "last year", "source": "officials"}

    filled = score_records(labelled_by(fill_all, GOLD), GOLD, ROOT).sets["dev"]
    for k in ("unit", "where", "period", "source"):
        assert filled[f"precision_{k}"] < 0.5, (k, filled[f"precision_{k}"])


def test_a_labeller_that_declines_everything_has_recall_zero() -> None:
    run = score_records([BriefRecord(id=c.id, brief=_brief([])) for c in GOLD], GOLD, ROOT)
    assert run.metrics["value_recall"] == 0.0 and run.metrics["headline_f1"] == 0.0


def test_prose_that_keeps_the_whole_article_does_not_score_for_it() -> None:
    """Key-fact recall reads a brief's length of prose: the whole article as key points scores no more than its
    first PROSE_BUDGET_WORDS words (every fact would be found in it otherwise), and no prose scores 0."""
    whole, lede, empty = [], [], []
    for case in GOLD:
        text = normalize(case.text(ROOT)).text
        words = " ".join(text.split()).split()
        whole.append(scorers.summary(case, _brief([], key_points=text.splitlines()), text).value)
        lede.append(scorers.summary(case, _brief([], summary=" ".join(words[:scorers.PROSE_BUDGET_WORDS])), text).value)
        empty.append(scorers.summary(case, _brief([]), text).value)
    assert whole == lede and sum(whole) / len(whole) < 0.7
    assert sum(empty) == 0.0


def test_a_verbatim_sentence_of_the_article_supports_its_numbers() -> None:
    case = SEEDS[0]
    text = normalize(case.text(ROOT)).text
    sentence = next(f.quote for f in case.figures if f.status == "required")
    own = scorers.summary(case, _brief([], key_points=[sentence]), text).details
    assert own["unsupported"] == 0 and own["supported"] >= 1
    assert scorers.grounding(text, _brief([], key_points=[sentence])).details["invented_count"] == 0


def test_a_number_the_gold_says_is_no_figure_is_no_claim() -> None:
    case = CASE["bbc-tech-160"]  # 'Halo 2' is an ignore in the gold: the 2 is part of a name
    details = scorers.summary(case, _brief([], summary="Halo 2 sold more than five million copies.")).details
    assert details["unsupported"] == 0 and details["supported"] == 1
    wrong = scorers.summary(case, _brief([], summary="Halo 2 sold more than 28 million copies.")).details
    assert wrong["unsupported"] == 1  # 28 million is another fact of the article


def test_a_failed_article_counts_with_recall_zero() -> None:
    case = SEEDS[0]
    good = CaseResult(id=case.id, repeat=0, brief=_as_gold(case), scores={
        "figures": scorers.figures(case, _as_gold(case)).details,
        "grounding": {"grounded_share": 1.0, "invented_count": 0},
        "summary": {"supported": 0, "unsupported": 0, "key_fact_recall": 1.0},
        "operations": {"first_attempt_valid": True, "attempts": 1, "tokens": 0, "latency_s": 0, "cache_hit": False}})
    failed = CaseResult(id=SEEDS[1].id, repeat=0, error="BackendUnavailable: down")
    alone = aggregate([good], [case])
    both = aggregate([good, failed], [case, SEEDS[1]])
    assert alone["headline_recall"] == 1.0 and both["headline_recall"] < 1.0 and both["failed"] == 1


def test_swapped_facts_in_prose_are_unsupported() -> None:
    case = CASE["000_de012dee44d7c730"]
    right = _brief([], summary="Coalition forces killed 44 ISIS elements and detained 166 others.")
    swapped = _brief([], summary="Coalition forces killed 166 ISIS elements and detained 44 others.")
    assert scorers.summary(case, right).details["unsupported"] == 0
    s = scorers.summary(case, swapped).details
    assert s["unsupported"] == 2, s["unsupported_claims"]
    unknown = _brief([], key_points=["ISIS claimed 44 attacks."])
    assert scorers.summary(case, unknown).details["unsupported"] == 1


def test_value_tiers_honour_rounding() -> None:
    seed = CASE["001_2e96ec154b2b9a5d"]
    exact, approx = seed.figures[0], next(f for f in seed.figures if f.qualifier == "approximately")
    assert scorers.value_tier(94, exact) == "exact"
    assert scorers.value_tier(94.3, exact) == "0.5%" and scorers.value_tier(95, exact) is None
    assert scorers.value_tier(2600, approx) == "5%" and scorers.value_tier(2700, approx) is None


def test_invented_numbers_are_counted(settings: Settings) -> None:
    pipeline = build_pipeline(settings, backend=FakeBackend([brief_reply()]))
    brief = pipeline.summarize(SEEDS[0].text(ROOT))
    brief.summary = "They spent $25 billion."
    score = scorers.grounding(pipeline.document(SEEDS[0].text(ROOT)).text, brief)
    assert score.details["invented"] == ["$25 billion"]


def test_eval_cli_run_score_compare_report(settings: Settings, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wirebrief.settings.get_settings", lambda: settings)
    monkeypatch.setattr(common, "pipeline", lambda s: build_pipeline(s, backend=FakeBackend([brief_reply()])))
    runner = CliRunner()
    runs = tmp_path / "runs"
    result = runner.invoke(cli.app, ["eval", "run", "--cases", "seeds", "--runs-dir", str(runs)])
    assert result.exit_code == 0, result.output
    assert "headline F1" in result.output and "seeds" in result.output
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
    assert "<svg" in report.read_text() and "000_de012dee44d7c730" in report.read_text()


def test_eval_score_scores_any_jsonl(tmp_path: Path) -> None:
    case = CASE["bbc-business-026"]
    records = tmp_path / "briefs.jsonl"
    records.write_text(json.dumps({"id": case.id, "brief": _as_gold(case).model_dump(mode="json")}) + "\n"
                       + json.dumps({"id": "bbc-tech-020", "error": {"type": "X", "message": "down"}}) + "\n")
    runner = CliRunner()
    result = runner.invoke(cli.app, ["eval", "score", str(records), "--cases", case.id, "--cases", "bbc-tech-020"])
    assert result.exit_code == 0, result.output
    assert "1.00" in result.output and "down" in result.output
    records.write_text("not json\n")
    bad = runner.invoke(cli.app, ["eval", "score", str(records)])
    assert bad.exit_code == 2 and "not a brief record" in bad.output


@pytest.mark.parametrize(("predicted", "gold", "agrees"), [
    ("2004", "2005", False),  # a period's numbers count: content words alone made any two years agree
    ("last year", "next year", False),
    ("until 2006", "2006", True),
    ("between 2005 and 2008", "2005 to 2008", True),
    ("2004", None, False),  # filled where the gold has none
])
def test_a_period_agrees_only_with_the_same_time(predicted: str, gold: str | None, agrees: bool) -> None:
    assert scorers.field_agrees("period", predicted, gold) is agrees


@pytest.mark.parametrize(("predicted", "gold", "agrees"), [
    ("United States military", "US military (CENTCOM)", True),  # the place in a name, by its alias
    ("UK military", "US military", False),
    ("Ofcom", "US military", False),
    ("Biden", "US President Biden", True),  # a person by the name the gold ends with
    ("President", "US President Biden", False),
    ("US", "US President Biden", False),
])
def test_a_source_names_its_place_by_any_alias(predicted: str, gold: str, agrees: bool) -> None:
    assert scorers.field_agrees("source", predicted, gold) is agrees


@pytest.mark.parametrize(("predicted", "gold", "agrees"), [
    ("Iraq", "Iraq and Syria", False),  # half of a list of places
    ("Iraq and Syria", "Iraq and Syria", True),
    ("Europe and America", "mostly Europe and America", True),
    ("Anbar province", "Anbar province, Iraq", True),  # a place and the country it is in
])
def test_a_place_that_names_part_of_a_list_does_not_agree(predicted: str, gold: str, agrees: bool) -> None:
    assert scorers.field_agrees("where", predicted, gold) is agrees


@pytest.mark.parametrize(("predicted", "gold", "agrees"), [
    ("hole", "security hole", True),  # a counted noun by its head, as NewsQuant's scorer compares them
    ("venture", "joint venture", True),
    ("piece", "piece of baggage", True),
    ("point", "basis points", False),  # a measure's modifier makes another unit
    ("mile", "sq mile", False),
    ("point", "percentage points", False),
    ("vehicle", "pickup", False),
    ("hole", None, False),
])
def test_a_counted_noun_agrees_by_its_head(predicted: str, gold: str | None, agrees: bool) -> None:
    assert scorers.unit_agrees(predicted, gold) is agrees


def test_an_ambiguous_verb_names_no_event() -> None:
    """'held' is detained ('members held in the prison') and kept ('rates held at a low'), 'lost' is cut ('jobs
    lost'), fallen ('lost 2%') or a loss ('lost $5m'): no event of their own."""
    assert scorers.what_agrees("interest rates all-time low", "interest rate held at all-time low")
    assert scorers.what_agrees("jobs loss", "jobs lost")  # 'lost' is cut, fallen or a loss: no event either
    assert not scorers.what_agrees("people killed", "people detained")
