"""The deterministic number finder: every numeric mention in a text, with its value, kind, unit and span.

Code finds the numbers; the model only chooses among them and labels them. Nothing here calls a model.

It reads in three steps. A lexer finds number *cores*: digits in every news notation ("1,234,567", "1.234.567",
".08", "1e10", "3/4", "10 1/2", "½"), fixed forms (times, dates, phone numbers, versions, "3:1") and runs of
number words, read by a small grammar ("one hundred and three", "half a million", "two out of three"). Each core
is then dressed with what stands around it: a sign, a scale ("$5m", "2.33 k"), a currency, percent, a unit of
measure or an age (:mod:`wirebrief.units`), a qualifier; or it is known for no quantity at all (an ordinal, a
decade, a model name, a score, a time). Last, neighbours are linked: the two ends of a range share a
``range_id`` and a scale or unit written once ("from $2 to $3 billion"), and "3 dollars 50 cents" is one amount.
Number words are read by this grammar, not by text2num or number-parser: those rewrite the text or return
values without character spans, and neither reads fractions, ratios or "half a million".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from wirebrief import units

Kind = Literal["count", "money", "percent", "measure", "temperature", "age", "ratio", "year", "date", "time",
               "decade", "ordinal", "identifier", "score"]
NON_FIGURE_KINDS: frozenset[str] = frozenset({"date", "time", "decade", "ordinal", "identifier", "score"})
"""Numbers that are never quantities (a date, '21st', 'F-16', a 3-2 score); years stay quantities for the
yardstick, but are no figure candidates either."""
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


# --- number words ---------------------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "nought": 0, "naught": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_SCALE_WORDS = {"hundred": 100, "thousand": 10**3, "lakh": 10**5, "million": 10**6, "crore": 10**7,
                "billion": 10**9, "trillion": 10**12}
_ORDINALS = {
    "half": 2, "quarter": 4, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100, "thousandth": 10**3, "millionth": 10**6, "billionth": 10**9, "trillionth": 10**12,
}
"""Ordinal words that also name fractions: 'two thirds', 'a hundredth'."""
_VOCABULARY: dict[str, tuple[str, int]] = {
    **{w: ("small", v) for w, v in _UNITS.items()}, **{w: ("tens", v) for w, v in _TENS.items()},
    **{w: ("hundred" if v == 100 else "scale", v) for w, v in _SCALE_WORDS.items()},
    **{w: ("dozen", 12) for w in ("dozen", "dz", "doz")}, **{w: ("frac", v) for w, v in _ORDINALS.items()},
    "first": ("ordunit", 1), "second": ("ordunit", 2),
}
"""Each number word's role in the grammar and its value (for an ordinal: the denominator it names)."""


def _plural(word: str) -> str:
    return "halves" if word == "half" else word + "s"


_WORD_FORMS = {**{w: (r, v, False) for w, (r, v) in _VOCABULARY.items()},
               **{_plural(w): (r, v, True) for w, (r, v) in _VOCABULARY.items() if r not in ("small", "tens")}}


def word_value(word: str) -> int | None:
    """'eight' → 8, 'forty-five' → 45, 'dozen' → 12, 'one hundred and three' → 103; None if not a whole number."""
    word = word.strip()
    if word.lower() == "dozen":
        return 12
    found = [c for c in _cores(word) if c.kind is None]
    if len(found) != 1 or (found[0].start, found[0].end) != (0, len(word)) or found[0].value % 1:
        return None
    return int(found[0].value)


# --- the lexer: number cores ----------------------------------------------------------------------------------

_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)"  # 1,234,567.89
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?(?!\d)"  # Indian 12,34,567.89
    r"|\d{1,3}(?:\.\d{3})+,\d+(?!\d)"  # European 1.111,11
    r"|(?<!\d,)\d{1,3},\d{1,2}(?!\d|,\d)"  # European decimal comma 1,3 (not a list: 22,24,26,31)
    r"|\d{1,2}(?:[ ]\d{3})+(?!\d|[.,]\d)"  # 40 000, 1 234 567
    r"|\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?:\.\d+)?(?!\d)"  # 40 000 with a (narrow) no-break space
    r"|\d+(?:\.\d+)?(?:[eE][+-]?\d+(?![\w]))?"  # 1200, 4.5, 1e10
    r"|\.\d+"  # .08
)
_WORD_RE = "|".join(sorted(_WORD_FORMS, key=len, reverse=True))
_A_BEFORE = "|".join(sorted((w for w, (r, _, _) in _WORD_FORMS.items() if r in ("hundred", "scale", "dozen", "frac",
                                                                                "tens")), key=len, reverse=True))
_VULGAR = {"½": "0.5", "⅓": "1/3", "⅔": "2/3", "¼": "0.25", "¾": "0.75", "⅕": "0.2", "⅖": "0.4", "⅗": "0.6",
           "⅘": "0.8", "⅙": "1/6", "⅚": "5/6", "⅛": "0.125", "⅜": "0.375", "⅝": "0.625", "⅞": "0.875"}
_FORMS = re.compile(
    rf"""(?P<url>\b(?:https?://|www\.)\S+)
    |(?P<phone>(?<![\w+])\+\d{{1,3}}(?:[ .-]\(?\d{{1,4}}\)?){{2,5}}(?:/\d+)?(?!\d)|\(\d{{3}}\)\s?\d{{3}}-\d{{4}}(?!\d))
    |(?P<serial>(?<![\w.-])\d+(?:-\d+){{2,}}(?:/\d+)?(?!\d))
    |(?P<clock>(?<![\d.:])\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s?(?i:[ap]\.m\.|[ap]m\b))?(?![\d:]))
    |(?P<pair>(?<![\d.:])\d+:\d+(?![\d:]))
    |(?P<ampm>(?<![\d.:,])\d{{1,2}}\s?(?i:[ap]\.m\.|[ap]m\b))
    |(?P<slashdate>(?<![\d/])\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})(?![\d/]))
    |(?P<dotted>(?<![\d.])\d+(?:\.\d+){{2,}}(?:,\d+)?(?!\d))
    |(?P<power>(?<![\d.])\d+(?:\.\d+)?(?:\^[+-]{{0,2}}\d+|\s?[x×*]\s?10\^[+-]?\d+))
    |(?P<mixed>(?<![\d./])\d{{1,3}}[ ]+\d{{1,2}}[/⁄]\d{{1,3}}(?![\d/]))
    |(?P<fraction>(?<![\d./])\d+[/⁄]\d+(?![\d/]))
    |(?P<vulgar>(?<![\d.])\d*[{''.join(_VULGAR)}])
    |(?P<digits>{_DIGITS})
    |\b(?P<word>(?i:{_WORD_RE}|an?(?=[ ]+(?:{_A_BEFORE})\b)))\b""",
    re.VERBOSE,
)
_GAP = re.compile(r"[ ]*-[ ]*|[ ]+(?:(and|point|of|out[ ]+of|in|over)[ ]+)?")
_COMMON_DENOMINATORS = {2, 3, 4, 5, 6, 8, 10, 16, 32, 64, 100, 1000}


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


@dataclass(frozen=True)
class _Tok:
    """A number word or a digits token; ``gap`` says how it joins the one before (None: it does not)."""

    start: int
    end: int
    text: str
    role: str
    value: Decimal
    plural: bool
    gap: str | None


def _digits_value(text: str) -> Decimal:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", text) and ("," in text or text.count(".") > 1):
        return Decimal(text.replace(".", "").replace(",", "."))  # European: 1.234.567 / 1.111,11
    if re.fullmatch(r"\d{1,3},\d{1,2}", text):
        return Decimal(text.replace(",", "."))
    return Decimal(re.sub(r"[,\s\u00a0\u202f\u2009]", "", text))


def _core(m: re.Match[str], kind: Kind | None = None, value: Decimal | None = None, group: int | None = None,
          span: tuple[int, int] | None = None) -> Core:
    start, end = span or m.span()
    text = m.string[start:end]
    return Core(start, end, _digits_value(text) if value is None else value, text, kind, group=group)


def _form_cores(m: re.Match[str]) -> Iterator[Core]:
    """The cores of a fixed form (everything but plain digits and number words)."""
    form, text = m.lastgroup, m.group(0)
    if form in ("phone", "serial"):
        iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if iso and form == "serial":
            yield _core(m, "year", span=(m.start(), m.start() + 4))
            yield _core(m, "date", Decimal(iso.group(3)), span=(m.start() + 5, m.end()))
        else:
            yield _core(m, "identifier", Decimal(re.sub(r"\D", "", text)))
    elif form in ("clock", "ampm"):
        hour, minutes = re.match(r"(\d+):?(\d\d)?", text).groups()  # type: ignore[union-attr]
        if int(hour) > 24 or int(minutes or 0) > 59:
            yield from _pair_cores(m)
        else:
            yield _core(m, "time", Decimal(hour) + Decimal(minutes or 0) / 60)
    elif form == "pair":
        yield from _pair_cores(m)
    elif form == "slashdate":
        month_day, year = text.rsplit("/", 1)
        yield _core(m, "date", Decimal(month_day.split("/")[1]), span=(m.start(), m.start() + len(month_day)))
        yield _core(m, "year", span=(m.end() - len(year), m.end()))
    elif form == "dotted":
        european = re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?", text)
        yield _core(m, None if european else "identifier", None if european else Decimal(re.sub(r"\D", "", text)))
    else:
        yield _core(m, None, _form_value(form or "", text))


def _pair_cores(m: re.Match[str]) -> Iterator[Core]:
    """'10:9999', '3:1': two numbers that are no clock time, scored as a pair."""
    left, right = m.group(0).split(":")[:2]
    right_digits = re.match(r"\d+", right).group(0)  # type: ignore[union-attr]
    yield _core(m, "score", span=(m.start(), m.start() + len(left)), group=m.start())
    start = m.start() + len(left) + 1
    yield _core(m, "score", span=(start, start + len(right_digits)), group=m.start())


def _form_value(form: str, text: str) -> Decimal:
    """The value of a power ('1.1^23', '1.3x10^6'), a fraction ('3/4', '10 1/2') or a vulgar fraction ('10½')."""
    if form == "power":
        base, exponent = re.split(r"\s?[x×*]\s?10\^|\^", text)
        if "^" in text and re.search(r"[x×*]", text):
            return Decimal(base) * Decimal(10) ** int(exponent)
        sign = -1 if exponent.count("-") % 2 else 1
        return Decimal(base) ** (sign * int(exponent.lstrip("+-")))
    if form == "vulgar":
        whole, fraction = text[:-1], _VULGAR[text[-1]]
        return Decimal(whole or 0) + _ratio(fraction)
    whole, _, fraction = text.replace("⁄", "/").rpartition(" ")
    return Decimal(whole.strip() or 0) + _ratio(fraction)


def _ratio(fraction: str) -> Decimal:
    if "/" not in fraction:
        return Decimal(fraction)
    top, bottom = fraction.split("/")
    return Decimal(top) / Decimal(bottom) if int(bottom) else Decimal(0)


def _fraction_kind(text: str) -> Kind | None:
    """'9/11' and '24/7' read as dates, '3/4' and '3/9999' as fractions."""
    top, bottom = (int(x) for x in text.replace("⁄", "/").split("/"))
    if top < bottom:
        return "date" if top <= 12 and bottom <= 31 and bottom not in _COMMON_DENOMINATORS else None
    return "date" if top <= 31 and bottom <= 12 and bottom > 1 else None


def _cores(text: str) -> list[Core]:
    """Every number core in ``text``, in order."""
    found: list[Core] = []
    run: list[_Tok] = []
    for m in _FORMS.finditer(text):
        if m.lastgroup in ("digits", "word"):
            run.append(_token(m, run[-1] if run else None))
            continue
        found += _parse_run(run, text)
        run = []
        if m.lastgroup == "url":
            continue
        if m.lastgroup == "fraction" and (kind := _fraction_kind(m.group(0))):
            found.append(_core(m, kind, Decimal(re.split(r"[/⁄]", m.group(0))[1])))
            continue
        found += _form_cores(m)
    found += _parse_run(run, text)
    return sorted(found, key=lambda c: c.start)


def _token(m: re.Match[str], before: _Tok | None) -> _Tok:
    gap = _gap(m.string, before.end, m.start()) if before else None
    if m.lastgroup == "digits":
        return _Tok(m.start(), m.end(), m.group(0), "digits", _digits_value(m.group(0)), False, gap)
    role, value, plural = _WORD_FORMS.get(m.group(0).lower(), ("a", 1, False))
    return _Tok(m.start(), m.end(), m.group(0), role, Decimal(value), plural, gap)


def _gap(text: str, start: int, end: int) -> str | None:
    m = _GAP.fullmatch(text, start, end)
    if m is None:
        return None
    return " ".join(m.group(1).split()) if m.group(1) else "-" if "-" in m.group(0) else " "


# --- the grammar of number words ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Acc:
    """A whole number being read word by word: completed scales + hundreds + the small rest."""

    total: Decimal = Decimal(0)
    hundreds: Decimal = Decimal(0)
    small: Decimal = Decimal(0)
    last: str = ""
    """Role of the last token read; '' before the first."""
    top: Decimal = Decimal(10**18)
    """The last scale read: a later scale must be smaller ('two million three thousand')."""
    and_at: int = -1
    """Index of the token after the last 'and' ('one hundred and three'), for mixed fractions."""
    before_and: Decimal = Decimal(0)
    and_scale: Decimal = Decimal(1)
    """The scale just before that 'and' ('two million and one half' is 2.5 million)."""

    @property
    def value(self) -> Decimal:
        return self.total + self.hundreds + self.small


def _step(acc: _Acc, t: _Tok) -> _Acc | None:
    """``acc`` with one more token, or None if the token cannot continue this number."""
    first = acc.last == ""
    if t.role == "digits":
        whole = t.value == t.value.to_integral_value()
        small = t.value < 100 or (t.gap == " " and acc.last == "scale" and t.value < acc.top)
        ok = first or (whole and t.value > 0 and small and acc.last in ("hundred", "scale"))
        return replace(acc, small=t.value, last="digits") if ok else None
    if t.role in ("small", "tens"):
        kind = "zero" if t.value == 0 else "unit" if t.value < 10 else "teen" if t.value < 20 else "tens"
        allowed = {"zero": ("",), "unit": ("", "hundred", "scale", "tens"), "teen": ("", "hundred", "scale"),
                   "tens": ("", "hundred", "scale")}[kind]
        return replace(acc, small=acc.small + t.value, last=kind) if acc.last in allowed else None
    if t.role == "a":
        return replace(acc, small=Decimal(1), last="a") if first else None
    if t.role == "dozen":
        return replace(acc, small=acc.small * 12, last="dozen") if acc.last in ("unit", "teen", "tens", "digits",
                                                                                  "a") else None
    if (first and t.plural) or acc.last in ("zero", "dozen"):
        return None  # "hundreds", "thousands" alone are vague
    if t.role == "hundred":
        if acc.hundreds or acc.last == "hundred":
            return None
        return replace(acc, hundreds=(acc.small or Decimal(1)) * 100, small=Decimal(0), last="hundred")
    if t.role == "scale":
        if t.value >= acc.top:  # "three lakh crore", "two thousand million": a scale of a scale
            return replace(acc, total=acc.total * t.value, top=acc.top * t.value) if acc.last == "scale" else None
        group = acc.hundreds + acc.small
        return replace(acc, total=acc.total + (group or 1) * t.value, hundreds=Decimal(0), small=Decimal(0),
                       top=t.value, last="scale")
    return None


def _cardinal(toks: list[_Tok], i: int) -> tuple[_Acc, int] | None:
    """The whole number starting at ``toks[i]`` and the index after it. When a word cannot continue it and an
    'and' came before ('3 hundred and 2 hundred'), the number ends before the 'and'."""
    acc, j, before_and = _Acc(), i, (_Acc(), i)
    while j < len(toks):
        t = toks[j]
        if j > i and (t.gap not in (" ", "-", "and") or (t.gap == "and" and acc.last not in ("hundred", "scale"))
                      or (t.gap == "-" and not (acc.last == "tens" and t.role == "small" and 0 < t.value < 10))):
            break
        nxt = _step(acc, t)
        if nxt is None:
            if acc.and_at > i and t.role in ("digits", "small", "tens", "hundred", "scale"):
                acc, j = before_and
            break
        if j > i and t.gap == "and":
            before_and = (acc, j)
            nxt = replace(nxt, and_at=j, before_and=acc.value, and_scale=acc.top if acc.last == "scale" else Decimal(1))
        acc, j = nxt, j + 1
    return (acc, j) if j > i else None


def _follows(toks: list[_Tok], j: int, roles: tuple[str, ...], gaps: tuple[str, ...] = (" ", "-")) -> bool:
    return j < len(toks) and toks[j].role in roles and toks[j].gap in gaps


def _scale_after(toks: list[_Tok], j: int) -> tuple[Decimal, int] | None:
    """A scale after a fraction: 'half a million', 'quarter million', 'two thirds of a million', 'half a dozen'."""
    if j < len(toks) and toks[j].gap in (" ", "of") and not toks[j].plural:
        if toks[j].role in ("scale", "hundred", "dozen"):
            return toks[j].value, j + 1
        if toks[j].role == "a" and _follows(toks, j + 1, ("scale", "hundred", "dozen"), (" ",)):
            return toks[j + 1].value, j + 2
    return None


def _over(numerator: Decimal, ordinal: _Tok, denominator: Decimal, single: bool, text: str) -> Decimal | None:
    """numerator/denominator if the words agree: 'a fifth', 'one eighth', 'three fifths', not 'two millionth'.
    After 'a' (``single``), an ordinal is a fraction before 'of' or a clause end, not in 'a third term'."""
    if ordinal.plural == (numerator == 1) and not (ordinal.text.lower() == "halves" and numerator > 1):
        return None
    if single and ordinal.role == "frac" and ordinal.value != 2 and not re.match(
            r"\s*(?:of\b|and\b|$|[.,;:!?)])|[ ]+(?i:hundred|thousand|million|billion|trillion)\b", text[ordinal.end:]):
        return None
    return numerator / denominator


def _fraction(toks: list[_Tok], acc: _Acc, i: int, j: int, text: str) -> tuple[Decimal, int] | None:
    """A cardinal followed by an ordinal: 'two thirds', 'one hundred thirty-fifths' (100/35), 'twenty twenty
    fifths' (20/25), 'one hundred and three quarters' (100.75: a proper fraction after 'and' is mixed)."""
    if any(t.role == "digits" for t in toks[i:j]):
        return None  # "100 millionths" is a hundred millionths of something, not 1e-4
    single = acc.last == "a"
    if _follows(toks, j, ("frac", "ordunit")):
        ordinal = toks[j]
        tens = toks[j - 1]
        joined = acc.last == "tens" and ordinal.value < 10 and (ordinal.gap == "-" or (
            j - 1 > i and toks[j - 2].role in ("hundred", "scale") and tens.gap == " "))
        if joined:
            numerator = acc.value - tens.value
            if numerator <= 0:
                return None  # "twenty-first": an ordinal
            value = _over(numerator, ordinal, tens.value + ordinal.value, False, text)
        elif ordinal.role == "ordunit":
            return None
        elif acc.and_at >= 0 and acc.value - acc.before_and < ordinal.value:
            q = _over(acc.value - acc.before_and, ordinal, ordinal.value, False, text)
            scale = _scale_after(toks, j + 1) if acc.and_scale > 1 else None
            if q is None or scale is not None:  # "one billion and three quarters million"
                return None if q is None else (acc.before_and + q * scale[0], scale[1])  # type: ignore[index]
            value = acc.before_and + q * acc.and_scale
        else:
            value = _over(acc.value, ordinal, ordinal.value, single, text)
        return None if value is None else (value, j + 1)
    second = _cardinal(toks, j) if _follows(toks, j, ("small", "tens", "a"), (" ",)) else None
    if second and second[0].last in ("tens", "hundred", "scale") and _follows(toks, second[1], ("frac", "ordunit"),
                                                                              (" ", "-", "and")):
        ordinal = toks[second[1]]  # "one one hundred fifth" = 1/105, "three twenty firsts" = 3/21
        if ordinal.value < 10:
            value = _over(acc.value, ordinal, second[0].value + ordinal.value, single, text)
            return None if value is None else (value, second[1] + 1)
    return None


def _decimals(toks: list[_Tok], j: int) -> tuple[Decimal, int] | None:
    """'point zero three' → .03, 'point seventy-one' → .71, 'point eleven' → .11."""
    digits, k = "", j
    while k < len(toks) and toks[k].role == "small" and toks[k].gap == ("point" if k == j else " "):
        if toks[k].value >= 10:
            if k == j:
                digits, k = str(toks[k].value), k + 1
            break
        digits, k = digits + str(toks[k].value), k + 1
    if not digits and _follows(toks, j, ("tens",), ("point",)):
        digits, k = str(toks[j].value), j + 1
        if _follows(toks, k, ("small",), ("-", " ")) and 0 < toks[k].value < 10:
            digits, k = str(toks[j].value + toks[k].value), k + 1
    return (Decimal("0." + digits), k) if digits else None


def _mixed(toks: list[_Tok], acc: _Acc, j: int, text: str) -> tuple[Decimal, int] | None:
    """'one and a half', 'forty two and a third', '3 million and a half' (3.5 million), 'five and a half
    million', 'one billion and three quarters million'."""
    if j >= len(toks) or toks[j].gap != "and":
        return None
    part = _cardinal(toks, j)
    if part is None:
        return None
    fraction = _fraction(toks, part[0], j, part[1], text)
    if fraction is None or fraction[0] >= 1:
        return None
    q, end = fraction
    scale = _scale_after(toks, end)
    if acc.last == "scale":
        return acc.value + q * (scale[0] if scale else acc.top), scale[1] if scale else end
    return ((acc.value + q) * (scale[0] if scale else 1)), scale[1] if scale else end


def _ratio_after(toks: list[_Tok], n: Decimal, j: int, text: str) -> tuple[Decimal, int] | None:
    """'one in five', 'two out of three', '1 over 3' (at a clause end): n/m. Not '12 in six boxes' (n > m),
    '3 in 10 days' (a time) or '2 in 2014' (a year)."""
    if j >= len(toks) or toks[j].gap not in ("out of", "in", "over") or n != n.to_integral_value():
        return None
    m = _cardinal(toks, j)
    if m is None or m[0].last == "a" or m[0].value <= 0 or m[0].value != m[0].value.to_integral_value():
        return None
    value, end = m[0].value, toks[m[1] - 1].end
    gap = toks[j].gap
    if gap == "out of" and n > value:
        return None
    if gap == "in" and (n >= value or re.match(r"\s*(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|"
                                               r"decades?)\b", text[end:], re.IGNORECASE)
                        or (m[1] - j == 1 and 1800 <= value <= 2100)):
        return None
    if gap == "over" and not re.match(r"\s*(?:$|[.,;!?)])", text[end:]):
        return None
    return n / value, m[1]


def _bare_fraction(toks: list[_Tok], i: int) -> tuple[Decimal, int] | None:
    """'half' (0.5), 'half a million', 'quarter million'; a lone 'fifth' or 'quarter' is an ordinal or a period."""
    t, scale = toks[i], _scale_after(toks, i + 1)
    if t.plural or t.role != "frac" or (t.value != 2 and scale is None):
        return None
    value = 1 / t.value
    return (value * scale[0], scale[1]) if scale else (value, i + 1)


def _number(toks: list[_Tok], i: int, text: str) -> tuple[Decimal, int, Kind | None] | None:
    """The number starting at ``toks[i]``: its value, the index after it, and 'ratio' for 'one in five'."""
    if toks[i].role in ("frac", "ordunit"):
        bare = _bare_fraction(toks, i)
        return None if bare is None else (bare[0], bare[1], None)
    card = _cardinal(toks, i)
    if card is None:
        return None
    acc, j = card
    value, end = acc.value, j
    if (fraction := _fraction(toks, acc, i, j, text)) is not None:
        value, end = fraction
        if scale := _scale_after(toks, end):
            value, end = value * scale[0], scale[1]
    elif (mixed := _mixed(toks, acc, j, text)) is not None:
        value, end = mixed
    elif acc.last not in ("digits", "a") and (decimals := _decimals(toks, j)) is not None:
        value, end = acc.value + decimals[0], decimals[1]
        if scale := _scale_after(toks, end):
            value, end = value * scale[0], scale[1]
    elif acc.last == "a":
        return None
    if (ratio := _ratio_after(toks, value, end, text)) is not None:
        return ratio[0], ratio[1], "ratio"
    return value, end, None


_VAGUE_BEFORE = re.compile(r"(?i:\b(?:several|few|many|some|couple\s+of|of|the|tens|hundreds|dozens)\s+)\Z")


def _parse_run(toks: list[_Tok], text: str) -> list[Core]:
    """The numbers in a list of number tokens (those joined by a gap can form one number)."""
    found, i = [], 0
    while i < len(toks):
        t = toks[i]
        if t.role == "tens" and _follows(toks, i + 1, ("frac", "ordunit")) and toks[i + 1].value < 10 and not (
                toks[i + 1].plural):
            i += 2  # "twenty-first": an ordinal
            continue
        bare_scale = t.role in ("hundred", "scale") and _VAGUE_BEFORE.search(text, max(0, t.start - 16), t.start)
        parsed = None if bare_scale else _number(toks, i, text)
        if parsed is None:
            i += 1
            continue
        value, end, kind = parsed
        span = toks[i:end]
        found.append(Core(t.start, span[-1].end, value, text[t.start : span[-1].end], kind,
                          words=any(s.role != "digits" for s in span),
                          plain=len(span) == 1 and t.role == "digits" and t.text.isdigit(),
                          scaled=any(s.role in ("hundred", "scale") for s in span),
                          scale=int(span[-1].value) if span[-1].role == "scale" and kind is None else None))
        i = end
    return found


# --- dressing a core with the words around it -----------------------------------------------------------------

_QUALIFIERS: list[tuple[str, Qualifier]] = [
    ("more than", "more than"), ("over", "more than"), ("upwards of", "more than"), ("in excess of", "more than"),
    ("above", "more than"), ("greater than", "more than"), ("larger than", "more than"), ("higher than", "more than"),
    ("bigger than", "more than"), (">", "more than"), ("at least", "at least"), ("no fewer than", "at least"),
    ("no less than", "at least"), (">=", "at least"), ("≥", "at least"), ("less than", "less than"),
    ("fewer than", "less than"), ("under", "less than"), ("below", "less than"), ("smaller than", "less than"),
    ("lower than", "less than"), ("<", "less than"), ("up to", "up to"), ("as many as", "up to"),
    ("no more than", "up to"), ("at most", "up to"), ("not more than", "up to"), ("<=", "up to"), ("≤", "up to"),
    ("approximately", "approximately"), ("about", "approximately"), ("around", "approximately"),
    ("roughly", "approximately"), ("an estimated", "approximately"), ("estimated", "approximately"),
    ("nearly", "approximately"), ("almost", "approximately"), ("close to", "approximately"),
    ("some", "approximately"), ("approx.", "approximately"), ("circa", "approximately"), ("~", "approximately"),
]
_QUALIFIER_RE = re.compile(
    r"(?:^|(?<=\W)|(?=[<>≤≥~]))(" + "|".join(re.escape(q) for q, _ in sorted(_QUALIFIERS, key=lambda q: -len(q[0])))
    + r")\s*\Z",
    re.IGNORECASE,
)
_PLUS = re.compile(r"-plus\b|\+(?!\d)|\s+or\s+(?:more|above|greater)\b")
_MONTHS = ("january|february|march|april|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|(?-i:May)")
_MONTH_BEFORE = re.compile(rf"\b(?:{_MONTHS})\.?\s+\Z", re.IGNORECASE)
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s*(?:-\s*)?([A-Za-z]+)")
_NOT_NOUNS = {"the", "and", "or", "to", "that", "when", "was", "were", "is", "as", "but", "for", "with", "in", "on",
              "at", "by", "from", "of", "after", "before", "during", "until", "through", "against", "into"}
"""Words after a four-digit number that mean it is a year ("in 2024 in Iraq"), not a count of something."""
_YEAR_CONTEXT = re.compile(rf"(?:\b(?:{_MONTHS})\.?\s+|\b(?:in|since|of|by|from|to|until|till|through|before|after|"
                           r"during|year|early|late|mid)\s+|[,–-]\s*)\Z", re.IGNORECASE)
_TIME_UNITS = {"year", "month", "week", "day", "decade", "hour", "minute", "second", "century"}
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_DECADE = re.compile(r"'?s\b")
_NAME_BEFORE = re.compile(
    r"(?:\b(?:No|no|Nos|nos)\.[ ]?|\bNo[ ]|#|\b(?:Boeing|Airbus|iPhone|Windows|PlayStation|Xbox|[Vv]ersion|[Ff]light|"
    r"Route|[Hh]ighway|Interstate|[Ee]xit|Room|Gate|Terminal|Platform|Article|Section|Chapter|Resolution|Apollo|"
    r"Formula|Channel|Camp|Level|Ward|Block|Pier|Track|Bus|Line|Division|Brigade|Regiment|Battalion|Squadron|"
    r"Proposition|Amendment)[ ])\Z"
)
_WORD_PREFIXES = {"mid", "pre", "post", "late", "early", "over", "under", "top", "sub", "non", "anti", "ex", "pro",
                  "about", "around", "some", "nearly", "almost", "up", "to", "and", "or", "by", "from", "the", "a",
                  "x", "than", "of", "in", "per", "between"}
"""Lower-case words before a hyphen and a number that do not make it a model name ('mid-1990s', 'over-50s')."""
_SCORE_WORDS = re.compile(r"\b(?:win|wins|won|victory|victories|defeat\w*|lost|loss|lose|beat|beats|drew|draw|tie|"
                          r"tied|lead|led|scor\w*|vote[ds]?|match|game|final|semi-?final|against)\b", re.IGNORECASE)
_SIGN_WORD = re.compile(r"\b(?:minus|negative)\s+\Z", re.IGNORECASE)
_SIGN = re.compile(r"(?:^|(?<=[\s(\[=<>~:,;]))([-−])(\s*)\Z")
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")
_ONE_BEFORE = re.compile(r"\b(?:the|this|that|which|each|any|every|no|another|little|only|such\s+a|same|other|one)"
                         r"\s+\Z", re.IGNORECASE)
_ONE_AFTER = re.compile(
    r"\s+(?:of\s+(?:the|them|us|his|her|its|their|those|these|our|my|your|whom|which|many|several)\b|another\b"
    r"|by\s+one\b|day\b|time\b|way\b|example\b|reason\b|thing\b|hand\b|side\b|point\b|or\s+(?:another|other)\b"
    r"|can\b|could\b|must\b|should\b|would\b|might\b|may\b|will\b)|-(?:off|time|sided|on-one|way)\b", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"\s+(?:mile|metre|meter|foot|inch|kilo\w*|pound|dollar|euro|year|month|week|day|hour)s?\b",
                         re.IGNORECASE)
_HALF_BEFORE = re.compile(r"\b(?:first|second|other|better|latter|back|front|top|bottom|the)\s+\Z", re.IGNORECASE)


@dataclass
class _Draft:
    """A mention being dressed: its value and span grow as the words around the core are read."""

    core: Core
    start: int
    end: int
    value: Decimal
    kind: Kind = "count"
    unit: str | None = None
    qualifier: Qualifier = "exact"
    scale: int | None = None
    factor: Decimal = Decimal(1)
    """What a currency multiplied the value by (cents: 0.01), for the other end of a range."""
    written_out: bool = False
    """A currency written after the number as a word or code ('3 dollars'): cents may follow."""
    maybe_metres: bool = False
    link: int | None = None
    """Index of the draft this one forms a range or score with (the low end)."""


def _sentence(text: str, pos: int) -> str:
    """The sentence around ``pos`` (cut at most 240 characters away), for context words."""
    lo = max(0, pos - 240)
    starts = [m.end() for m in _SENTENCE_END.finditer(text, lo, pos)]
    m = _SENTENCE_END.search(text, pos, pos + 240)
    return text[starts[-1] if starts else lo : m.start() if m else pos + 240]


def _no_quantity(d: _Draft, text: str, floor: int) -> Kind | None:
    """Ordinals ('21st'), decades ('1990s'), 'No. 10', model names ('F-16', 'COVID-19', 'MH17', 'Boeing 747')."""
    if d.core.words:
        return None
    if ordinal := _ORDINAL_SUFFIX.match(text, d.end):
        d.end = ordinal.end()
        return "ordinal"
    if d.core.plain and d.value % 10 == 0 and len(d.core.text) in (2, 4) and (decade := _DECADE.match(text, d.end)):
        d.end, d.start = decade.end(), d.start - (text[d.start - 1 : d.start] == "'")
        return "decade"
    before = text[max(floor, d.start - 14) : d.start]
    if d.core.plain and _NAME_BEFORE.search(before):
        return "identifier"
    attached = re.search(r"([A-Za-z]+)(-?)\Z", before)
    if attached and not (attached.group(2) and attached.group(1) in _WORD_PREFIXES):
        if units.currency_before(text, d.start, floor):
            return None
        d.start -= len(attached.group(0))
        return "identifier"
    return None


def _calendar(d: _Draft, text: str) -> Kind | None:
    """A plain day number next to a month is a date; a plain four-digit number in 1800–2100 a year, unless it
    counts a noun ("2000 people")."""
    if not d.core.plain or d.scale is not None:
        return None
    if 1 <= d.value <= 31 and (_MONTH_BEFORE.search(text, max(0, d.start - 12), d.start)
                               or _MONTH_AFTER.match(text, d.end)):
        return "date"
    if len(d.core.text) == 4 and 1800 <= d.value <= 2100:
        nxt = _NEXT_WORD.match(text, d.end)
        counts_a_noun = nxt is not None and nxt.group(1).islower() and nxt.group(1) not in _NOT_NOUNS
        if not counts_a_noun or _YEAR_CONTEXT.search(text, max(0, d.start - 16), d.start):
            return "year"
    return None


def _read_units(d: _Draft, text: str, floor: int) -> bool:
    """Scale, money, percent, a measure or an age; False if none is written next to the number."""
    sentence = _sentence(text, d.start)
    if not d.core.words and (scale := units.scale_after(text, d.end, d.core.plain)):
        d.value, d.end, d.scale, d.maybe_metres = d.value * scale.factor, scale.end, scale.factor, scale.maybe_metres
    reading = units.reading_around(text, d.start, d.end, sentence, d.scale is not None or d.core.scaled,
                                   d.core.plain, floor)
    if reading is None:
        return False
    d.kind, d.unit, d.start, d.end, d.factor = reading.kind, reading.unit, reading.start, reading.end, reading.factor
    d.value *= reading.factor
    d.written_out, d.maybe_metres = reading.written_out, False
    d.scale = 10**6 if reading.factor == 10**6 else d.scale
    if reading.kind == "money" and d.scale is None and (reading.written_out or reading.start < d.core.start):
        if scale := units.scale_word_after(text, d.end):  # "75 USD million"
            d.value, d.end, d.scale = d.value * scale.factor, scale.end, scale.factor
    if d.unit == "ft" and (inches := units.inches_after(text, d.end)):
        d.value, d.end = d.value + inches[0] / 12, inches[1]  # "5 ft 2 in"
    return True


def _time_unit(d: _Draft, text: str) -> None:
    """'for two decades': a count of decades (the unit names what is counted, so it stays plural)."""
    nxt = _NEXT_WORD.match(text, d.end)
    if nxt:
        word = nxt.group(1).lower()
        if word.removesuffix("s") in _TIME_UNITS:
            d.unit = word.removesuffix("s") + "s"


def _sign(d: _Draft, text: str, floor: int) -> None:
    """'-0.8%', '−3', 'minus 5', 'negative ten'. A hyphen after a number is a range ('10-15', '1000 - 5000'); a
    spaced one is a sign only at a line start or before a temperature."""
    word = _SIGN_WORD.search(text, max(floor, d.start - 10), d.start)
    if word and not re.search(r"\d\s*\Z", text[max(floor, word.start() - 3) : word.start()]):
        d.start, d.value = word.start(), -d.value
        return
    m = _SIGN.search(text, max(floor, d.start - 4), d.start)
    if m is None:
        return
    previous = text[max(0, m.start() - 40) : m.start()].rstrip()[-1:]
    spaced_ok = previous in ("", "=") or d.kind == "temperature"
    if m.group(1) == "-" and (previous.isdigit() or (m.group(2) and not spaced_ok)):
        return
    d.start, d.value = m.start(), -d.value


def _qualifier(d: _Draft, text: str, floor: int) -> None:
    q = _QUALIFIER_RE.search(text, max(floor, d.start - 24), d.start)
    if q:
        d.qualifier, d.start = dict(_QUALIFIERS)[q.group(1).lower()], q.start(1)
    plus = _PLUS.match(text, d.end)
    if plus and d.qualifier == "exact":
        d.qualifier, d.end = "at least", plus.end()


def _idiom(d: _Draft, text: str) -> bool:
    """'no one', 'the one you mentioned', 'one of the', 'one day', 'the second half': no count of one or a half."""
    word = d.core.text.lower()
    if word == "half":
        return bool(_HALF_BEFORE.search(text, max(0, d.start - 10), d.start)) or text.startswith("-", d.end)
    if word != "one" or d.kind != "count":
        return False
    if _ONE_BEFORE.search(text, max(0, d.start - 12), d.start):
        return not _UNIT_AFTER.match(text, d.end)
    return bool(_ONE_AFTER.match(text, d.end))


def _dress(core: Core, text: str, floor: int) -> _Draft | None:
    """The mention a core makes with the words around it (none for an idiomatic 'one'); ``floor``: where the
    mention before ends."""
    d = _Draft(core, core.start, core.end, core.value, core.kind or "count", scale=core.scale)
    if core.kind in ("ratio", None) and (kind := _no_quantity(d, text, floor)):
        d.kind = kind
    if d.kind not in ("count", "ratio"):
        if d.kind == "identifier":
            d.end += len(re.match(r"\w*", text[d.end :]).group(0))  # type: ignore[union-attr]
        return d
    if not _read_units(d, text, floor) and d.kind == "count":
        if not core.words and re.match(r"[A-Za-z]", text[d.end : d.end + 1]) and text[d.end] not in "xX":
            d.kind = "identifier"  # 5G, 777F, 3D
            d.end += len(re.match(r"\w*", text[d.end :]).group(0))  # type: ignore[union-attr]
            return d
        d.kind = _calendar(d, text) or "count"
        if d.kind == "count":
            _time_unit(d, text)
    _sign(d, text, floor)
    _qualifier(d, text, floor)
    return None if _idiom(d, text) else d


# --- linking neighbours: ranges, scores, compound amounts -----------------------------------------------------

_RANGE_SEPARATOR = re.compile(r"[ ]*(?:(?P<dash>[-–—~])|(?P<word>to|through|thru|and))[ ]*")
_BETWEEN = re.compile(r"\b(?:between|from)\s+\Z", re.IGNORECASE)
_CENTS_GAP = re.compile(r"[ ]+(?:and[ ]+)?")
_CENTS_END = re.compile(r"\s*(?:$|[.,;:!?)]|(?:more|and)\b)")


def _merge_cents(a: _Draft, b: _Draft, text: str) -> bool:
    """'3 dollars 50 cents', 'thirteen dollars and forty-five cents', '15 USD 50', 'c $ 100 and fifty': one amount."""
    if a.kind != "money" or a.scale is not None or a.core.scaled or a.value % 1 or a.factor != 1:
        return False
    if not _CENTS_GAP.fullmatch(text, a.end, b.start) or b.qualifier != "exact":
        return False
    if b.kind == "money" and b.factor == Decimal("0.01") and b.value < 1:
        a.value += b.value
    elif (b.kind == "count" and b.unit is None and b.value == b.value.to_integral_value() and 0 < b.value < 100
          and (a.written_out or a.start < a.core.start) and _CENTS_END.match(text, b.end)):
        a.value += b.value / 100
    else:
        return False
    a.end = b.end
    return True


def _score(a: _Draft, b: _Draft, text: str) -> bool:
    """'3-2 win', 'a 5-4 vote', '1-1': two whole numbers joined by a dash that count no range (descending, equal,
    or next to words about a match or a vote)."""
    whole = all(d.kind in ("count", "year") and d.unit is None and d.core.plain for d in (a, b))
    if not whole or (a.value < b.value and not _SCORE_WORDS.search(_sentence(text, a.start))):
        return False
    a.kind = b.kind = "score"
    return True


def _compatible(a: _Draft, b: _Draft) -> bool:
    """The ends of a range measure the same thing; a bare end takes the other's kind, unit, currency and scale."""
    if a.kind == b.kind and (a.unit == b.unit or None in (a.unit, b.unit)):
        pass
    elif a.kind == "count" and a.unit is None and b.kind in ("money", "percent", "measure", "temperature", "age"):
        pass
    elif b.kind == "count" and b.unit is None and a.kind in ("money", "percent", "measure", "temperature", "age"):
        pass
    else:
        return False
    low, high = a.value, b.value
    if a.scale is None and b.scale is not None and a.value * b.scale * b.factor <= b.value:
        low = a.value * b.scale
    if a.kind == "count" and b.kind != "count":
        low *= b.factor
    if b.kind == "count" and a.kind != "count":
        high *= a.factor
    return low <= high


def _share(a: _Draft, b: _Draft) -> None:
    if a.scale is None and b.scale is not None and a.value * b.scale * b.factor <= b.value:
        a.value, a.scale = a.value * b.scale, b.scale
    for one, other in ((a, b), (b, a)):
        if one.kind == "count" and other.kind != "count":
            one.kind, one.value, one.factor = other.kind, one.value * other.factor, other.factor
        one.unit = one.unit or other.unit
    if b.qualifier == "exact":
        b.qualifier = a.qualifier


def _pair(a: _Draft, b: _Draft, text: str) -> bool:
    """Whether ``a`` and ``b`` are the two ends of a range or a score (and if so, they are made to agree)."""
    if a.core.group is not None and a.core.group == b.core.group:
        return True
    sep = _RANGE_SEPARATOR.fullmatch(text, a.end, b.start)
    if sep is None or b.qualifier != "exact" or "year" in (a.kind, b.kind) and a.kind != b.kind and not (
            a.kind == "year" and b.core.plain and len(b.core.text) == 2):
        return False
    if sep.group("word") == "and" and not _BETWEEN.search(text, max(0, a.start - 10), a.start):
        return False
    if a.kind == "year" and b.core.plain and len(b.core.text) == 2:  # 2019-20
        if b.core.text.startswith("0") and b.value <= 12:
            b.kind = "date"
            return False
        b.kind, b.value = "year", a.value - a.value % 100 + b.value
    elif sep.group("dash") and _score(a, b, text):
        return True
    if {a.kind, b.kind} & NON_FIGURE_KINDS or not _compatible(a, b):
        return False
    _share(a, b)
    return True


def _metres(drafts: list[_Draft], text: str) -> None:
    """'48m' is metres in a sentence that measures things ('capacity 100t, outreach 48m'), else millions."""
    for d in drafts:
        if d.maybe_metres and d.kind == "count":
            sentence = (d.start - 240, d.end + 240)
            if any(o.kind == "measure" and sentence[0] < o.start < sentence[1] and o is not d for o in drafts):
                d.value, d.kind, d.unit, d.scale = d.value / 10**6, "measure", "m", None


def _drafts(text: str) -> list[_Draft]:
    drafts: list[_Draft] = []
    for core in _cores(text):
        floor = drafts[-1].end if drafts else 0
        if core.start < floor:
            continue  # read as part of the mention before ("5 ft 2 in", "29 years old")
        d = _dress(core, text, floor)
        if d is None:
            continue
        a = drafts[-1] if drafts else None
        if a is not None and a.link is None and _merge_cents(a, d, text):
            continue
        if a is not None and _pair(a, d, text):
            d.link = len(drafts) - 1
        drafts.append(d)
    _metres(drafts, text)
    return drafts


def find_numbers(text: str) -> list[NumberMention]:
    """Every numeric mention in ``text``, in order, with ids 1, 2, 3…"""
    drafts = _drafts(text)
    low_ends = {d.link for d in drafts if d.link is not None}
    found = []
    for i, d in enumerate(drafts):
        end = d.end
        while end > d.start and text[end - 1].isspace():
            end -= 1
        range_id = i + 1 if i in low_ends else (d.link + 1 if d.link is not None else None)
        found.append(NumberMention(i + 1, text[d.start : end], d.start, end, float(d.value), d.kind, d.qualifier,
                                   d.unit, range_id))
    return found


def same_value(a: float, b: float) -> bool:
    """Equal up to float noise (values come from Decimal, so this is tight)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# --- what the pipeline does with mentions ---------------------------------------------------------------------

_MARK = re.compile(r"\[#?\d{1,4}\]\s?")
_WORDS = re.compile(r"[\w%$€£.,'-]+")


def _context(text: str, m: NumberMention) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Two words before a mention and up to four after it, within its sentence, lower-cased."""
    sentence = _sentence(text, m.start)
    at = text.find(sentence, max(0, m.start - 240))
    before = _WORDS.findall(text[at : m.start].lower())[-2:]
    after = _WORDS.findall(text[m.end : at + len(sentence)].lower())[:4]
    return tuple(before), tuple(after)


def _restates(a: tuple[tuple[str, ...], tuple[str, ...]], b: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    shorter = min(len(a[1]), len(b[1]))
    return a[0] == b[0] and a[1][:shorter] == b[1][:shorter] and shorter > 0


def figure_candidates(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """The mentions offered to the model as figures: quantities, each once.

    A mention is left out as a restatement only when an earlier one has the same value *and* the same words
    around it: the same two words before it and the same words after it, up to where the shorter sentence ends
    (a headline repeated in the lede, "ISIS claimed 153 attacks. Later, ISIS claimed 153 attacks again"). A
    same value with other words around it is another figure: "In Iraq, 14 ISIS operatives… In Syria, 14 ISIS
    operatives…" gives two candidates.
    """
    seen: dict[float, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    chosen = []
    for m in mentions:
        if not m.is_figure_candidate:
            continue
        context = _context(text, m)
        earlier = seen.setdefault(m.value, [])
        if any(_restates(context, c) for c in earlier):
            continue
        earlier.append(context)
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


_VAGUE = re.compile(r"\b(?:(?:hundreds|thousands|millions|billions|trillions|dozens|scores)(?=\s+of\b)"
                    r"|hundreds|thousands|millions|billions|trillions"
                    r"|(?:several|a\s+few|few|many)\s+(?:hundred|thousand|million|billion|dozen))\b", re.IGNORECASE)


def unverified_numbers(text: str, article_values: Sequence[float]) -> list[str]:
    """Numbers written in ``text`` whose value is not any number of the article, in text order.

    Every form the finder reads counts, no quantities included ('5000th', 'X-5000', '10:9999'); a vague number
    it cannot give a value ('Thousands', 'several hundred') cannot be checked, so it is reported too.
    """
    text = tidy(text)
    mentions = find_numbers(text)
    bad = [(m.start, m.raw) for m in mentions if not any(same_value(m.value, v) for v in article_values)]
    bad += [(v.start(), v.group(0)) for v in _VAGUE.finditer(text)
            if not any(m.start <= v.start() < m.end for m in mentions)]
    return [raw for _, raw in sorted(bad)]
