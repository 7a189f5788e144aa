"""Number cores: the lexer and the grammar of number words, for :mod:`wirebrief.figures.finder`.

A core is a bare number in the text, before the words around it are read: digits in every news notation
("1,234,567", "1.234.567", ".08", "1e10", "3/4", "10 1/2", "½"), fixed forms (times, dates, phone numbers, versions,
"3:1"), and runs of number words read by a small grammar ("one hundred and three", "half a million", "two out of
three"). Number words are read here, not by text2num or number-parser: those rewrite the text or return values
without character spans, and neither reads fractions, ratios or "half a million".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from wirebrief.figures.mention import Core, Kind
from wirebrief.figures.number_words import WORD_FORMS, Tok, parse_run

# --- number words ---------------------------------------------------------------------------------------------

def word_value(word: str) -> int | None:
    """'eight' → 8, 'forty-five' → 45, 'dozen' → 12, 'one hundred and three' → 103; None if not a whole number."""
    word = word.strip()
    if word.lower() == "dozen":
        return 12
    found = [c for c in cores(word) if c.kind is None]
    whole = bool(found) and found[0].value == found[0].value.to_integral_value()
    if len(found) != 1 or (found[0].start, found[0].end) != (0, len(word)) or not whole:
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
_WORD_RE = "|".join(sorted(WORD_FORMS, key=len, reverse=True))
_A_BEFORE = "|".join(sorted((w for w, (r, _, _) in WORD_FORMS.items() if r in ("hundred", "scale", "dozen", "frac",
                                                                                "tens")), key=len, reverse=True))
_VULGAR = {"½": "0.5", "⅓": "1/3", "⅔": "2/3", "¼": "0.25", "¾": "0.75", "⅕": "0.2", "⅖": "0.4", "⅗": "0.6",
           "⅘": "0.8", "⅙": "1/6", "⅚": "5/6", "⅛": "0.125", "⅜": "0.375", "⅝": "0.625", "⅞": "0.875"}
_FORMS = re.compile(
    rf"""(?P<url>\b(?:https?://|www\.)\S+)
    |(?P<phone>(?<![\w+])\+\d{{1,3}}(?:[ .-]\(?\d{{1,4}}\)?){{2,5}}(?:/\d+)?(?!\d)|\(\d{{3}}\)\s?\d{{3}}-\d{{4}}(?!\d))
    |(?P<serial>(?<![\w.-])\d+(?:-\d+){{2,}}(?:/\d+)?(?!\d))
    |(?P<clock>(?<![\d.:])\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+|\s?(?i:[ap]\.m\.|[ap]m\b))?(?![\d:]))
    |(?P<dotclock>(?<![\d.:,])\d{{1,2}}\.[0-5]\d\s?(?i:[ap]\.m\.|[ap]m\b))
    |(?P<hhmm>(?<![\d.:,])(?:[01]\d|2[0-3])[0-5]\d(?=\s?(?:GMT|UTC|BST|CET|CEST|EST|EDT|PST|PDT|JST|local\s+time)\b))
    |(?P<pair>(?<![\d.:])\d+:\d+(?![\d:]))
    |(?P<ampm>(?<![\d.:,])\d{{1,2}}\s?(?i:[ap]\.m\.|[ap]m\b))
    |(?P<slashdate>(?<![\d/])\d{{1,2}}/\d{{1,2}}/(?:\d{{4}}|\d{{2}})(?![\d/]))
    |(?P<dotted>(?<![\d.])\d+(?:\.\d+){{2,}}(?:,\d+)?(?!\d))
    |(?P<power>(?<![\d.])\d{{1,15}}(?:\.\d+)?(?:\^[+-]{{0,2}}\d{{1,2}}|\s?[x×*]\s?10\^[+−-]?\d{{1,2}}|\s?×\s?10[−-]\d{{1,2}}
        |\s?[x×*]\s?10[⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{{1,2}})(?!\d))
    |(?P<mixed>(?<![\d./])\d{{1,3}}[ ]+\d{{1,2}}[/⁄]\d{{1,3}}(?![\d/]))
    |(?P<fraction>(?<![\d./])\d+[/⁄]\d+(?![\d/]))
    |(?P<vulgar>(?<![\d.])\d*[{''.join(_VULGAR)}])
    |(?P<digits>{_DIGITS})
    |\b(?P<word>(?i:{_WORD_RE}|an?(?=[ ]+(?:{_A_BEFORE})\b)))\b""",
    re.VERBOSE,
)
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_GAP = re.compile(r"[ ]*-[ ]*|[ ]+(?:(and|point|of|out[ ]+of|in|over)[ ]+)?")
_COMMON_DENOMINATORS = {2, 3, 4, 5, 6, 8, 10, 16, 32, 64, 100, 1000}


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
    elif form == "hhmm":  # '0900 GMT' is nine o'clock, not 900 of anything
        yield _core(m, "time", Decimal(text[:2]) + Decimal(text[2:]) / 60)
    elif form in ("clock", "ampm", "dotclock"):  # '14:30', '10am', '3.30pm'
        hour, minutes = re.match(r"(\d+)[:.]?(\d\d)?", text).groups()  # type: ignore[union-attr]
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
        try:
            yield _core(m, None, _form_value(form or "", text))
        except ArithmeticError:  # '0^0', '0^-1': no value to give, so no quantity
            yield _core(m, "identifier", Decimal(0))


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
        text = text.replace("−", "-").translate(_SUPERSCRIPTS)
        if (scientific := re.fullmatch(r"(.+?)\s?[x×*]\s?10\^?([+-]?\d+)", text)) is not None:
            return Decimal(scientific.group(1)) * Decimal(10) ** int(scientific.group(2))  # '1.99×10−30'
        base, exponent = text.split("^")
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


def cores(text: str) -> list[Core]:
    """Every number core in ``text``, in order."""
    found: list[Core] = []
    run: list[Tok] = []
    for m in _FORMS.finditer(text):
        if m.lastgroup in ("digits", "word"):
            run.append(_token(m, run[-1] if run else None))
            continue
        found += parse_run(run, text)
        run = []
        if m.lastgroup == "url":
            continue
        if m.lastgroup == "fraction" and (kind := _fraction_kind(m.group(0))):
            found.append(_core(m, kind, Decimal(re.split(r"[/⁄]", m.group(0))[1])))
            continue
        found += _form_cores(m)
    found += parse_run(run, text)
    return sorted((c for c in found if _one_digit_script(c.text)), key=lambda c: c.start)


def _one_digit_script(text: str) -> bool:
    """Whether the digits of ``text`` are of one script. '1٠5' (a Latin 1, an Arabic-Indic 0) is no number to
    read: merged it would be 105, a value the article does not show any reader. A digit's script is told by its
    block's zero (``ord(d) - value``)."""
    return len({ord(ch) - int(ch) for ch in text if ch.isdecimal()}) <= 1


def _token(m: re.Match[str], before: Tok | None) -> Tok:
    gap = _gap(m.string, before.end, m.start()) if before else None
    if m.lastgroup == "digits":
        return Tok(m.start(), m.end(), m.group(0), "digits", _digits_value(m.group(0)), False, gap)
    role, value, plural = WORD_FORMS.get(m.group(0).lower(), ("a", 1, False))
    return Tok(m.start(), m.end(), m.group(0), role, Decimal(value), plural, gap)


def _gap(text: str, start: int, end: int) -> str | None:
    m = _GAP.fullmatch(text, start, end)
    if m is None:
        return None
    return " ".join(m.group(1).split()) if m.group(1) else "-" if "-" in m.group(0) else " "
