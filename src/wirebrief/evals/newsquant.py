"""The labels' yardstick: NewsQuant (CQE, EMNLP 2023), the development half, scored with CQE's matching rules.

Each item is one news sentence with the quantities it states: value (a range is "low-high"), normalized unit,
change (``up``/``down``; ``~``, ``>``, ``<`` for a qualifier; ``=`` otherwise) and the words naming what the
quantity refers to. Every sentence goes through the whole pipeline (the fake model at the seam writes the prose;
figures and labels come from code, or from the model's labelling step when it is on), and its figures are
matched to the gold per sentence, one to one:

- value: equal within ``rtol=1e-5`` (a range needs both ends, from the two figures of one range);
- value+unit: the units are the same unit (``mph`` = mile per hour, ``AUD`` = australian dollar, a rate with its
  ``per``: USD per barrel = dollar per barrel, a counted noun
  by its singular head, any persons noun = people);
- value+change: our qualifier mapped onto CQE's (approximately → ``~``; more than, at least → ``>``; less than, up
  to → ``<``), else our ``change`` (up/down), else ``=`` (CQE's one column writes the qualifier when both hold,
  and no change for the size of a noun of movement: 'a 19% drop');
- value+concept partial: a word of the gold's referred concepts is a word of our ``what`` (without the words of our
  unit: '19 fouls' counts fouls, CQE's unit, and refers to nothing, nor the words that are verbs in the sentence:
  CQE's concepts are things, our ``what`` also names the event); complete: all of them (a gold with no concept,
  ``-``, needs a ``what`` with none of its words left).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from wirebrief.brief.schema import Figure
from wirebrief.evals import scorers
from wirebrief.figures import lexicon
from wirebrief.figures.change import FALL_NOUNS, RISE_NOUNS
from wirebrief.figures.parse import parser

TIERS = ("value", "value_unit", "value_change", "value_concept", "value_concept_complete")
PUBLISHED = {
    "CQE": {"value": 0.920, "value_unit": 0.856, "value_change": 0.881, "value_concept": 0.761,
            "value_concept_complete": 0.570},
    "GPT-3": {"value": 0.706, "value_unit": 0.591, "value_change": 0.519, "value_concept": 0.548,
              "value_concept_complete": 0.257},
}
"""F1 published by the CQE authors on all 590 NewsQuant sentences (their evaluation_output/NewsQuant.csv)."""

_CURRENCY_NAMES = {
    "USD": "dollar", "AUD": "australian dollar", "CAD": "canadian dollar", "HKD": "hong kong dollar",
    "SGD": "singaporean dollar", "NZD": "new zealand dollar", "TWD": "taiwan dollar", "EUR": "euro",
    "GBP": "pound sterling", "JPY": "japanese yen", "CNY": "chinese yuan", "INR": "indian rupee",
    "MYR": "malaysian ringgit", "ILS": "shekel", "CHF": "swiss franc", "KRW": "south korean won",
    "RUB": "russian ruble", "BTC": "bitcoin",
}
_UNIT_NAMES = {
    "percent": "percentage", "percentage points": "percentage point", "km": "kilometre", "m": "metre",
    "cm": "centimetre", "mm": "millimetre", "µm": "micrometre", "nm": "nanometre", "kg": "kilogram", "g": "gram",
    "mg": "milligram", "lb": "pound-mass", "ft": "foot", "inch": "inch", "mile": "mile", "yard": "yard",
    "mph": "mile per hour", "km/h": "kilometre per hour", "mpg": "mile per gallon", "sq m": "square metre",
    "sq km": "square kilometre", "sq ft": "square feet", "cu ft": "cubic foot", "l": "litre", "ml": "millilitre",
    "GB": "gigabyte", "MB": "megabyte", "Mbps": "megabit per second", "Hz": "hertz", "kHz": "kilohertz", "W": "watt",
    "kW": "kilowatt", "MW": "megawatt", "kWh": "kilowatt hour", "GWh": "gigawatt hour", "hp": "horsepower",
    "bhp": "brake horsepower", "°C": "celsius", "°F": "fahrenheit", "tonne": "ton", "ton": "ton",
    "barrel": "barrel", "rpm": "revolutions per minute", "mAh": "milliampere-hour", "GPa": "gigapascal", "V": "volt",
    "dB": "decibel", "lb ft": "pound-foot", "ppm": "part per million", "MHz": "megahertz",
    "GHz": "gigahertz", "square foot": "square foot", "square metre": "square metre",
}
_SAME = {"square foot": "square feet", "foot pound force": "pound-foot", "metric ton": "ton", "tonne": "ton",
         "point": "point", "cent": "cent"}


@dataclass
class Item:
    text: str
    gold: list[dict[str, Any]]


@dataclass
class Quantity:
    """One of our figures as a NewsQuant quantity (a range: its two ends' figures as one)."""

    low: float
    high: float | None
    unit: str | None
    change: str
    what: str
    per: str | None = None
    verbs: frozenset[str] = frozenset()
    """The words that are only verbs in the figure's sentence: CQE's concepts are things, never a verb."""

    @classmethod
    def of(cls, figures: list[Figure]) -> Quantity:
        first = figures[0]
        high = figures[-1].value if len(figures) > 1 else None
        per = next((f.per for f in figures if f.per), None)  # '$62 to $68 a share': the rate follows the high end
        return cls(first.value, high, first.unit, change_of(first), first.what or "", per, _verbs(first.quote))


@lru_cache(maxsize=64)
def _verbs(sentence: str) -> frozenset[str]:
    tags: dict[str, set[str]] = {}
    for t in parser()(sentence):
        tags.setdefault(t.lower_, set()).add(t.pos_)
    return frozenset(w for w, pos in tags.items() if pos == {"VERB"})


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIERS, 0))
    misses: list[str] = field(default_factory=list)
    wrong: dict[str, list[str]] = field(default_factory=lambda: {t: [] for t in TIERS[1:]})
    spurious: list[str] = field(default_factory=list)

    def prf(self, tier: str) -> dict[str, float]:
        h = self.hits[tier]
        p = h / self.predicted if self.predicted else 1.0
        r = h / self.gold if self.gold else 1.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}

    def table(self) -> dict[str, dict[str, float]]:
        return {t: self.prf(t) for t in TIERS}


def load(path: Path) -> list[Item]:
    return [Item(d["text"], d["quantities"]) for d in json.loads(path.read_text(encoding="utf-8"))]


_MOVEMENT_NOUNS = "|".join(sorted(RISE_NOUNS | FALL_NOUNS))
_NOUN_AFTER = re.compile(rf"(?:[ -][a-z]+)?[ -](?:{_MOVEMENT_NOUNS})s?\b", re.IGNORECASE)
_NOUN_BEFORE = re.compile(rf"\b(?:{_MOVEMENT_NOUNS})s?\s+of\s+\Z", re.IGNORECASE)


def _measures_a_noun_of_movement(f: Figure) -> bool:
    """'a 19% drop', 'a 5% pay rise', 'an overall cut of 800,000 barrels': the figure is the size of a noun of
    movement, not a figure that moved."""
    start, end = f.span[0] - f.quote_span[0], f.span[1] - f.quote_span[0]
    return bool(_NOUN_AFTER.match(f.quote, end) or _NOUN_BEFORE.search(f.quote, max(0, start - 30), start))


def change_of(f: Figure) -> str:
    """Our change and qualifier as CQE's one ``change`` column: a qualifier, as CQE's annotators write it when a
    figure has both ('up about 19%' is '~', 'climbed more than 3%' is '>'), else the change, else '='. CQE's
    annotators mark a change only where a verb or an adverb moves the figure ('rose 5%', 'up 19 cents'): the size
    of a noun of movement is '=' in their gold ('a 19% drop', 'an increase of 60,600 jobs': 14 of the 16 such
    figures of the development half)."""
    qualifier = {"approximately": "~", "more than": ">", "at least": ">", "less than": "<", "up to": "<"}.get(
        f.qualifier)
    return qualifier or (None if _measures_a_noun_of_movement(f) else f.change) or "="


def quantities(figures: list[Figure]) -> list[Quantity]:
    """Figures as quantities: the two ends of one range (``range_id``) are one, and so are a change's from-value
    and the figure it moved to ('from 252 miles to 287 miles': CQE writes the pair as the range 252-287)."""
    groups: dict[object, list[Figure]] = {}
    for i, f in enumerate(figures):
        groups.setdefault(f.range_id or ("single", i), []).append(f)
    for i, f in enumerate(figures):
        before = figures[i - 1] if i else None
        if (f.baseline is not None and before is not None and before.value == f.baseline
                and f.range_id is None and before.range_id is None
                and before.quote_span == f.quote_span and before.span[1] < f.span[0]):
            groups[("single", i)] = [before, f]
            groups.pop(("single", i - 1), None)
    return [Quantity.of(sorted(g, key=lambda f: f.span[0])) for g in groups.values()]


def _gold_ends(value: str) -> tuple[float, float | None]:
    num = r"(-?[\d.]+(?:[eE][+-]?\d+)?)"
    m = re.fullmatch(rf"\s*{num}\s*-\s*{num}\s*", value)
    return (float(m.group(1)), float(m.group(2))) if m else (float(value), None)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5)


_SUBUNITS = {"cent": 0.01, "sen": 0.01, "penny": 0.01, "pence": 0.01, "p": 0.01}
"""CQE counts '19 cents' as 19 cent; the finder reads it as 0.19 of the currency: the same amount. '164p' is pence
(CQE's normalized unit for it is 'point'; its surface unit, 'p', says pence)."""


def _subunit(gold: dict[str, Any]) -> float | None:
    """The share of its currency a gold's subunit is, by its normalized unit or its surface one."""
    return _SUBUNITS.get(gold.get("normalized_unit", ""), _SUBUNITS.get(gold.get("unit", "")))


def value_matches(q: Quantity, gold: dict[str, Any]) -> bool:
    low, high = _gold_ends(gold["value"])
    scale, single = _subunit(gold), high is None and q.high is None
    if scale is not None and single and q.unit in _CURRENCY_NAMES and _close(q.low, low * scale):
        return True
    if high is None:
        return q.high is None and _close(q.low, low)
    return q.high is not None and _close(q.low, low) and _close(q.high, high)


def unit_name(unit: str | None, per: str | None = None) -> str:
    """Our unit in CQE's vocabulary ('-' for none), a rate's after 'per': 'USD' per 'barrel' → 'dollar per
    barrel'."""
    name = "-" if not unit else _CURRENCY_NAMES.get(unit) or _UNIT_NAMES.get(unit, unit.lower())
    return f"{name} per {_UNIT_NAMES.get(per, per)}" if per and name != "-" else name


def _unit_key(name: str) -> str:
    """A unit's key: its head noun, singular; a rate's, both heads ('barrels per day' → 'barrel per day')."""
    n = " ".join(name.lower().replace("-", " ").split())
    if " per " in n:
        return " per ".join(_unit_key(part) for part in n.split(" per ", 1))
    n = _SAME.get(n, n).replace("-", " ")
    if n == "year of age":
        return "year"
    if lexicon.is_person(n.split()[-1]) if n else False:
        return "people"
    return lexicon.singular(n.split()[-1]) if n else "-"


def unit_matches(q: Quantity, gold: dict[str, Any]) -> bool:
    ours, theirs = unit_name(q.unit, q.per), gold["normalized_unit"]
    if _subunit(gold) is not None and q.unit in _CURRENCY_NAMES:
        return True  # 19 cents read as USD 0.19
    if ours == "-" and theirs.startswith("%") and 0 < q.low < 1 and q.high is None:
        return True  # 'one in three Germans': CQE writes a fraction as '% Germans', the finder as 0.333, no unit
    if ours == "-" or theirs in ("-", ""):
        return ours == "-" and theirs in ("-", "", "count")
    return ours.lower() == theirs.lower() or _unit_key(ours) == _unit_key(theirs)


def _concept_words(text: str) -> set[str]:
    return {w.removesuffix("'s").removesuffix("’s") for w in re.findall(r"[\w'’&.-]+", text.lower())} - {""}


def concept_matches(q: Quantity, gold: dict[str, Any], *, complete: bool = False) -> bool:
    words = _concept_words(gold.get("referred_concepts") or "-")
    unit = {lexicon.singular(w) for w in _concept_words(f"{q.unit or ''} {gold.get('unit') or ''}")}
    ours = {w for w in _concept_words(q.what) if lexicon.singular(w) not in unit} - q.verbs  # CQE keeps the unit
    # apart, modifiers and all ('22 residential burglaries': unit 'residential burglary', no concept), and names no
    # event by its verb ('460 vehicles have been stolen': no concept; ours, 'vehicles stolen', has the event)
    if words in (set(), {"-"}):
        return not ours
    if not scorers.short_enough(len(ours), len(words)):
        return False  # not CQE's rule: without it, a label that is the whole sentence scores 0.82 (ours: one less)
    return words <= ours if complete else bool(words & ours)


def tiers_of(q: Quantity, gold: dict[str, Any]) -> dict[str, bool]:
    return {"value": True, "value_unit": unit_matches(q, gold), "value_change": q.change == gold["change"],
            "value_concept": concept_matches(q, gold),
            "value_concept_complete": concept_matches(q, gold, complete=True)}


def score_sentence(item: Item, predicted: list[Quantity], counts: Counts) -> None:
    """One-to-one by value per sentence (a gold is matched to the first unused quantity of its value); each tier
    counts the matched pairs that also agree on it."""
    counts.gold += len(item.gold)
    counts.predicted += len(predicted)
    used: set[int] = set()
    for g in item.gold:
        hit = next((i for i, q in enumerate(predicted) if i not in used and value_matches(q, g)), None)
        if hit is None:
            counts.misses.append(f"{item.text[:90]!r}: {g['value']} {g['unit']}")
            continue
        used.add(hit)
        for tier, ok in tiers_of(predicted[hit], g).items():
            counts.hits[tier] += ok
            if not ok and tier in counts.wrong:
                q = predicted[hit]
                counts.wrong[tier].append(f"{item.text[:70]!r}: {g['value']} ours unit={q.unit} change={q.change} "
                                          f"what={q.what!r} | gold unit={g['normalized_unit']} change={g['change']} "
                                          f"concept={g['referred_concepts']!r}")
    counts.spurious += [f"{item.text[:90]!r}: {q.low:g}" for i, q in enumerate(predicted) if i not in used]


def score(items: list[Item], figures_of: Callable[[str], list[Figure]]) -> Counts:
    """Every sentence through ``figures_of`` (the pipeline), scored."""
    counts = Counts()
    for item in items:
        score_sentence(item, quantities(figures_of(item.text)), counts)
    return counts
