"""Scorers: small pure functions from (gold, brief, text) to a Score with an explanation.

Figures are scored in tiers, after the CQE paper (EMNLP 2023), so a figure counts only as far as its labels are
right: ``value``; ``value+unit``; ``value+what`` (partial: shares the gold's event word, or a content word when
the gold names no event; complete: all the gold's content words); ``value+where``/``period``/``source``; and the
headline ``value+unit+what`` (partial). A prediction is matched to at most one gold figure (maximum bipartite
matching); an edge needs the value within tolerance and the same place in the text. A prediction matched to an
``ignore`` gold, or to nothing, is a false positive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from wirebrief.brief.schema import Brief, Figure
from wirebrief.evals.cases import GoldCase, GoldFigure
from wirebrief.figures import lexicon
from wirebrief.figures.candidates import tidy, unverified_numbers
from wirebrief.figures.claims import clause_around, fact_words, supports
from wirebrief.figures.finder import find_numbers
from wirebrief.figures.mention import NON_FIGURE_KINDS, same_value
from wirebrief.figures.source import SOURCE_NOUNS
from wirebrief.text.sentences import sentence_spans

LABEL_FIELDS = ("unit", "what", "where", "period", "source")
TIERS = ("value", "value_unit", "value_what", "value_what_complete", "value_where", "value_period", "value_source",
         "headline")
"""``headline`` is value + unit + what (partial): the figure metric the gate guards."""


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


def unit_agrees(predicted: str | None, gold: str | None) -> bool:
    """Normalized units are equal (singular stem, ISO currency, percent; ``people`` = any persons noun), or two
    counted nouns have one head, as NewsQuant's scorer compares them ('hole' = 'security hole', 'piece' = 'piece
    of baggage'; a measure keeps its whole name: 'basis point' ≠ 'point')."""
    p, g = lexicon.unit_key(predicted), lexicon.unit_key(gold)
    return p == g or p is not None and g is not None and _counted(predicted) and _counted(gold) and _head(p) == _head(g)


def _counted(unit: str | None) -> bool:
    """A counted noun, not money, a percentage or a measure."""
    stems = " ".join(lexicon.stem(w) for w in (unit or "").lower().replace("-", " ").split())
    return bool(unit) and lexicon.unit_key(unit) == stems and not lexicon.is_measure(unit or "")


def _head(key: str) -> str:
    return key.split(" of ")[0].split()[-1]


def short_enough(said: int, gold: int) -> bool:
    """A label is a short phrase: no more content words than twice the gold's, or five. A label that keeps the
    whole sentence names every fact of it (and would agree with any gold of that sentence)."""
    return said <= max(5, 2 * gold)


def what_agrees(predicted: str | None, gold: str | None, *, complete: bool = False) -> bool:
    """Partial: the prediction names the gold's event (killed ≠ detained; revenue ≠ profit), or shares a content
    word with a gold that names none. Complete: every content word of the gold is in the prediction. Either way,
    a short phrase (:func:`short_enough`)."""
    p, g = fact_words(predicted), fact_words(gold)
    if not g:
        return not p
    if not short_enough(len(p), len(g)):
        return False
    if complete:
        return g <= p
    gold_events = lexicon.events(gold)
    if gold_events:
        return bool(gold_events & lexicon.events(predicted)) and not _contradicts(predicted, gold)
    return bool(p & g)


def _contradicts(predicted: str | None, gold: str | None) -> bool:
    """The prediction also names an event the gold does not (a 'killed and detained' label)."""
    return bool(lexicon.events(predicted) - lexicon.events(gold))


_FIELD_KEYS = {"where": lexicon.place_key, "period": lexicon.period_key, "source": lexicon.place_key}
"""How a field's words are compared; a source's place is a place: 'United States military' = 'US military'."""


def field_agrees(name: str, predicted: str | None, gold: str | None) -> bool:
    """where/period/source: both empty, or half their content words or more in common ('Other analysts' =
    'analysts'; 'US military' = 'US military (CENTCOM)'), but not a place that names part of a list ('Iraq' for
    'Iraq and Syria'). A period's numbers and 'last'/'this'/'next'
    count: '2004' ≠ '2005' (content words alone dropped them, and any two years agreed)."""
    key = _FIELD_KEYS.get(name, lexicon.content)
    p, g = key(predicted), key(gold)
    if not p or not g:
        return not p and not g
    if name == "source" and p < g and (named := _named_by(gold or "")) is not None and named <= p:
        return True  # 'Biden' is 'US President Biden': a person or body by the name the gold ends with
    if name == "where" and p < g and re.search(r"\band\b", gold or "") and not re.search(r"\band\b", predicted or ""):
        return False  # 'Iraq' names half of 'Iraq and Syria'
    return p == g or (bool(p & g) and len(p & g) / len(p | g) >= 0.5)


def _named_by(source: str) -> set[str] | None:
    """The name a source ends with ('US President Biden' → Biden), None when it ends in a common noun ('Labor
    Department', 'cross-party group')."""
    last = source.split()[-1] if source.split() else ""
    return lexicon.place_key(last) if last[:1].isupper() and last.lower() not in SOURCE_NOUNS else None


SCOPE_FIELDS = ("where", "period", "source")


def label_agrees(name: str, predicted: str | None, gold: str | None) -> bool:
    """A filled label that agrees with the gold's: unit as units, what as the headline tier reads it (partial),
    where/period/source by content words."""
    if name == "unit":
        return unit_agrees(predicted, gold)
    if name == "what":
        return what_agrees(predicted, gold)
    return field_agrees(name, predicted, gold)


def field_counts(name: str, pairs: list[tuple[Figure, GoldFigure]]) -> dict[str, int]:
    """Over matched required figures: labels given, labels in the gold, and given labels that agree. A filled label
    the gold leaves empty is wrong (the text does not say it), so precision of filled labels is tp / pred."""
    given = [(getattr(p, name), getattr(g, name)) for p, g in pairs]
    return {"tp": sum(1 for pv, gv in given if pv and gv and label_agrees(name, pv, gv)),
            "pred": sum(1 for pv, _ in given if pv), "gold": sum(1 for _, gv in given if gv)}


def filled_precision(c: dict[str, int]) -> float:
    """Of the labels filled, the share that agree with the gold (nothing filled: 1.0, and coverage 0)."""
    return c["tp"] / c["pred"] if c["pred"] else 1.0


def coverage(c: dict[str, int]) -> float:
    """Of the gold's labels, the share given and right (every label empty: 0)."""
    return c["tp"] / c["gold"] if c["gold"] else 1.0


def agreement_f1(c: dict[str, int]) -> float:
    """F1 of a scope label: an empty label where the gold has one is a miss, one the gold lacks a false alarm, so
    leaving every label empty scores 0 (1.0 only when neither side has any)."""
    return 2 * c["tp"] / (c["pred"] + c["gold"]) if c["pred"] + c["gold"] else 1.0


def tiers_of(p: Figure, g: GoldFigure) -> dict[str, bool]:
    """Which tiers a matched pair reaches."""
    unit = unit_agrees(p.unit, g.unit)
    what = what_agrees(p.what, g.what)
    return {
        "value": True, "value_unit": unit, "value_what": what,
        "value_what_complete": what_agrees(p.what, g.what, complete=True),
        "value_where": field_agrees("where", p.where, g.where),
        "value_period": field_agrees("period", p.period, g.period),
        "value_source": field_agrees("source", p.source, g.source),
        "headline": unit and what,
    }


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _similar(p: Figure, g: GoldFigure) -> float:
    a, b = fact_words(f"{p.what} {p.where} {p.period}"), fact_words(f"{g.what} {g.where} {g.period}")
    return len(a & b) / len(a | b) if a | b else 0.0


def match_figures(gold: list[GoldFigure], predicted: list[Figure]) -> list[tuple[int, int]]:
    """Maximum bipartite matching (Kuhn) of predicted to gold. An edge needs the value within tolerance and the
    same place in the text; a prediction without a span (``(0, 0)``) needs similar labels instead."""
    edges: dict[int, list[int]] = {}
    for pi, p in enumerate(predicted):
        scored = []
        spanless = p.span[1] <= p.span[0]
        for gi, g in enumerate(gold):
            if value_tier(p.value, g) is None:
                continue
            sim = _similar(p, g)
            if (not spanless and _overlaps(p.span, g.span)) or (spanless and sim >= 0.25):
                scored.append((value_tier(p.value, g) == "exact", sim, -gi, gi))
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


def prf(tp_precision: int, predicted: int, tp_recall: int, required: int) -> dict[str, float]:
    """Precision over everything predicted, recall over the required gold; nothing predicted has precision 1."""
    precision = tp_precision / predicted if predicted else 1.0
    recall = tp_recall / required if required else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def figures(case: GoldCase, brief: Brief) -> Score:
    """P/R/F1 per tier (micro counts kept for aggregation), label agreement per field, misses and extras."""
    gold, pred = case.figures, brief.figures
    pairs = match_figures(gold, pred)
    required = [gi for gi, g in enumerate(gold) if g.status == "required"]
    counted = [(pi, gi, tiers_of(pred[pi], gold[gi])) for pi, gi in pairs if gold[gi].status != "ignore"]
    counts = {t: {"tp_p": sum(1 for *_, ok in counted if ok[t]),
                  "tp_r": sum(1 for _, gi, ok in counted if ok[t] and gold[gi].status == "required")}
              for t in TIERS}
    tiers = {t: {**prf(c["tp_p"], len(pred), c["tp_r"], len(required)), **c} for t, c in counts.items()}
    fields = {name: field_counts(name, [(pred[pi], gold[gi]) for pi, gi, _ in counted
                                        if gold[gi].status == "required"]) for name in LABEL_FIELDS}
    agreement = {name: agreement_f1(fields[name]) for name in SCOPE_FIELDS}
    matched = {gi for _, gi in pairs}
    head = tiers["headline"]
    wrong = [f"{pred[pi].raw}: {', '.join(t for t in ('value_unit', 'value_what') if not ok[t])}"
             for pi, _, ok in counted if not ok["headline"]]
    missed = [gold[gi].raw for gi in required if gi not in matched]
    extra = [pred[pi].raw for pi in range(len(pred)) if pi not in {p for p, _, _ in counted}]
    return Score(
        head["f1"],
        f"headline P={head['precision']:.2f} R={head['recall']:.2f} F1={head['f1']:.2f}; value F1="
        f"{tiers['value']['f1']:.2f}; missed {missed or 'none'}; extra {extra or 'none'}; mislabelled "
        f"{wrong or 'none'}",
        {"tiers": tiers, "f1": head["f1"], "predicted": len(pred), "required": len(required),
         "fields": fields, "agreement": agreement, "label_agreement": sum(agreement.values()) / len(agreement),
         "missed": missed, "extra": extra, "mislabelled": wrong,
         "matched_gold": sorted(gi for _, gi, ok in counted if ok["headline"]),
         "value_matched_gold": sorted(gi for _, gi, _ in counted)},
    )


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
    article = " ".join(text.split())
    prose = [sentence for piece in [brief.headline, brief.summary, *brief.key_points]
             for sentence, verbatim in prose_sentences(piece, article) if not verbatim]
    labels = [v for f in brief.figures for v in (f.what, f.where, f.period, f.source) if v]
    invented += [raw for piece in prose + labels for raw in unverified_numbers(piece, values)]
    share = grounded / len(brief.figures) if brief.figures else 1.0
    return Score(share, f"{grounded}/{len(brief.figures)} grounded; invented numbers: {invented or 'none'}",
                 {"grounded_share": share, "invented": invented, "invented_count": len(invented)})


def claim_supported(claim: str, value: float, gold: list[GoldFigure]) -> bool:
    """A gold figure of the same value whose what and unit support the claim's words (claims.supports): the claim
    names no event they do not, and shares a word with them or with the gold's sentence."""
    return any(g.status != "ignore" and value_tier(value, g) is not None
               and supports(claim, f"{g.what} {'people' if lexicon.unit_key(g.unit) == 'people' else g.unit or ''}",
                            g.quote)
               for g in gold)


def names_no_figure(value: float, gold: list[GoldFigure]) -> bool:
    """The gold lists this value only as a number that is not a figure ('Halo 2', a 'two mile record')."""
    same = [g for g in gold if value_tier(value, g) is not None]
    return bool(same) and all(g.status == "ignore" for g in same)


PROSE_BUDGET_WORDS = 150
"""Key facts are looked for in the first this-many words of headline, summary and key points: a brief that keeps
the whole article finds every fact, and must not score for it (tests/test_evals.py)."""


def prose_claims(case: GoldCase, brief: Brief, text: str = "") -> tuple[list[str], list[str]]:
    """Every number in the headline, summary and key points, as (supported, unsupported) claims. A sentence that is
    the article's own, verbatim, attaches its numbers as the article does: its claims are supported."""
    supported: list[str] = []
    unsupported: list[str] = []
    article = " ".join(text.split())
    for piece in [brief.headline, brief.summary, *brief.key_points]:
        for sentence, verbatim in prose_sentences(piece, article):
            for m in find_numbers(sentence):
                if m.kind in NON_FIGURE_KINDS or not m.is_figure_candidate or names_no_figure(m.value, case.figures):
                    continue
                claim = clause_around(sentence, m.start, m.end)
                ok = verbatim or claim_supported(claim, m.value, case.figures)
                (supported if ok else unsupported).append(f"{m.raw} ({' '.join(claim.split())})")
    return supported, unsupported


def prose_sentences(piece: str, article: str) -> list[tuple[str, bool]]:
    """The sentences of a piece of prose, each with whether it is a sentence of the article (whitespace-collapsed),
    verbatim."""
    piece = tidy(piece)
    return [(piece[s:e], e - s >= 20 and " ".join(piece[s:e].split()) in article) for s, e in sentence_spans(piece)]


def prose_read(brief: Brief) -> str:
    """What key facts are looked for in: headline, summary and key points, cut at PROSE_BUDGET_WORDS."""
    words = " ".join([brief.headline, brief.summary, *brief.key_points]).split()
    return " ".join(words[:PROSE_BUDGET_WORDS]).lower()


def summary(case: GoldCase, brief: Brief, text: str = "") -> Score:
    """Key-fact recall over the prose a reader reads (PROSE_BUDGET_WORDS); prose numbers supported by the gold
    facts or by the article's own sentence."""
    prose = prose_read(brief)
    hits = [all(any(alt.lower() in prose for alt in group) for group in kf.evidence) for kf in case.key_facts]
    recall = sum(hits) / len(hits) if hits else 1.0
    missing = [kf.fact for kf, hit in zip(case.key_facts, hits, strict=True) if not hit]
    supported, unsupported = prose_claims(case, brief, text)
    return Score(recall, f"key facts {sum(hits)}/{len(hits)}; missing: {missing or 'none'}; unsupported claims: "
                 f"{unsupported or 'none'}",
                 {"key_fact_recall": recall, "missing_facts": missing, "supported": len(supported),
                  "unsupported": len(unsupported), "unsupported_claims": unsupported})


def operations(brief: Brief) -> Score:
    """First-attempt validity, attempts, tokens, latency, cache hit."""
    m = brief.meta
    first = m.attempts <= 1
    return Score(1.0 if first else 0.0, f"{m.attempts} attempt(s), {m.usage.total_tokens} tokens, "
                 f"{m.latency_ms / 1000:.1f} s{' (cache hit)' if m.cache_hit else ''}",
                 {"first_attempt_valid": first, "attempts": m.attempts, "tokens": m.usage.total_tokens,
                  "latency_s": m.latency_ms / 1000, "cache_hit": m.cache_hit})
