"""`wirebrief eval …`: run, score, compare, report and baseline the evals; check gold records; the finder yardstick.

Thin like the rest of the CLI: parse, call `wirebrief.evals`, print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from wirebrief.cli import common
from wirebrief.errors import WirebriefError

if TYPE_CHECKING:
    from wirebrief.evals.cases import GoldCase
    from wirebrief.evals.runner import RunRecord

eval_app = typer.Typer(help="Score briefs against the hand-labelled gold records; gate prompt changes.",
                       no_args_is_help=True)
ROOT = Path(__file__).resolve().parents[3]
GOLD = ROOT / "evals" / "gold"
YARDSTICK = ROOT / "evals" / "yardsticks" / "recognizers-text"
NEWSQUANT = ROOT / "evals" / "yardsticks" / "newsquant-dev" / "NewsQuant-dev.json"
err, out = common.err, common.out


CasesOption = Annotated[list[str] | None, typer.Option(
    "--cases", help="Gold sets or case ids to run (seeds, dev, bbc-tech-020); repeatable. Default: all.")]
GoldOption = Annotated[Path, typer.Option("--gold", help="Folder of gold records (one sub-folder per set).")]


@eval_app.command("run")
def eval_run(
    cases: CasesOption = None,
    gold_dir: GoldOption = GOLD,
    prompt: Annotated[str | None, typer.Option(help="Prompt id to evaluate.")] = None,
    backend: Annotated[str | None, typer.Option(help="embedded or openai.")] = None,
    model: Annotated[str | None, typer.Option(help="GGUF path (embedded) or model name (openai).")] = None,
    repeat: Annotated[int, typer.Option(min=1, help="Runs of every case; repeats bypass the cache (noise).")] = 1,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute every brief.")] = False,
    runs_dir: Annotated[Path, typer.Option(help="Where run records go.")] = ROOT / "evals" / "runs",
    labels: Annotated[str | None, typer.Option(help="rules, model or auto (WIREBRIEF_LABELS): who writes each "
                                               "figure's what.")] = None,
) -> None:
    """Run the pipeline over the gold cases, score every brief, save a run record, print the tables."""
    from wirebrief import settings as config
    from wirebrief.evals.runner import run_eval, save_run

    updates: dict[str, object] = {"labels": labels} if labels else {}
    if backend:
        updates["backend"] = backend
    if model:
        updates["openai_model" if (backend or config.get_settings().backend) == "openai" else "model_path"] = model
    settings = config.get_settings().model_copy(update=updates)
    gold = _load_gold(gold_dir, cases)
    try:
        pipeline = common.pipeline(settings)
    except WirebriefError as exc:
        raise common.fail(exc) from None
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err) as progress:
        task = progress.add_task("evaluating", total=len(gold) * repeat)
        run = run_eval(pipeline, gold, ROOT, repeat=repeat, use_cache=not no_cache, prompt_id=prompt,
                       progress=lambda _: progress.advance(task))
    _print_run(run)
    out.print(f"run record: {save_run(run, runs_dir)} (wall {run.wall_seconds:.1f} s)")


@eval_app.command("score")
def eval_score(
    briefs: Annotated[Path, typer.Argument(help="JSONL of brief records ({id, brief} or {id, error}), from anything.")],
    cases: CasesOption = None,
    gold_dir: GoldOption = GOLD,
    runs_dir: Annotated[Path | None, typer.Option(help="Also save the run record here.")] = None,
) -> None:
    """Score briefs made by any system (wirebrief's JSONL or a hand-edited file) against the gold. Records are
    matched to cases by id (or the article's file stem); a case without a record counts as failed."""
    from pydantic import ValidationError

    from wirebrief.brief.schema import BriefRecord
    from wirebrief.evals.runner import save_run, score_records

    gold = _load_gold(gold_dir, cases)
    records = []
    try:
        lines = briefs.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read {briefs}: {exc}") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(BriefRecord.model_validate_json(line))
        except ValidationError as exc:
            raise typer.BadParameter(f"{briefs}:{n} is not a brief record: {exc.errors()[0]['msg']}") from None
    run = score_records(records, gold, ROOT)
    _print_run(run)
    if runs_dir:
        out.print(f"run record: {save_run(run, runs_dir)}")


def _load_gold(directory: Path, select: list[str] | None) -> list[GoldCase]:
    from wirebrief.evals.cases import load_cases

    try:
        return load_cases(directory, select)
    except FileNotFoundError as exc:
        hint = "" if (ROOT / "evals" / "gold").is_dir() else (
            " (the gold records live in a source checkout of wirebrief: run from one, or pass --gold)")
        raise typer.BadParameter(f"{exc}{hint}") from None


SET_COLUMNS = (("value F1", "value_f1"), ("+unit F1", "value_unit_f1"), ("+what F1", "value_what_f1"),
               ("+what complete", "value_what_complete_f1"), ("headline P", "headline_precision"),
               ("headline R", "headline_recall"), ("headline F1", "headline_f1"), ("where", "agreement_where"),
               ("period", "agreement_period"), ("source", "agreement_source"),
               *((f"{k} precision / coverage", f"precision_{k}") for k in ("unit", "what", "where", "period",
                                                                          "source")),
               ("invented", "invented"),
               ("unsupported", "prose_unsupported"), ("key facts", "key_fact_recall"), ("failed", "failed"))
"""The tier table: F1 per tier (micro), label agreement among matched required figures, prose checks."""


def _print_run(run: RunRecord) -> None:
    table = Table("article", "headline P", "R", "F1", "value F1", "+unit", "+what", "extra", "unsupported",
                  "key facts", "s")
    for r in run.cases:
        if r.brief is None:
            table.add_row(r.id, "-", "-", "0.00", "-", "-", "-", "-", "-", "-", r.error or "")
            continue
        f, sm, op = r.scores["figures"], r.scores["summary"], r.scores["operations"]
        t = f["tiers"]
        table.add_row(r.id, *(f"{t['headline'][k]:.2f}" for k in ("precision", "recall", "f1")),
                      *(f"{t[k]['f1']:.2f}" for k in ("value", "value_unit", "value_what")), str(len(f["extra"])),
                      str(sm["unsupported"]), f"{sm['key_fact_recall']:.2f}", f"{op['latency_s']:.1f}")
    out.print(table)
    sets = run.sets or {"all": run.metrics}
    summary = Table("metric (micro)", *sets)
    for label, key in SET_COLUMNS:
        summary.add_row(label, *(_cell(key, m.get(key, 0.0), m) for m in sets.values()))
    out.print(summary)


def _cell(key: str, value: float, metrics: dict[str, float]) -> str:
    if key.startswith("precision_"):
        return f"{value:.2f} / {metrics.get(key.replace('precision_', 'coverage_'), 0.0):.2f}"
    return f"{value:.0f}" if key in ("invented", "prose_unsupported", "failed") else f"{value:.2f}"


def _thresholds(pairs: list[str]) -> dict[str, float]:
    try:
        return {k: float(v) for k, v in (p.split("=", 1) for p in pairs)}
    except ValueError:
        raise typer.BadParameter("use METRIC=VALUE, e.g. --fail-under recall=0.95") from None


@eval_app.command("compare")
def eval_compare(
    base: Annotated[Path, typer.Argument(help="Baseline: a run record or evals/baseline.json.")],
    cand: Annotated[Path, typer.Argument(help="Candidate run record.")],
    fail_under: Annotated[list[str] | None, typer.Option(help="METRIC=VALUE absolute gate; repeatable.")] = None,
    noise: Annotated[float | None, typer.Option(help="Override the noise floor for the F1 delta.")] = None,
) -> None:
    """Paired per-article F1 deltas, a bootstrap 95% interval, flipped figures; exit 1 on a regression."""
    from wirebrief.evals.compare import compare, load_summary

    result = compare(load_summary(base), load_summary(cand), noise_floor=noise,
                     fail_under=_thresholds(fail_under or []))
    table = Table("article", "ΔF1")
    for case_id, delta in result.deltas.items():
        table.add_row(case_id, f"{delta:+.3f}")
    out.print(table)
    out.print(f"mean ΔF1 {result.mean_delta:+.3f}, 95% CI [{result.interval[0]:+.3f}, {result.interval[1]:+.3f}], "
              f"noise floor {result.noise_floor:.3f}")
    out.print(f"correct → wrong: {result.flips_bad or 'none'}\nwrong → correct: {result.flips_good or 'none'}")
    if not result.passed:
        for failure in result.failures:
            err.print(f"[red]regression:[/] {failure}")
        raise typer.Exit(1)
    out.print("[green]no regression[/]")


@eval_app.command("report")
def eval_report(
    run_path: Annotated[Path, typer.Argument(help="A run record.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path("report.html"),
    baseline: Annotated[Path | None, typer.Option(help="A run record to show beside this one.")] = None,
    gold_dir: GoldOption = GOLD,
) -> None:
    """One self-contained HTML report: highlighted figures per article, a table, a chart of recent runs."""
    from wirebrief.evals.cases import load_cases
    from wirebrief.evals.report import render
    from wirebrief.evals.runner import load_run

    run = load_run(run_path)
    history = sorted((load_run(p) for p in run_path.parent.glob("*.json")), key=lambda r: r.created)[-8:]
    html = render(run, load_cases(gold_dir), ROOT, history or [run], load_run(baseline) if baseline else None)
    output.write_text(html, encoding="utf-8")
    out.print(f"wrote {output} ({len(html):,} bytes)")


@eval_app.command("baseline")
def eval_baseline(
    run_path: Annotated[Path, typer.Argument(help="A run record (use --repeat 2 to measure the noise floor).")],
    output: Annotated[Path, typer.Option("-o", "--output")] = ROOT / "evals" / "baseline.json",
) -> None:
    """Write the committed baseline summary that CI gates against."""
    from wirebrief.evals.compare import measure_noise, summarize
    from wirebrief.evals.runner import load_run

    run = load_run(run_path)
    output.write_text(json.dumps(summarize(run, measure_noise(run)), indent=1) + "\n")
    out.print(f"wrote {output}")


@eval_app.command("check-gold")
def eval_check_gold(
    files: Annotated[list[Path], typer.Argument(help="Gold records (JSON) to check.")],
    write: Annotated[bool, typer.Option("--write", help="Fill missing spans from quote+raw and save.")] = False,
) -> None:
    """Check gold records against their articles: quote verbatim, raw inside it, span on raw; --write fills spans."""
    from wirebrief.evals.cases import place_spans
    from wirebrief.text.normalize import normalize

    bad = 0
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        article = ROOT / data.get("article", "")
        if not article.is_file():
            err.print(f"[red]{path}[/]: article {article} not found")
            bad += 1
            continue
        problems = place_spans(data, normalize(article.read_text(encoding="utf-8")).text)
        for problem in problems:
            err.print(f"[red]{path}[/]: {problem}")
        bad += bool(problems)
        if write and not problems:
            path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        if not problems:
            out.print(f"{path}: ok ({len(data['figures'])} figures, {len(data['key_facts'])} key facts)")
    if bad:
        raise typer.Exit(1)


@eval_app.command("finder")
def eval_finder(
    specs: Annotated[Path, typer.Option(help="Folder of Recognizers-Text spec files.")] = YARDSTICK,
    write_baseline: Annotated[Path | None, typer.Option(help="Save the scores as the baseline CI gates on.")] = None,
    misses: Annotated[int, typer.Option(help="Show this many misses and spurious mentions per file.")] = 0,
) -> None:
    """The number finder on Microsoft Recognizers-Text's English specs: value P/R/F1 and value+unit F1 per file."""
    from wirebrief.evals.finder import score_all

    scores = score_all(specs)
    if not scores:
        raise typer.BadParameter(f"no spec files in {specs}")
    table = Table("file", "expected", "found", "P", "R", "value F1", "value+unit F1")
    for s in scores:
        r = s.row()
        unit = "-" if r["value_unit_f1"] is None else f"{r['value_unit_f1']:.3f}"
        table.add_row(r["file"], str(r["expected"]), str(r["predicted"]), f"{r['precision']:.3f}",
                      f"{r['recall']:.3f}", f"{r['value_f1']:.3f}", unit)
    out.print(table)
    for s in scores if misses else []:
        out.print(f"[bold]{s.name}[/] missed: {(s.misses or [])[:misses]}\n  spurious: {(s.spurious or [])[:misses]}")
    if write_baseline:
        write_baseline.write_text(json.dumps({s.name: s.row() for s in scores}, indent=1) + "\n")
        out.print(f"wrote {write_baseline}")


@eval_app.command("newsquant")
def eval_newsquant(
    data: Annotated[Path, typer.Option(help="NewsQuant JSON (CQE's format).")] = NEWSQUANT,
    misses: Annotated[int, typer.Option(help="Show this many misses, spurious and mislabelled per tier.")] = 0,
    write_baseline: Annotated[Path | None, typer.Option(help="Save the F1s as the baseline CI gates on.")] = None,
    labels: Annotated[str, typer.Option(help="rules, or model: the configured backend (WIREBRIEF_BACKEND) writes "
                                        "the labels.")] = "rules",
) -> None:
    """The labels on NewsQuant's news sentences (CQE's matching rules): value, +unit, +change, +concept P/R/F1,
    beside CQE's and GPT-3's published F1. The fake model writes the prose; figures and labels are the pipeline's
    (with --labels model, the labelling step runs on the configured backend)."""
    from wirebrief.evals.newsquant import PUBLISHED, TIERS, load, score
    from wirebrief.llm import make_backend
    from wirebrief.llm.fake import FakeBackend, brief_reply
    from wirebrief.pipeline import Pipeline

    if labels not in ("rules", "model"):
        raise typer.BadParameter("--labels is rules or model")
    settings = common.get_settings().model_copy(update={"cache_enabled": False, "labels": labels})
    try:
        labeller = make_backend(settings) if labels == "model" else None
    except WirebriefError as exc:
        raise common.fail(exc) from None
    pipeline = Pipeline(settings=settings, backend=FakeBackend([brief_reply()]), label_backend=labeller)
    counts = score(load(data), lambda text: pipeline.summarize(text, read_cache=False, write_cache=False).figures)
    table = Table("tier", "P", "R", "F1", *(f"{name} F1" for name in PUBLISHED))
    scores = counts.table()
    for tier in TIERS:
        s = scores[tier]
        table.add_row(tier, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}",
                      *(f"{PUBLISHED[name][tier]:.3f}" for name in PUBLISHED))
    out.print(table)
    out.print(f"{counts.gold} gold quantities, {counts.predicted} predicted")
    if misses:
        out.print("[bold]missed[/]", counts.misses[:misses], "[bold]spurious[/]", counts.spurious[:misses])
        for tier, wrong in counts.wrong.items():
            out.print(f"[bold]{tier} wrong[/]", wrong[:misses])
    if write_baseline:
        write_baseline.write_text(json.dumps({t: round(scores[t]["f1"], 4) for t in TIERS}, indent=1) + "\n")
        out.print(f"wrote {write_baseline}")


@eval_app.command("reconcile")
def eval_reconcile(
    gold_dir: Annotated[Path, typer.Option("--gold", help="evals/reconcile/gold: groups/ and checks/.")] = (
        ROOT / "evals" / "reconcile" / "gold"),
    model: Annotated[bool, typer.Option("--model/--no-model", help="Run the model for headlines too (figures, "
                                        "checks and groups come from code either way).")] = False,
) -> None:
    """Same-fact links across articles and arithmetic checks inside them, against the hand-labelled gold; the
    degenerate reconciler (every figure of one value and unit linked) scored alongside."""
    from wirebrief.cli.reconcile import _pipeline, sources_of
    from wirebrief.evals import reconcile as scoring
    from wirebrief.figures.checks import checks

    pipeline = _pipeline(common.get_settings(), no_model=not model)
    table = Table("set", "reconciler", "link P", "link R", "link F1", "disagreement R", "false differs")
    for gold in scoring.load(gold_dir / "groups"):
        sources = []
        for key, path in gold["articles"].items():
            source = sources_of(ROOT / path, pipeline)[0]
            sources.append(type(source)(key, source.figures, source.text))
        for name, reconciler in (("wirebrief", scoring.groups_of), ("degenerate", scoring.degenerate)):
            s = {x.name: x.value for x in scoring.link_scores(gold, sources, reconciler)}
            table.add_row(gold["id"], name, *(f"{s[k]:.2f}" for k in ("link_precision", "link_recall", "link_f1",
                                                                     "disagreement_recall")),
                          f"{s['false_differs']:.0f}")
    out.print(table)
    counts = []
    for gold in scoring.load(gold_dir / "checks"):
        source = sources_of(ROOT / gold["article"], pipeline)[0]
        counts.append(scoring.check_matches(gold, source.figures, checks(source.figures, source.text)))
    for score in scoring.check_scores(counts):
        out.print(f"{score.name}: {score.value:.2f} ({score.explanation})")
