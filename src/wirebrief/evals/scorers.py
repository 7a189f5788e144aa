"""Scorers: small pure functions from (gold, brief, text) to a Score with an explanation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from wirebrief.evals.cases import GoldCase, GoldFigure
from wirebrief.numbers import find_numbers, same_value, unverified_numbers
from wirebrief.schema import Brief, Figure

_WORD = re.compile(r"[a-z]+")
_STOP = {"the", "of", "and", "in", "a", "an", "to", "by", "for", "on", "at", "from", "with", "s"}


@dataclass
class Score:
    value: float
    explanation: str
    details: dict[str, Any] = field(default_factory=dict)


def value_tier(predicted: float, gold: GoldFigure) -> str | None:
    """'exact', '0.5%', '1%' or '5%' (the last two only when the gold is itself approximate), else None."""
    if same_value(predicted, gold.value):
        return "exact"
    rel = abs(predicted - gold.value) / max(abs(gold.value), 1e-9)
    approximate = gold.qualifier != "exact"
    for tier, limit in (("0.5%", 0.005), ("1%", 0.01), ("5%", 0.05)):
        if rel <= limit and (tier == "0.5%" or approximate):
            return tier
    return None


LABEL_FIELDS = ("unit", "what", "where", "period", "source")


def _words(*parts: str | None) -> set[str]:
    return {w for part in parts if part for w in _WORD.findall(part.lower()) if w not in _STOP}


def _jaccard(a: set[str], b: set[str], empty: float) -> float:
    return len(a & b) / len(a | b) if a | b else empty


def label_similarity(p: Figure, g: GoldFigure) -> float:
    """Token overlap (Jaccard) of what/where/period."""
    return _jaccard(_words(p.what, p.where, p.period), _words(g.what, g.where, g.period), empty=0.0)


def field_agreement(p: Figure, g: GoldFigure) -> dict[str, float]:
    """Per label field, token overlap (Jaccard) with the gold; both empty counts as agreement."""
    return {name: _jaccard(_words(getattr(p, name)), _words(getattr(g, name)), empty=1.0) for name in LABEL_FIELDS}


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_figures(gold: list[GoldFigure], predicted: list[Figure]) -> list[tuple[int, int]]:
    """Maximum bipartite matching (Kuhn) of predicted to gold; an edge needs the value within tolerance and
    the same place in the text or similar labels. Candidates are tried best-first."""
    edges: dict[int, list[int]] = {}
    for pi, p in enumerate(predicted):
        scored = []
        for gi, g in enumerate(gold):
            tier = value_tier(p.value, g)
            if tier is None:
                continue
            sim = label_similarity(p, g)
            same_place = _overlaps(p.span, g.span)
            if same_place or sim >= 0.25:
                scored.append((same_place, sim, gi))
        edges[pi] = [gi for *_, gi in sorted(scored, reverse=True)]
    owner: dict[int, int] = {}

    def augment(pi: int, seen: set[int]) -> bool:
        for gi in edges[pi]:
            if gi in seen:
                continue
            seen.add(gi)
            if gi not in owner or augment(owner[gi], seen):
                owner[gi] = pi
                return True
        return False

    for pi in range(len(predicted)):
        augment(pi, set())
    return sorted((pi, gi) for gi, pi in owner.items())


def figures(case: GoldCase, brief: Brief) -> Score:
    """Precision, recall and F1 of the figures; value accuracy, magnitude and unit errors among matches."""
    pairs = match_figures(case.figures, brief.figures)
    matched_gold = {gi: pi for pi, gi in pairs}
    ignored_preds = {pi for pi, gi in pairs if case.figures[gi].status == "ignore"}
    counted = len(brief.figures) - len(ignored_preds)
    true_pos = sum(1 for pi, gi in pairs if case.figures[gi].status != "ignore")
    required = [gi for gi, g in enumerate(case.figures) if g.status == "required"]
    found = [gi for gi in required if gi in matched_gold]
    precision = true_pos / counted if counted else 1.0
    recall = len(found) / len(required) if required else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    exact = sum(1 for pi, gi in pairs if value_tier(brief.figures[pi].value, case.figures[gi]) == "exact")
    unit_errors = [case.figures[gi].raw for pi, gi in pairs if _unit(brief.figures[pi].unit) != _unit(
        case.figures[gi].unit) and case.figures[gi].status != "ignore"]
    magnitude = _magnitude_errors(case, brief)
    agreements = [field_agreement(brief.figures[pi], case.figures[gi]) for pi, gi in pairs
                  if case.figures[gi].status != "ignore"]
    labels = {name: sum(a[name] for a in agreements) / len(agreements) if agreements else 1.0
              for name in LABEL_FIELDS}
    missed = [case.figures[gi].raw for gi in required if gi not in matched_gold]
    unmatched = [brief.figures[pi].raw for pi in range(len(brief.figures)) if pi not in {p for p, _ in pairs}]
    return Score(
        f1,
        f"P={precision:.2f} R={recall:.2f} F1={f1:.2f}; missed {missed or 'none'}; unmatched {unmatched or 'none'}",
        {"precision": precision, "recall": recall, "f1": f1, "tp": true_pos, "predicted": counted,
         "required": len(required), "found": len(found), "value_accuracy": exact / len(pairs) if pairs else 1.0,
         "magnitude_errors": magnitude, "unit_errors": unit_errors,
         "labels": labels, "label_agreement": sum(labels.values()) / len(labels), "missed": missed,
         "unmatched": unmatched, "matched_gold": sorted(matched_gold)},
    )


def _unit(unit: str | None) -> str | None:
    return unit.lower().rstrip("s") if unit else None


def _magnitude_errors(case: GoldCase, brief: Brief) -> int:
    count = 0
    for p in brief.figures:
        for g in case.figures:
            if g.value and label_similarity(p, g) >= 0.5:
                ratio = p.value / g.value
                if any(abs(ratio - k) < 1e-6 * k or abs(ratio - 1 / k) < 1e-6 / k for k in (1e3, 1e6)):
                    count += 1
    return count


def grounding(text: str, brief: Brief) -> Score:
    """Share of figures whose quote is verbatim in the article and holds the figure's value; invented numbers
    (in figures, prose or labels)."""
    values = [m.value for m in find_numbers(text)]
    grounded = 0
    invented: list[str] = []
    for f in brief.figures:
        ok_quote = f.quote in text and text[f.quote_span[0]:f.quote_span[1]] == f.quote
        ok_value = any(same_value(m.value, f.value) for m in find_numbers(f.quote))
        grounded += ok_quote and ok_value
        if not any(same_value(f.value, v) for v in values):
            invented.append(f.raw)
    prose = [brief.headline, brief.summary, *brief.key_points]
    labels = [v for f in brief.figures for v in (f.what, f.where, f.period, f.source) if v]
    invented += [raw for piece in prose + labels for raw in unverified_numbers(piece, values)]
    share = grounded / len(brief.figures) if brief.figures else 1.0
    return Score(share, f"{grounded}/{len(brief.figures)} grounded; invented numbers: {invented or 'none'}",
                 {"grounded_share": share, "invented": invented, "invented_count": len(invented)})


def summary(case: GoldCase, brief: Brief) -> Score:
    """Key-fact recall over headline, summary and key points."""
    prose = " ".join([brief.headline, brief.summary, *brief.key_points]).lower()
    hits = [all(any(alt.lower() in prose for alt in group) for group in kf.evidence) for kf in case.key_facts]
    recall = sum(hits) / len(hits) if hits else 1.0
    missing = [kf.fact for kf, hit in zip(case.key_facts, hits, strict=True) if not hit]
    return Score(recall, f"key facts {sum(hits)}/{len(hits)}; missing: {missing or 'none'}",
                 {"key_fact_recall": recall, "missing_facts": missing})


def operations(brief: Brief) -> Score:
    """First-attempt validity, attempts, tokens, latency, cache hit."""
    m = brief.meta
    first = m.attempts <= 1
    return Score(1.0 if first else 0.0, f"{m.attempts} attempt(s), {m.usage.total_tokens} tokens, "
                 f"{m.latency_ms / 1000:.1f} s{' (cache hit)' if m.cache_hit else ''}",
                 {"first_attempt_valid": first, "attempts": m.attempts, "tokens": m.usage.total_tokens,
                  "latency_s": m.latency_ms / 1000, "cache_hit": m.cache_hit})
