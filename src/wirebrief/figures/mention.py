"""What the finder finds: a number mention and its kinds, and the core the lexer reads before it. The types every
module of the figures imports, in one place (so the finder and the lexer need not import each other)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal["count", "money", "percent", "measure", "temperature", "age", "ratio", "year", "date", "time",
               "decade", "ordinal", "identifier", "score", "band"]
NON_FIGURE_KINDS: frozenset[str] = frozenset({"date", "time", "decade", "ordinal", "identifier", "score", "band"})
"""Numbers that are never quantities (a date, '21st', 'F-16', a 3-2 score, the ages that bound a group: '18 to 24
year olds'); years stay quantities for the yardstick, but are no figure candidates either."""
Qualifier = Literal["exact", "approximately", "at least", "more than", "less than", "up to"]


@dataclass(frozen=True)
class NumberMention:
    """One numeric mention in a text. ``start``/``end`` cover ``raw``: qualifier words, sign, currency, scale and a
    unit written as a symbol or abbreviation are included ("more than $20 billion", "-0.8%", "30 mph")."""

    id: int
    raw: str
    start: int
    end: int
    value: float
    kind: Kind
    qualifier: Qualifier
    unit: str | None
    """Set when the text itself says it (currency, percent, a unit, a time word); else the model labels it."""
    range_id: int | None = None
    """The two ends of a range or a score ("10-15", "between 20 and 30", "3-2") share it: the low end's id."""

    @property
    def is_figure_candidate(self) -> bool:
        """Years, dates, ordinals, model names, scores and times are kept for checking text, not offered."""
        return self.kind not in NON_FIGURE_KINDS and self.kind != "year"


@dataclass(frozen=True)
class Core:
    """A number as the lexer reads it, before the words around it are."""

    start: int
    end: int
    value: Decimal
    text: str
    kind: Kind | None = None
    """Set by fixed forms that are no plain number: time, date, year, identifier, score, ratio."""
    words: bool = False
    plain: bool = False
    """Bare digits, no separators or decimals ('2024', '10')."""
    scaled: bool = False
    """A scale word inside ('1.5 million')."""
    group: int | None = None
    """Cores of one form that belong together: the two numbers of '3:1'."""
    scale: int | None = None
    """The scale word it ends with ('$3 billion'), for the other end of a range ('from $2 to $3 billion')."""


def same_value(a: float, b: float) -> bool:
    """Equal up to float noise (values come from Decimal, so this is tight)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
