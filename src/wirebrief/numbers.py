"""The deterministic number finder: every numeric mention in a text, with its value and span.

Code finds the numbers; the model only chooses among them and labels them. Nothing here calls a model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Kind = Literal["count", "money", "percent", "year", "date"]
NON_FIGURE_KINDS: frozenset[str] = frozenset({"date"})
"""Mentions that are numbers but never quantities (a calendar date); years stay quantities for the yardstick."""
Qualifier = Literal["exact", "approximately", "at least", "more than", "less than", "up to"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "bn": 1_000_000_000, "mn": 1_000_000,
}
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_TIME_UNITS = {"year", "month", "week", "day", "decade", "hour", "minute", "second", "century"}
_CURRENCIES = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP"}

_WORD = "|".join(sorted([*_UNITS, *_TENS, "dozen"], key=len, reverse=True))
_WORD_NUM = rf"(?:(?:{'|'.join(_TENS)})-(?:{'|'.join(k for k in _UNITS if _UNITS[k] < 10)})|{_WORD})"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"

NUMBER_RE = re.compile(
    rf"""
    (?:(?P<cur>US\$|\$|€|£)\s?)?
    (?P<num>(?<![\w.,:\-/])(?:{_DIGITS})(?![\w]*[:/]\d)|\b{_WORD_NUM}\b)
    (?:[\s-]?(?P<scale>hundred|thousand|million|billion|trillion|bn|mn)\b)?
    (?P<plus>-plus\b|\+)?
    (?:\s?(?P<pct>%|percent\b|per\ cent\b|per\ cents?\b)|\s(?P<cents>cents?)\b)?
    """,
    re.VERBOSE | re.IGNORECASE,
)

_QUALIFIERS: list[tuple[str, Qualifier]] = [
    ("more than", "more than"), ("over", "more than"), ("upwards of", "more than"),
    ("in excess of", "more than"), ("above", "more than"),
    ("at least", "at least"), ("no fewer than", "at least"), ("no less than", "at least"),
    ("less than", "less than"), ("fewer than", "less than"), ("under", "less than"), ("below", "less than"),
    ("up to", "up to"), ("as many as", "up to"),
    ("approximately", "approximately"), ("about", "approximately"), ("around", "approximately"),
    ("roughly", "approximately"), ("an estimated", "approximately"), ("estimated", "approximately"),
    ("nearly", "approximately"), ("almost", "approximately"), ("close to", "approximately"),
    ("some", "approximately"), ("approx.", "approximately"), ("circa", "approximately"),
]
_QUALIFIER_RE = re.compile(
    r"(?:^|(?<=\W))(" + "|".join(re.escape(q) for q, _ in _QUALIFIERS) + r")\s+$", re.IGNORECASE
)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+$", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"\s+(?:{_MONTHS})\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*(?:-\s*)?([A-Za-z]+)")
_NOT_NOUNS = {"the", "and", "or", "to", "that", "when", "was", "were", "is", "as", "but", "for", "with", "in", "on",
              "at", "by", "from", "of", "after", "before", "during", "until", "through", "against", "into"}
"""Words after a four-digit number that mean it is a year ("in 2024 in Iraq"), not a count of something."""
_YEAR_CONTEXT = re.compile(
    rf"(?:\b(?:{_MONTHS})\.?\s+|\b(?:in|since|of|by|from|to|until|till|through|before|after|during|year|early|late|mid)\s+|[,–-]\s*)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumberMention:
    """One numeric mention in a text. ``start``/``end`` cover ``raw``, qualifier words included."""

    id: int
    raw: str
    start: int
    end: int
    value: float
    kind: Kind
    qualifier: Qualifier
    unit: str | None
    """Set when the text itself says it (currency, percent, a time word); else the model labels it."""

    @property
    def is_figure_candidate(self) -> bool:
        """Years and calendar dates are kept for checking text, but not offered as figures."""
        return self.kind not in ("year", "date")


def word_value(word: str) -> int | None:
    """'eight' → 8, 'forty-five' → 45, 'dozen' → 12; None if it is not a number word."""
    word = word.lower()
    if word == "dozen":
        return 12
    if word in _UNITS:
        return _UNITS[word]
    if word in _TENS:
        return _TENS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS and unit in _UNITS:
        return _TENS[tens] + _UNITS[unit]
    return None


def _numeric(num: str) -> Decimal | None:
    if num[0].isdigit() or num[0] == ".":
        return Decimal(num.replace(",", ""))
    value = word_value(num)
    return None if value is None else Decimal(value)


def _kind(m: re.Match[str], text: str, number: Decimal) -> Kind:
    if m.group("cur") or m.group("cents"):
        return "money"
    if m.group("pct"):
        return "percent"
    start, end = m.start("num"), m.end("num")
    num = m.group("num")
    if num.isdigit() and not m.group("scale"):
        before = text[max(0, start - 12) : start]
        if 1 <= number <= 31 and (_MONTH_BEFORE.search(before) or _MONTH_AFTER.match(text, end)):
            return "date"
        if len(num) == 4 and 1800 <= number <= 2100:
            nxt = _NEXT_WORD.match(text, end)
            counts_a_noun = nxt is not None and nxt.group(1).islower() and nxt.group(1) not in _NOT_NOUNS
            if not counts_a_noun or _YEAR_CONTEXT.search(text[max(0, start - 16) : start]):
                return "year"
    return "count"


def _unit(m: re.Match[str], text: str, kind: Kind) -> str | None:
    if m.group("cents"):
        return "USD"
    if m.group("cur"):
        return _CURRENCIES[m.group("cur").upper()]
    if kind == "percent":
        return "percent"
    nxt = _NEXT_WORD.match(text, m.end())
    if nxt:
        word = nxt.group(1).lower()
        singular = word[:-1] if word.endswith("s") else word
        if singular in _TIME_UNITS:
            return singular + "s"
    return None


def _qualifier(m: re.Match[str], text: str) -> tuple[Qualifier, int]:
    """The qualifier before the mention and where its words start."""
    window_start = max(0, m.start() - 24)
    before = text[window_start : m.start()]
    q = _QUALIFIER_RE.search(before)
    if q:
        phrase = q.group(1).lower()
        return dict(_QUALIFIERS)[phrase], window_start + q.start(1)
    if m.group("plus"):
        return "at least", m.start()
    return "exact", m.start()


def _skip(m: re.Match[str], text: str) -> bool:
    num = m.group("num")
    end = m.end("num")
    if num[0].isdigit() and _ORDINAL_AFTER.match(text, end):
        return True  # 82nd, 1st: names and ranks, not quantities
    if num.lower() == "one" and not m.group("scale"):
        return True  # "one example", "one of": almost never a figure
    start = m.start("num")
    return start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha()  # F-16, COVID-19


def find_numbers(text: str) -> list[NumberMention]:
    """Every numeric mention in ``text``, in order, with ids 1, 2, 3…"""
    found: list[NumberMention] = []
    for m in NUMBER_RE.finditer(text):
        if _skip(m, text):
            continue
        number = _numeric(m.group("num"))
        if number is None:
            continue
        if m.group("scale"):
            number *= _SCALES[m.group("scale").lower()]
        if m.group("cents"):
            number /= 100
        kind = _kind(m, text, number)
        qualifier, start = _qualifier(m, text)
        end = m.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        found.append(
            NumberMention(
                id=len(found) + 1,
                raw=text[start:end],
                start=start,
                end=end,
                value=float(number),
                kind=kind,
                qualifier=qualifier,
                unit=_unit(m, text, kind),
            )
        )
    return found


def same_value(a: float, b: float) -> bool:
    """Equal up to float noise (values come from Decimal, so this is tight)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


_MARK = re.compile(r"\[#?\d{1,4}\]\s?")


def figure_candidates(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """The mentions offered to the model as figures: no years or dates, and no repeats.

    A repeat has the value and the next word of an earlier mention (a lede restated, a caption).
    """
    seen: set[tuple[float, str]] = set()
    chosen = []
    for m in mentions:
        if not m.is_figure_candidate:
            continue
        following = re.sub(r"\W", "", (text[m.end : m.end + 30].lower().split() or [""])[0])
        if (m.value, following) in seen:
            continue
        seen.add((m.value, following))
        chosen.append(m)
    return chosen


def mark(text: str, candidates: list[NumberMention]) -> str:
    """The text with ``[#id]`` before every candidate, for the model to refer to."""
    out, pos = [], 0
    for m in candidates:
        out += [text[pos : m.start], f"[#{m.id}] "]
        pos = m.start
    return "".join([*out, text[pos:]])


def unmark(text: str) -> str:
    """Remove ``[id]`` marks a model copied into its prose."""
    return re.sub(r"  +", " ", _MARK.sub("", text)).strip()


def tidy(text: str) -> str:
    """Model prose without [id] marks or the stray leading punctuation small models emit (".18 killed")."""
    return unmark(text).lstrip(".,;:–—- ")


def unverified_numbers(text: str, article_values: Sequence[float]) -> list[str]:
    """Numbers written in ``text`` whose value is not any number of the article."""
    return [
        m.raw
        for m in find_numbers(tidy(text))
        if not any(same_value(m.value, v) for v in article_values)
    ]
