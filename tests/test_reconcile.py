"""The same fact across articles (figures/reconcile.py), its CLI and API, and its scores against the gold."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from tests.conftest import SEEDS, brief_reply, seed_text

from wirebrief.api import create_app
from wirebrief.evals import reconcile as scoring
from wirebrief.figures.reconcile import FactGroup, Source, markdown, reconcile
from wirebrief.llm.fake import FakeBackend
from wirebrief.pipeline import Pipeline
from wirebrief.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "evals" / "reconcile" / "gold"


def _sources(pipeline: Pipeline, gold: dict) -> list[Source]:  # type: ignore[type-arg]
    out = []
    for key, path in gold["articles"].items():
        job = pipeline.prepare((ROOT / path).read_bytes())
        out.append(Source(key, pipeline.run(job).figures, job.doc.text))
    return out


def _gold(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((GOLD / "groups" / f"{name}.json").read_text(encoding="utf-8"))


def _values(g: FactGroup) -> set[float]:
    return {m.value for m in g.members}


def test_seeds_agree_and_differ(pipeline: Pipeline) -> None:
    result = reconcile(_sources(pipeline, _gold("seeds")))
    first = result.groups[0]
    assert first.status == "differs" and _values(first) == {43000, 45000}
    assert {m.article: m.period for m in first.members} == {"002": "H1 2024", "004": "Q1 2024"}
    agreed = {(frozenset(m.article for m in g.members), frozenset(_values(g))) for g in result.groups
              if g.status == "agreed"}
    assert (frozenset({"001", "002", "004"}), frozenset({2500})) in agreed
    for value in (94, 18, 63):
        assert (frozenset({"001", "004"}), frozenset({value})) in agreed
    for value in (196, 44, 166):
        assert (frozenset({"000", "002"}), frozenset({value})) in agreed
    assert [g.status for g in result.groups if len({m.article for m in g.members}) > 1].count("differs") == 1
    table = markdown(result, singles=False)
    assert table.splitlines()[2].startswith("| differs | individuals | More than 43,000 (002, CENTCOM, H1 2024)")


def test_a_revised_toll_is_a_revision_and_outlets_that_differ_differ(pipeline: Pipeline) -> None:
    toll = reconcile(_sources(pipeline, _gold("toll")))
    assert toll.groups[0].status == "revised" and _values(toll.groups[0]) == {1000, 1150}
    results = reconcile(_sources(pipeline, _gold("results")))
    assert results.groups[0].status == "differs" and _values(results.groups[0]) == {305e6, 310e6}


def test_scores_meet_the_targets_and_the_degenerate_reconciler_does_not(pipeline: Pipeline) -> None:
    for name in ("seeds", "results", "toll"):
        gold = _gold(name)
        sources = _sources(pipeline, gold)
        ours = {s.name: s.value for s in scoring.link_scores(gold, sources, scoring.groups_of)}
        assert ours["link_f1"] >= 0.90 and ours["disagreement_recall"] == 1.0 and ours["false_differs"] == 0, name
        bad = {s.name: s.value for s in scoring.link_scores(gold, sources, scoring.degenerate)}
        assert bad["disagreement_recall"] == 0.0 and bad["link_f1"] < 0.85, (name, bad)


def test_arithmetic_checks_against_the_gold(pipeline: Pipeline) -> None:
    from wirebrief.figures.checks import checks

    counts = []
    for gold in scoring.load(GOLD / "checks"):
        job = pipeline.prepare((ROOT / gold["article"]).read_bytes())
        figures = pipeline.run(job).figures
        counts.append(scoring.check_matches(gold, figures, checks(figures, job.doc.text)))
    scores = {s.name: s.value for s in scoring.check_scores(counts)}
    assert scores["check_precision"] >= 0.95 and scores["check_recall"] >= 0.85


def test_api_reconciles_texts_and_brief_ids(settings: Settings) -> None:
    with TestClient(create_app(settings, FakeBackend([brief_reply()]))) as client:
        brief = client.post("/v1/briefs", json={"text": seed_text("002")}).json()["brief"]
        assert [c["kind"] for c in brief["checks"]] == ["sum", "sum", "sum"] and all(c["holds"] for c in
                                                                                   brief["checks"])
        made = brief["brief_id"]
        r = client.post("/v1/reconcile", json={"articles": [{"id": "002", "text": seed_text("002")},
                                                            {"id": "004", "text": seed_text("004")},
                                                            {"brief_id": made}]})
        assert r.status_code == 200, r.text
        first = r.json()["groups"][0]
        assert first["status"] == "differs" and {m["value"] for m in first["members"]} == {43000, 45000}
        assert client.post("/v1/reconcile", json={"articles": [{"text": "x"}]}).status_code == 422
        missing = client.post("/v1/reconcile", json={"articles": [{"text": seed_text("004")},
                                                                  {"brief_id": "b_" + "0" * 24}]})
        assert missing.status_code == 404
        spec = client.get("/openapi.json").json()
        assert "/v1/reconcile" in spec["paths"]
        assert spec["components"]["schemas"]["ReconcileRequest"]["examples"]


def test_cli_reconcile_prints_the_table(fake_cli: FakeBackend) -> None:
    from typer.testing import CliRunner

    from wirebrief.cli import app

    result = CliRunner().invoke(app, ["reconcile", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "| differs | individuals | More than 43,000" in result.output
    lines = CliRunner().invoke(app, ["reconcile", str(SEEDS), "--format", "jsonl"]).output.splitlines()
    assert json.loads(lines[0])["status"] == "differs" and all(json.loads(line)["members"] for line in lines)
