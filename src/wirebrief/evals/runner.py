"""An eval run: every case through the pipeline, every scorer on every brief, one JSON record."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from wirebrief.brief.schema import SCHEMA_VERSION, Brief, BriefRecord
from wirebrief.errors import WirebriefError
from wirebrief.evals import scorers
from wirebrief.evals.cases import GoldCase
from wirebrief.pipeline import Pipeline
from wirebrief.text.normalize import normalize


class CaseResult(BaseModel):
    id: str
    repeat: int
    brief: Brief | None = None
    error: str | None = None
    scores: dict[str, dict[str, Any]] = {}


class RunRecord(BaseModel):
    run_id: str
    created: str
    config: dict[str, Any]
    cases: list[CaseResult]
    metrics: dict[str, float]
    sets: dict[str, dict[str, float]] = {}
    wall_seconds: float


def score_case(case: GoldCase, text: str, brief: Brief) -> dict[str, dict[str, Any]]:
    results = {"figures": scorers.figures(case, brief), "grounding": scorers.grounding(text, brief),
               "summary": scorers.summary(case, brief, text), "operations": scorers.operations(brief)}
    return {name: {"value": s.value, "explanation": s.explanation, **s.details} for name, s in results.items()}


def aggregate(results: list[CaseResult], cases: list[GoldCase] | None = None) -> dict[str, float]:
    """Micro P/R/F1 per tier over all articles (a failed article counts: its required figures are missed), mean
    per-article headline F1, label agreement, grounding, invented numbers, prose claims, key facts, operations."""
    ok = [r for r in results if r.brief is not None]
    failed = [r for r in results if r.brief is None]
    required_of = {c.id: sum(1 for f in c.figures if f.status == "required") for c in cases or []}
    fig = [r.scores["figures"] for r in ok]
    missed_required = sum(required_of.get(r.id, 0) for r in failed)
    required = sum(f["required"] for f in fig) + missed_required
    predicted = sum(f["predicted"] for f in fig)
    metrics: dict[str, float] = {"articles": float(len(results)), "failed": float(len(failed))}
    for tier in scorers.TIERS:
        tp_p = sum(f["tiers"][tier]["tp_p"] for f in fig)
        tp_r = sum(f["tiers"][tier]["tp_r"] for f in fig)
        for name, value in scorers.prf(tp_p, predicted, tp_r, required).items():
            metrics[f"{tier}_{name}"] = value
    n, n_all = max(1, len(ok)), max(1, len(results))
    fields = {k: {c: sum(f["fields"][k][c] for f in fig if k in f["fields"]) for c in ("tp", "pred", "gold")}
              for k in scorers.LABEL_FIELDS}
    agreement = {k: scorers.agreement_f1(fields[k]) for k in scorers.SCOPE_FIELDS}
    metrics.update({
        "f1": metrics["headline_f1"], "precision": metrics["headline_precision"],
        "recall": metrics["headline_recall"],
        "mean_article_f1": sum(f["f1"] for f in fig) / n_all,
        **{f"agreement_{k}": v for k, v in agreement.items()},
        "label_agreement": sum(agreement.values()) / len(agreement),
        **{f"precision_{k}": scorers.filled_precision(c) for k, c in fields.items()},
        **{f"coverage_{k}": scorers.coverage(c) for k, c in fields.items()},
        "grounded_share": sum(r.scores["grounding"]["grounded_share"] for r in ok) / n,
        "invented": float(sum(r.scores["grounding"]["invented_count"] for r in ok)),
        "prose_supported": float(sum(r.scores["summary"]["supported"] for r in ok)),
        "prose_unsupported": float(sum(r.scores["summary"]["unsupported"] for r in ok)),
        "key_fact_recall": sum(r.scores["summary"]["key_fact_recall"] for r in ok) / n_all,
        "first_attempt_valid": sum(r.scores["operations"]["first_attempt_valid"] for r in ok) / n,
        "attempts": float(sum(r.scores["operations"]["attempts"] for r in ok)),
        "tokens": float(sum(r.scores["operations"]["tokens"] for r in ok)),
        "latency_s": sum(r.scores["operations"]["latency_s"] for r in ok),
        "cache_hits": float(sum(r.scores["operations"]["cache_hit"] for r in ok)),
    })
    return metrics


def by_set(results: list[CaseResult], cases: list[GoldCase]) -> dict[str, dict[str, float]]:
    """The metrics of each gold set (seeds, dev) apart, and of all together."""
    set_of = {c.id: c.set for c in cases}
    sets = sorted({c.set for c in cases})
    out = {name: aggregate([r for r in results if set_of.get(r.id) == name], [c for c in cases if c.set == name])
           for name in sets}
    if len(sets) > 1:
        out["all"] = aggregate(results, cases)
    return out


def run_eval(pipeline: Pipeline, cases: list[GoldCase], root: Path, *, repeat: int = 1, use_cache: bool = True,
             prompt_id: str | None = None, progress: Callable[[str], None] | None = None) -> RunRecord:
    """Repeats after the first bypass the cache (they measure the noise floor); the first uses it."""
    started = time.perf_counter()
    results: list[CaseResult] = []
    for k in range(repeat):
        for case in cases:
            text = case.text(root)
            try:
                job = pipeline.prepare(text, prompt_id=prompt_id)
                brief = pipeline.run(job, read_cache=use_cache and k == 0, write_cache=use_cache)
                scores = score_case(case, job.doc.text, brief)
                results.append(CaseResult(id=case.id, repeat=k, brief=brief, scores=scores))
            except WirebriefError as exc:
                results.append(CaseResult(id=case.id, repeat=k, error=f"{type(exc).__name__}: {exc.message}"))
            if progress:
                progress(case.id)
    config = {"repeat": repeat, "temperature": pipeline.settings.temperature, "reasks": pipeline.settings.reasks}
    return finish_run(results, cases, config, started)


def score_records(records: list[BriefRecord], cases: list[GoldCase], root: Path) -> RunRecord:
    """Score briefs made by anything (the CLI's JSONL records) against the gold. A case with no record, or an
    error record, counts as failed: its required figures are missed."""
    started = time.perf_counter()
    by_id = {r.id: r for r in records}
    results = []
    for case in cases:
        record = by_id.get(case.id) or by_id.get(Path(case.article).stem)
        if record is None or record.brief is None:
            error = record.error.message if record and record.error else "no record for this case"
            results.append(CaseResult(id=case.id, repeat=0, error=error))
            continue
        text = normalize(case.text(root)).text
        results.append(CaseResult(id=case.id, repeat=0, brief=record.brief,
                                  scores=score_case(case, text, record.brief)))
    return finish_run(results, cases, {"repeat": 1, "scored": "records"}, started)


def finish_run(results: list[CaseResult], cases: list[GoldCase], config: dict[str, Any],
               started: float) -> RunRecord:
    first = next((r.brief for r in results if r.brief), None)
    config = {"schema_version": SCHEMA_VERSION, "cases": [c.id for c in cases], **config,
              **({k: v for k, v in first.meta.model_dump().items() if k in (
                  "backend", "model", "model_fingerprint", "prompt_id", "prompt_version", "prompt_hash")}
                 if first else {})}
    created = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:8]
    return RunRecord(run_id=f"{created}-{digest}", created=created, config=config, cases=results,
                     metrics=aggregate(results, cases), sets=by_set(results, cases),
                     wall_seconds=time.perf_counter() - started)


def save_run(run: RunRecord, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{run.run_id}.json"
    path.write_text(run.model_dump_json(indent=1))
    return path


def load_run(path: Path) -> RunRecord:
    return RunRecord.model_validate_json(path.read_text())
