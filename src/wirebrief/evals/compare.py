"""Compare two runs (or a run and the committed baseline summary): paired deltas, a bootstrap interval,
flipped figures, and a gate."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wirebrief.evals.runner import RunRecord


def summarize(run: RunRecord, noise_floor: float = 0.0) -> dict[str, Any]:
    """The comparable core of a run: metrics (all cases and per gold set), and per article the headline F1, the
    gold figures it got right, invented numbers and unsupported prose claims."""
    per_case: dict[str, Any] = {}
    for r in run.cases:
        if r.repeat != 0:
            continue
        if r.brief is None:
            per_case[r.id] = {"f1": 0.0, "matched_gold": [], "invented": 0, "unsupported": 0, "error": r.error}
            continue
        per_case[r.id] = {"f1": r.scores["figures"]["f1"], "matched_gold": r.scores["figures"]["matched_gold"],
                          "invented": r.scores["grounding"]["invented_count"],
                          "unsupported": r.scores["summary"]["unsupported"]}
    return {"run_id": run.run_id, "config": run.config, "metrics": run.metrics, "sets": run.sets, "per_case": per_case,
            "noise_floor": noise_floor}


def measure_noise(run: RunRecord) -> float:
    """Largest per-article F1 spread across the run's repeats: what changes with nothing changed."""
    spread: dict[str, list[float]] = {}
    for r in run.cases:
        if r.brief is not None:
            spread.setdefault(r.id, []).append(r.scores["figures"]["f1"])
    return max((max(v) - min(v) for v in spread.values() if len(v) > 1), default=0.0)


def load_summary(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text())
    if "per_case" in data:
        return dict(data)
    run = RunRecord.model_validate(data)
    return summarize(run, measure_noise(run))


@dataclass
class Comparison:
    deltas: dict[str, float]
    mean_delta: float
    interval: tuple[float, float]
    flips_bad: list[str]
    flips_good: list[str]
    noise_floor: float
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def compare(base: dict[str, Any], cand: dict[str, Any], *, noise_floor: float | None = None,
            fail_under: dict[str, float] | None = None, samples: int = 2000,
            unsupported_slack: int = 0) -> Comparison:
    """``unsupported_slack``: prose claims the candidate may add over the baseline (the model's prose varies
    across machines even at temperature 0; figures, from code, do not)."""
    ids = sorted(set(base["per_case"]) & set(cand["per_case"]))
    deltas = {i: cand["per_case"][i]["f1"] - base["per_case"][i]["f1"] for i in ids}
    mean = sum(deltas.values()) / len(deltas) if deltas else 0.0
    rng = random.Random(0)
    boot = sorted(sum(deltas[rng.choice(ids)] for _ in ids) / len(ids) for _ in range(samples)) if ids else [0.0]
    interval = (boot[int(0.025 * len(boot))], boot[int(0.975 * len(boot)) - 1])
    bad, good = [], []
    for i in ids:
        before, after = set(base["per_case"][i]["matched_gold"]), set(cand["per_case"][i]["matched_gold"])
        bad += [f"{i}#{g}" for g in sorted(before - after)]
        good += [f"{i}#{g}" for g in sorted(after - before)]
    floor = noise_floor if noise_floor is not None else max(0.02, float(base.get("noise_floor", 0.0)))
    result = Comparison(deltas, mean, interval, bad, good, floor)
    if mean < -floor:
        result.failures.append(f"mean F1 fell by {-mean:.3f}, beyond the noise floor {floor:.3f}")
    invented = sum(c["invented"] for c in cand["per_case"].values())
    if invented > 0:
        result.failures.append(f"{invented} invented number(s) in the candidate")
    unsupported = {k: sum(run["per_case"][i].get("unsupported", 0) for i in ids) for k, run in (("base", base),
                                                                                              ("cand", cand))}
    if unsupported["cand"] > unsupported["base"] + unsupported_slack:
        result.failures.append(f"{unsupported['cand']} unsupported prose claim(s), the baseline has "
                               f"{unsupported['base']}")
    for metric, minimum in (fail_under or {}).items():
        value = cand["metrics"].get(metric)
        if value is None or value < minimum:
            result.failures.append(f"{metric}={value} is under {minimum}")
    return result
