"""The grammar of number words, for the lexer in :mod:`wirebrief.figures.numerals`: each word's role and value, and
the runs of number tokens read as numbers ("one hundred and three", "half a million", "two out of three",
"three quarters", "10 1/2"). Read here, not by text2num or number-parser: those return no character spans and
read no fractions, ratios or "half a million"."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from wirebrief.figures.mention import Core, Kind

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


WORD_FORMS = {**{w: (r, v, False) for w, (r, v) in _VOCABULARY.items()},
               **{_plural(w): (r, v, True) for w, (r, v) in _VOCABULARY.items() if r not in ("small", "tens")}}



@dataclass(frozen=True)
class Tok:
    """A number word or a digits token; ``gap`` says how it joins the one before (None: it does not)."""

    start: int
    end: int
    text: str
    role: str
    value: Decimal
    plural: bool
    gap: str | None


# --- the grammar ------------------------------------------------------------------------------


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


def _step(acc: _Acc, t: Tok) -> _Acc | None:
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


def _cardinal(toks: list[Tok], i: int) -> tuple[_Acc, int] | None:
    """The whole number starting at ``toks[i]`` and the index after it. When a word cannot continue it and an
    'and' came before ('3 hundred and 2 hundred'), the number ends before the 'and'; digits after a scale word end
    it unless a number word follows them ('eight million 250ml bottles' is two figures)."""
    acc, j, before_and, prev = _Acc(), i, (_Acc(), i), _Acc()
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
        prev, acc, j = acc, nxt, j + 1
    if acc.last == "digits" and prev.last == "scale" and j - 1 > i:
        acc, j = prev, j - 1  # 'eight million 250ml bottles': digits after a scale go on only to a word ('4 thousand 3
        # hundred')
    return (acc, j) if j > i else None


def _follows(toks: list[Tok], j: int, roles: tuple[str, ...], gaps: tuple[str, ...] = (" ", "-")) -> bool:
    return j < len(toks) and toks[j].role in roles and toks[j].gap in gaps


def _scale_after(toks: list[Tok], j: int) -> tuple[Decimal, int] | None:
    """A scale after a fraction: 'half a million', 'quarter million', 'two thirds of a million', 'half a dozen'."""
    if j < len(toks) and toks[j].gap in (" ", "of") and not toks[j].plural:
        if toks[j].role in ("scale", "hundred", "dozen"):
            return toks[j].value, j + 1
        if toks[j].role == "a" and _follows(toks, j + 1, ("scale", "hundred", "dozen"), (" ",)):
            return toks[j + 1].value, j + 2
    return None


def _over(numerator: Decimal, ordinal: Tok, denominator: Decimal, single: bool, text: str) -> Decimal | None:
    """numerator/denominator if the words agree: 'a fifth', 'one eighth', 'three fifths', not 'two millionth'.
    After 'a' (``single``), an ordinal is a fraction before 'of', a clause end or what its people say or do ('a
    fifth saying', 'a third said'), not in 'a third term'."""
    if ordinal.plural == (numerator == 1) and not (ordinal.text.lower() == "halves" and numerator > 1):
        return None
    if single and ordinal.role == "frac" and ordinal.value != 2 and not re.match(
            r"\s*(?:of\b|and\b|$|[.,;:!?)])|[ ]+(?i:hundred|thousand|million|billion|trillion)\b"
            r"|[ ]+(?:saying|said|say|says|were|are|think|thought|believe|believed|want|wanted|would|will)\b",
            text[ordinal.end:]):  # 'with nearly a fifth saying they were too sick'; not 'a third term'
        return None
    return numerator / denominator


def _fraction(toks: list[Tok], acc: _Acc, i: int, j: int, text: str) -> tuple[Decimal, int] | None:
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


def _decimals(toks: list[Tok], j: int) -> tuple[Decimal, int] | None:
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


def _mixed(toks: list[Tok], acc: _Acc, j: int, text: str) -> tuple[Decimal, int] | None:
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


def _ratio_after(toks: list[Tok], n: Decimal, j: int, text: str) -> tuple[Decimal, int] | None:
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


def _bare_fraction(toks: list[Tok], i: int) -> tuple[Decimal, int] | None:
    """'half' (0.5), 'half a million', 'quarter million'; a lone 'fifth' or 'quarter' is an ordinal or a period."""
    t, scale = toks[i], _scale_after(toks, i + 1)
    if t.plural or t.role != "frac" or (t.value != 2 and scale is None):
        return None
    value = 1 / t.value
    return (value * scale[0], scale[1]) if scale else (value, i + 1)


def _number(toks: list[Tok], i: int, text: str) -> tuple[Decimal, int, Kind | None] | None:
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


def parse_run(toks: list[Tok], text: str) -> list[Core]:
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


