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

from wirebrief.errors import WirebriefError
from wirebrief.evals import scorers
from wirebrief.evals.cases import GoldCase
from wirebrief.pipeline import Pipeline
from wirebrief.schema import SCHEMA_VERSION, Brief


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
    wall_seconds: float


def score_case(case: GoldCase, text: str, brief: Brief) -> dict[str, dict[str, Any]]:
    results = {"figures": scorers.figures(case, brief), "grounding": scorers.grounding(text, brief),
               "summary": scorers.summary(case, brief), "operations": scorers.operations(brief)}
    return {name: {"value": s.value, "explanation": s.explanation, **s.details} for name, s in results.items()}


def aggregate(results: list[CaseResult]) -> dict[str, float]:
    """Micro P/R/F1 over all articles, mean per-article F1, grounding, invented, key facts, operations."""
    ok = [r for r in results if r.brief is not None]
    fig = [r.scores["figures"] for r in ok]
    tp, pred = sum(f["tp"] for f in fig), sum(f["predicted"] for f in fig)
    found, req = sum(f["found"] for f in fig), sum(f["required"] for f in fig)
    precision = tp / pred if pred else 1.0
    recall = found / req if req else 1.0
    n = max(1, len(ok))
    return {
        "articles": float(len(results)), "failed": float(len(results) - len(ok)),
        "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "mean_article_f1": sum(f["f1"] for f in fig) / n,
        "value_accuracy": sum(f["value_accuracy"] for f in fig) / n,
        "magnitude_errors": float(sum(f["magnitude_errors"] for f in fig)),
        "unit_errors": float(sum(len(f["unit_errors"]) for f in fig)),
        "label_agreement": sum(f["label_agreement"] for f in fig) / n,
        "grounded_share": sum(r.scores["grounding"]["grounded_share"] for r in ok) / n,
        "invented": float(sum(r.scores["grounding"]["invented_count"] for r in ok)),
        "key_fact_recall": sum(r.scores["summary"]["key_fact_recall"] for r in ok) / n,
        "first_attempt_valid": sum(r.scores["operations"]["first_attempt_valid"] for r in ok) / n,
        "attempts": float(sum(r.scores["operations"]["attempts"] for r in ok)),
        "tokens": float(sum(r.scores["operations"]["tokens"] for r in ok)),
        "latency_s": sum(r.scores["operations"]["latency_s"] for r in ok),
        "cache_hits": float(sum(r.scores["operations"]["cache_hit"] for r in ok)),
    }


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
    first = next((r.brief for r in results if r.brief), None)
    config = {"schema_version": SCHEMA_VERSION, "repeat": repeat,
              **({k: v for k, v in first.meta.model_dump().items() if k in (
                  "backend", "model", "model_fingerprint", "prompt_id", "prompt_version", "prompt_hash")}
                 if first else {}),
              "temperature": pipeline.settings.temperature, "reasks": pipeline.settings.reasks}
    created = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    digest = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:8]
    return RunRecord(run_id=f"{created}-{digest}", created=created, config=config, cases=results,
                     metrics=aggregate(results), wall_seconds=time.perf_counter() - started)


def save_run(run: RunRecord, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{run.run_id}.json"
    path.write_text(run.model_dump_json(indent=1))
    return path


def load_run(path: Path) -> RunRecord:
    return RunRecord.model_validate_json(path.read_text())
