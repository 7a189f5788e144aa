"""Figures of one article that check each other: parts against their stated total, a share against its counts,
a stated change against its ends, a range's ends, a figure restated with another value.

Pure functions over the brief's figures (and, when given, the article's text). A check is made only where the
text says the figures are related: parts are figures of the same event and unit in sentences scoped to different
places ("In Iraq, …", "In Syria, …") whose total is stated in a sentence scoped to no single one of them; three
numbers that happen to add up are never a check.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from wirebrief.brief.schema import Check, Figure
from wirebrief.figures import lexicon
from wirebrief.figures.facts import Reading, names_place, read

_RISE, _FALL = "rise", "fall"
_VAGUE = frozenset(lexicon.content("people persons individuals others"))
"""A phrase of only these ('70,000 people' … 'four people') names no fact that could be restated."""


def checks(figures: Sequence[Figure], text: str | None = None) -> list[Check]:
    """Every check the text supports, in order of kind then of the first figure involved."""
    readings = read(figures, text)
    return [*part_sums(readings), *shares(readings), *changes(readings), *ranges(readings),
            *restatements(readings)]


def warnings_for(found: Sequence[Check]) -> list[str]:
    """One warning per check that does not hold."""
    return [f"figures do not check ({c.kind}): {c.explanation}" for c in found if not c.holds]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _key(r: Reading) -> tuple[str | None, str | None, str | None]:
    return (r.unit, r.event, r.person_class if r.unit == "people" else None)


# --- parts and their total ---------------------------------------------------------------------------------


def part_sums(readings: list[Reading]) -> list[Check]:
    """Runs of consecutive sentences scoped to different places; for each kind of figure that every sentence of
    the run states once, the nearest earlier figure of that kind in a sentence scoped to none of them (naming all
    of the run's places or none) is the total."""
    sentences = sorted({r.sentence for r in readings})
    scope = {s: next(r.scope for r in readings if r.sentence == s) for s in sentences}
    found: list[Check] = []
    i = 0
    while i < len(sentences):
        j = i
        while j < len(sentences) and scope[sentences[j]] is not None:
            j += 1
        run = sentences[i:j]
        places = [scope[s] for s in run]
        if len(run) >= 2 and len(set(places)) == len(places):
            found += _run_sums(readings, run, [p for p in places if p], sentences[:i])
        i = max(j, i + 1)
    return found


def _run_sums(readings: list[Reading], run: list[tuple[int, int]], places: list[str],
              earlier: list[tuple[int, int]]) -> list[Check]:
    found = []
    in_run = [[r for r in readings if r.sentence == s] for s in run]
    for first in in_run[0]:
        key = _key(first)
        if key[0] is None:
            continue
        parts = [[r for r in members if _key(r) == key] for members in in_run]
        if any(len(p) != 1 for p in parts):
            continue
        total = _total_for(readings, key, places, earlier)
        if total is not None:
            found.append(_sum_check(total, [p[0] for p in parts], places))
    return found


def _total_for(readings: list[Reading], key: tuple[str | None, ...], places: list[str],
               earlier: list[tuple[int, int]]) -> Reading | None:
    for sentence in reversed(earlier):
        members = [r for r in readings if r.sentence == sentence and _key(r) == key]
        if len(members) != 1 or members[0].scope is not None:
            continue
        named = [names_place(members[0].quote, p) for p in places]
        if all(named) or not any(named):
            return members[0]
    return None


def _sum_check(total: Reading, parts: list[Reading], places: list[str]) -> Check:
    added = sum(p.figure.value for p in parts)
    holds = abs(added - total.figure.value) <= 1e-9 * max(1.0, abs(added))
    what = total.event or total.unit or "figures"
    terms = " + ".join(f"{_fmt(p.figure.value)} ({place})" for p, place in zip(parts, places, strict=True))
    sign = "=" if holds else "≠"
    return Check(kind="sum", figures=[total.index, *(p.index for p in parts)], holds=holds,
                 explanation=f"{what}: {terms} = {_fmt(added)} {sign} the stated total {_fmt(total.figure.value)}")


# --- a share, a change, a range: figures of one sentence -----------------------------------------------------

_OF = re.compile(r"^\s*(?:\w+\s+){0,2}?(?:out\s+)?of\s+(?:(?:the|its|their|his|her|a\s+total\s+of)\s+)?$", re.I)
_OF_LEAD = re.compile(r"^\W*of\s+(?:the\s+)?$", re.I)
_TO = re.compile(r"^\s*(?:to|-|–|—)\s*$")
_TO_UNIT = re.compile(r"^\s*(?:[a-z]+\s+)?(?:to|-|–|—)\s*$")
"""'from 30 minutes to 27': the unit may sit between the ends."""
_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
_FROM = re.compile(r"\bfrom\s+$", re.I)


def _by_sentence(readings: list[Reading]) -> list[list[Reading]]:
    groups: dict[tuple[int, int], list[Reading]] = {}
    for r in readings:
        groups.setdefault(r.sentence, []).append(r)
    return [sorted(g, key=lambda r: r.figure.span[0]) for _, g in sorted(groups.items())]


def _between(a: Reading, b: Reading) -> str:
    q0 = a.figure.quote_span[0]
    return a.quote[a.figure.span[1] - q0:b.figure.span[0] - q0]


def _before(a: Reading, chars: int = 40) -> str:
    start = a.figure.span[0] - a.figure.quote_span[0]
    return a.quote[max(0, start - chars):start]


def _is_percent(r: Reading) -> bool:
    return r.unit == "percent" or lexicon.unit_key(r.figure.unit) == "percent"


def _tolerance(r: Reading) -> float:
    """Half a unit of the last digit written (25% → 0.5, 2.5% → 0.05); wider when the article says 'about'."""
    digits = re.search(r"\d+(?:[.,]\d+)?", r.figure.raw)
    decimals = len(digits.group(0).split(".")[1]) if digits and "." in digits.group(0) else 0
    step = 0.5 * 10.0 ** -decimals + 1e-9
    return max(step, 1.0) if r.figure.qualifier != "exact" else step


def shares(readings: list[Reading]) -> list[Check]:
    """'30 of 120, or 25%' and 'Of the 120 workers, 30, or 25%': the percentage against part / whole."""
    found = []
    for sentence in _by_sentence(readings):
        counts = [r for r in sentence if not _is_percent(r)]
        for pct in (r for r in sentence if _is_percent(r)):
            pair = _share_pair(counts, pct)
            if pair is None:
                continue
            part, whole = pair
            share = 100 * part.figure.value / whole.figure.value
            holds = abs(share - pct.figure.value) <= _tolerance(pct)
            found.append(Check(kind="share", figures=[part.index, whole.index, pct.index], holds=holds,
                               explanation=f"{_fmt(part.figure.value)} of {_fmt(whole.figure.value)} is "
                                           f"{share:.1f}%; the article says {pct.figure.raw}"))
    return found


def _share_pair(counts: list[Reading], pct: Reading) -> tuple[Reading, Reading] | None:
    for a, b in zip(counts, counts[1:], strict=False):
        if b.figure.value and a.figure.value <= b.figure.value and _OF.match(_between(a, b)):
            return a, b
    for whole, part in zip(counts, counts[1:], strict=False):
        if _OF_LEAD.search(_before(whole)) and part.figure.value <= whole.figure.value and whole.figure.value:
            return part, whole
    return None


def _direction(sentence: list[Reading]) -> str | None:
    events = lexicon.events(sentence[0].quote)
    return _RISE if _RISE in events and _FALL not in events else _FALL if _FALL in events - {_RISE} else None


def changes(readings: list[Reading]) -> list[Check]:
    """'rose 10% from 200 to 220': the stated change against its ends (percentage points: the difference)."""
    found = []
    for sentence in _by_sentence(readings):
        direction = _direction(sentence)
        ends = [(a, b) for a, b in zip(sentence, sentence[1:], strict=False)
                if _FROM.search(_before(a)) and _TO_UNIT.match(_between(a, b)) and not _is_percent(a)]
        stated = [r for r in sentence if r.unit in ("percent", "percentage points")]
        if direction is None or len(ends) != 1 or len(stated) != 1:
            continue
        (a, b), pct = ends[0], stated[0]
        points = pct.unit == "percentage points"
        if not a.figure.value and not points:
            continue
        moved = b.figure.value - a.figure.value
        size = abs(moved) if points else abs(100 * moved / a.figure.value)
        right_way = (moved > 0) == (direction == _RISE) and moved != 0
        holds = right_way and abs(size - pct.figure.value) <= _tolerance(pct)
        unit = " points" if points else "%"
        found.append(Check(kind="change", figures=[pct.index, a.index, b.index], holds=holds,
                           explanation=f"from {_fmt(a.figure.value)} to {_fmt(b.figure.value)} is a "
                                       f"{'rise' if moved > 0 else 'fall'} of {size:.1f}{unit}; the article "
                                       f"says a {direction} of {pct.figure.raw}"))
    return found


def ranges(readings: list[Reading]) -> list[Check]:
    """'between 30 and 45', '10-15', '30 to 45': the low end first. 'from X to Y' is a change, not a range."""
    found = []
    for sentence in _by_sentence(readings):
        for a, b in zip(sentence, sentence[1:], strict=False):
            gap, lead = _between(a, b), _before(a)
            is_range = ((_BETWEEN.search(lead) and re.fullmatch(r"\s*and\s*", gap))
                        or (_TO.match(gap) and not _FROM.search(lead)
                            and (a.unit == b.unit or None in (a.unit, b.unit))))
            if not is_range:
                continue
            holds = a.figure.value <= b.figure.value
            found.append(Check(kind="range", figures=[a.index, b.index], holds=holds,
                               explanation=f"range {a.figure.raw}{gap}{b.figure.raw}: the low end "
                                           f"{'comes first' if holds else 'is larger than the high end'}"))
    return found


def _close(a: float, b: float) -> bool:
    """Another value near the first (94 → 93): a misstatement; far from it (1,100 → 65) it is another fact."""
    return a != b and a > 0 and b > 0 and max(a, b) / min(a, b) <= 4 / 3


# --- a figure said again with another value --------------------------------------------------------------------


def restatements(readings: list[Reading]) -> list[Check]:
    """A figure of the same noun, event, place and period as an earlier one in another sentence, with another
    value ('94 operations' in the lede, '93' later). Only differing restatements are reported (a fact said twice
    alike is no news); the nouns must be said, not inferred, and name more than a bare noun, unless it is a count
    over a period (operations, attacks) or has an event."""
    found = []
    first: dict[tuple[object, ...], Reading] = {}
    for r in sorted(readings, key=lambda r: r.figure.span[0]):
        if r.unit is None or r.phrase <= _VAGUE or (len(r.phrase) < 2 and r.event is None and not r.flow):
            continue
        earlier = first.setdefault((r.unit, r.event, r.phrase, r.scope), r)
        if earlier is r or earlier.sentence == r.sentence or not _close(earlier.figure.value, r.figure.value):
            continue
        if earlier.own_period and r.own_period and earlier.period != r.period:
            continue
        found.append(Check(kind="restated", figures=[earlier.index, r.index], holds=False,
                           explanation=f"{' '.join(filter(None, (r.noun, r.event)))}: first stated as "
                                       f"{earlier.figure.raw}, later as {r.figure.raw}"))
    return found
