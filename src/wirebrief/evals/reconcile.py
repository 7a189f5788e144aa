"""Scores for figures that check each other: same-fact links across articles, the gold's disagreements, and the
arithmetic checks inside one article, against the hand-labelled gold of ``evals/reconcile/gold/``.

A gold member is (article, raw, a piece of its sentence); a predicted figure is that member when its quote holds
the piece and its raw the gold's raw (case aside). Links are pairs of figures of different articles in one group.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from wirebrief.brief.schema import Check, Figure
from wirebrief.figures.reconcile import FactGroup, Source, reconcile

Key = tuple[str, int]
"""(article, figure index)"""
Reconciler = Callable[[Sequence[Source]], list[FactGroup]]


@dataclass(frozen=True)
class Score:
    name: str
    value: float
    explanation: str


def _find(figures: Sequence[Figure], member: dict[str, Any]) -> int | None:
    for i, f in enumerate(figures):
        if member["sentence"] in f.quote and member["raw"].lower() in f.raw.lower():
            return i
    return None


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def link_scores(gold: dict[str, Any], sources: Sequence[Source], reconciler: Reconciler) -> list[Score]:
    """Pairwise precision/recall/F1 of same-fact links; recall of gold disagreements (differs or revised); false
    'differs' on the gold's agreeing facts."""
    figures = {s.id: s.figures for s in sources}
    gold_groups = [[(str(m["article"]), _find(figures[m["article"]], m)) for m in g["members"]]
                   for g in gold["groups"]]
    gold_links = {frozenset(p) for g in gold_groups for p in combinations(g, 2) if p[0][0] != p[1][0]}
    groups = reconciler(sources)
    predicted = [_first_mentions(g) for g in groups]
    links = {frozenset(p) for g in predicted for p in combinations(g, 2) if p[0][0] != p[1][0]}
    hit = len(links & gold_links)
    p = hit / len(links) if links else 1.0
    r = hit / len(gold_links) if gold_links else 1.0
    status: dict[tuple[str, int | None], str] = {(m.article, m.figure): g.status for g in groups
                                                 for m in g.members}
    disagreements = [g for g, spec in zip(gold_groups, gold["groups"], strict=True) if spec["status"] != "agreed"]
    found = sum(all(status.get(k) in ("differs", "revised") for k in g if k[1] is not None) and None not in
                {k[1] for k in g} for g in disagreements)
    agreed = [g for g, spec in zip(gold_groups, gold["groups"], strict=True) if spec["status"] == "agreed"]
    false = sum(any(status.get(k) == "differs" for k in g) for g in agreed)
    return [Score("link_precision", p, f"{hit} of {len(links)} predicted links are gold"),
            Score("link_recall", r, f"{hit} of {len(gold_links)} gold links found"),
            Score("link_f1", _f1(p, r), "harmonic mean of link precision and recall"),
            Score("disagreement_recall", found / len(disagreements) if disagreements else 1.0,
                  f"{found} of {len(disagreements)} gold differences/revisions found as such"),
            Score("false_differs", float(false), f"{false} of {len(agreed)} agreeing gold facts called 'differs'")]


def _first_mentions(group: FactGroup) -> list[Key]:
    """A group's figures, a restatement (same article, same value) counted once, as its first mention: the gold
    labels one figure per fact and article."""
    seen: dict[tuple[str, float], int] = {}
    for m in group.members:
        key = (m.article, m.value)
        seen[key] = min(seen.get(key, m.figure), m.figure)
    return [(article, index) for (article, _), index in seen.items()]


def check_matches(gold: dict[str, Any], figures: Sequence[Figure], found: Sequence[Check]) -> tuple[int, int, int]:
    """(predicted, gold, matched): a match has the kind, the same figures and the same verdict."""
    wanted = {(c["kind"], frozenset(_find(figures, m) for m in c["figures"]), c["holds"]) for c in gold["checks"]}
    made = {(c.kind, frozenset(c.figures), c.holds) for c in found}
    return len(made), len(wanted), len(made & wanted)


def check_scores(counts: Sequence[tuple[int, int, int]]) -> list[Score]:
    made, wanted, hit = (sum(c[i] for c in counts) for i in range(3))
    p, r = (hit / made if made else 1.0), (hit / wanted if wanted else 1.0)
    return [Score("check_precision", p, f"{hit} of {made} checks made are gold (kind, figures, verdict)"),
            Score("check_recall", r, f"{hit} of {wanted} gold checks made"),
            Score("check_f1", _f1(p, r), "harmonic mean")]


def degenerate(sources: Sequence[Source]) -> list[FactGroup]:
    """A reconciler that links every figure of one value and unit, whatever it counts: it must score badly."""
    result = reconcile(sources)
    by_value: dict[tuple[float, str | None], list[Any]] = {}
    for g in result.groups:
        for m in g.members:
            unit = next(s.figures[m.figure].unit for s in sources if s.id == m.article)
            by_value.setdefault((m.value, unit), []).append(m)
    return [FactGroup(fact="same value", status="agreed", members=ms) for ms in by_value.values()]


def load(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def groups_of(sources: Sequence[Source]) -> list[FactGroup]:
    return reconcile(sources).groups
