"""The deterministic number finder: every numeric mention in a text, with its value, kind, unit and span.

Code finds the numbers; the model only chooses among them and labels them. Nothing here calls a model.

It reads in three steps. A lexer finds number *cores*: digits in every news notation ("1,234,567", "1.234.567",
".08", "1e10", "3/4", "10 1/2", "½"), fixed forms (times, dates, phone numbers, versions, "3:1") and runs of
number words, read by a small grammar ("one hundred and three", "half a million", "two out of three"). Each core
is then dressed with what stands around it: a sign, a scale ("$5m", "2.33 k"), a currency, percent, a unit of
measure or an age (:mod:`wirebrief.figures.units`), a qualifier; or it is known for no quantity at all (an ordinal, a
decade, a model name, a score, a time). Last, neighbours are linked: the two ends of a range share a
``range_id`` and a scale or unit written once ("from $2 to $3 billion"), and "3 dollars 50 cents" is one amount.
Number words are read by this grammar, not by text2num or number-parser: those rewrite the text or return
values without character spans, and neither reads fractions, ratios or "half a million".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from wirebrief.figures import lexicon, units
from wirebrief.figures.change import FALL_VERBS, PAST_FORMS, RISE_VERBS, moved_before
from wirebrief.figures.mention import NON_FIGURE_KINDS, Core, Kind, NumberMention, Qualifier
from wirebrief.figures.numerals import cores

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
    ("sub-", "less than"),  # 'sub-7 nanometer chips', 'sub-300 sq m offices'
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
_ADDRESS = re.compile(r"(?:\s*[-–]\s*\d+)?(?:\s+[A-Z][a-z]+){1,3}\s+(?:Street|St|Road|Rd|Avenue|Ave|Lane|Drive|"
                      r"Boulevard|Blvd|Place|Square|Crescent|Terrace)\b|\s+(?:ZIP|[Zz]ip)\s+[Cc]ode")
_ZIP = re.compile(r"\b(?:ZIP|[Zz]ip)(?:\s+[Cc]ode)?\s+\Z")
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b", re.IGNORECASE)
_DECADE = re.compile(r"'?s\b")
_NAME_BEFORE = re.compile(
    r"(?:\b(?:No|no|Nos|nos)\.[ ]?|\bNo[ ]|#|\b(?:Boeing|Airbus|iPhone|Windows|PlayStation|Xbox|[Vv]ersion|[Ff]light|"
    r"Route|[Hh]ighway|Interstate|[Ee]xit|Room|Gate|Terminal|Platform|Article|Section|Chapter|Resolution|Apollo|"
    r"Formula|Channel|Camp|Level|Ward|Block|Pier|Track|Bus|Line|Division|Brigade|Regiment|Battalion|Squadron|"
    r"Proposition|Amendment)[ ])\Z"
    # a class, not an amount: 'a category 4 hurricane', 'stage 2', 'tier 1', 'page 12', 'row 21'
    r"|\b(?:[Cc]ategory|[Ll]evel|[Ss]tage|[Pp]hase|[Gg]rade|[Tt]ier|[Tt]ype|[Cc]lass|[Ss]eason|[Pp]age|[Rr]ow|"
    r"[Ss]ection|[Dd]ay|[Ww]eek|[Rr]ound|[Gg]eneration)[ ]\Z"
    # a named index or league: 'the S&P 500', 'Nasdaq 100', 'FTSE 100', 'Stoxx 600', 'Big 12', 'Fortune 500'
    r"|\b(?:S&P|S[ ]P|[Ss][Pp]|FTSE|Nasdaq|NASDAQ|[Ss]toxx|STOXX|Nikkei|DAX|CAC|Russell|Fortune|Hang[ ]Seng|ASX|"
    r"Big|Euronext|KOSPI|Sensex|Nifty|IBEX|MIB|AEX|SMI|OMX|TSX|Dow[ ]Jones[ ]\w+)[ ]\Z"
)
_END_MARK = re.compile(r"(?m)^[ \t]*-[ \t]*\Z")
"""'-30-' (or '- 30 -') alone on its line ends a press release: no figure."""
_WORD_PREFIXES = {"mid", "pre", "post", "late", "early", "over", "under", "top", "sub", "non", "anti", "ex", "pro",
                  "about", "around", "some", "nearly", "almost", "up", "to", "and", "or", "by", "from", "the", "a",
                  "x", "than", "of", "in", "per", "between", "minus", "negative"}
"""Lower-case words before a hyphen and a number that do not make it a model name ('mid-1990s', 'over-50s')."""
_NAME_THEN_BRACKET = re.compile(r"\b[A-Z][\w'-]*\s*\(\Z")
MODEL_YEAR = re.compile(r"(?:\s*(?:and|or|,|-|–|to)\s*\d{4})*\s+model\s+years?\b", re.IGNORECASE)
_EVENT_WORDS = re.compile(r"\W*(?:(?:and|or)\s+[\d,]+\s?(?:m|km)\s+)?(?:[a-z]+\s+){0,2}"
                          r"(?:champion\w*|record\w*|title\w*|races?|finals?|medal\w*|events?|"
                          r"contests?|heats?|winners?|hurdles|relay|sprint|gold|silver|bronze)\b")
_THE_RACE = re.compile(r"\bthe\s+(?:(?:men|women)['’]s\s+)?\Z", re.IGNORECASE)
_RACE_END = re.compile(r"\s*(?:[.,;:!?)]|\Z|\s(?:and|or|in|at|on|final|race)\b)")
_NAME_END = re.compile(r"\b[A-Z][\w'.]*[ \t]+\Z")
_NAME_START = re.compile(r"[ \t]+[A-Z]")
_SCORE_WORDS = re.compile(r"\b(?:win|wins|won|victory|victories|defeat\w*|lost|loss|lose|beat|beats|drew|draw|tie|"
                          r"tied|lead|led|scor\w*|vote[ds]?|match|game|final|semi-?final|against)\b", re.IGNORECASE)
_INDEX_BEFORE = re.compile(r"\b[A-Z][\w&]*\s+\d+\s+\Z")
"""A named index before a spaced minus: 'Stoxx 50 -1.3%' is a market line's fall, not a range."""
_SIGN_WORD = re.compile(r"\b(?:minus|negative)(?:\s+|-)\Z", re.IGNORECASE)
_SIGN = re.compile(r"(?:^|(?<=[\s(\[=<>~:,;]))([-−])(\s*)\Z")
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")
_ONE_BEFORE = re.compile(r"\b(?:the|this|that|which|each|any|every|no|another|little|only|such\s+a|same|other|one|"
                         r"(?:a|an)\s+[a-z]+)\s+\Z", re.IGNORECASE)  # 'a crucial one
_ONE_AFTER = re.compile(
    r"\s+(?:of\s+(?:the|them|us|his|her|its|their|those|these|our|my|your|whom|which|many|several)\b|another\b"
    r"|by\s+one\b|day\b|time\b|way\b|example\b|reason\b|thing\b|hand\b|side\b|point\b|or\s+(?:another|other)\b"
    r"|can\b|could\b|must\b|should\b|would\b|might\b|may\b|will\b)|-(?:off|time|sided|on-one|way)\b", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"\s+(?:mile|metre|meter|foot|inch|kilo\w*|pound|dollar|euro|year|month|week|day|hour)s?\b",
                         re.IGNORECASE)
_HALF_BEFORE = re.compile(r"\b(?:first|second|other|better|latter|back|front|top|bottom|the|fly|scrum|this|that|last"
                          r"|next|each|opening|closing)(?:\s+|-)\Z", re.IGNORECASE)
"""'the second half', 'second-half tries', 'fly-half', 'sales this half': a part of a match or a year, or a position,
not a half of something."""


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


def sentence_of(text: str, pos: int) -> str:
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
    if d.core.plain and _END_MARK.search(text, max(floor, d.start - 4), d.start) and re.match(r"[ \t]*-[ \t]*$",
                                                                                              text[d.end:d.end + 4]):
        d.start = text.rfind("-", 0, d.start)
        d.end = text.find("-", d.end) + 1
        return "identifier"
    if d.core.plain and text.startswith(")", d.end) and _NAME_THEN_BRACKET.search(text, max(floor, d.start - 40),
                                                                                 d.start):
        return "identifier"  # 'Everitt for Mapletoft (53)': a minute, squad number or age in a line-up
    if d.core.plain and (_ADDRESS.match(text, d.end) or _ZIP.search(before)):
        return "identifier"  # '16-18 Industrial Avenue', 'the 90049 ZIP Code'
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
    late = 2100 < d.value <= 2300 and _YEAR_CONTEXT.search(text, max(0, d.start - 16), d.start)  # 'by 2120'
    if len(d.core.text) == 4 and (1800 <= d.value <= 2100 or late):
        if MODEL_YEAR.match(text, d.end):
            return "year"  # 'the 2004 and 2005 model years'
        nxt = _NEXT_WORD.match(text, d.end)
        counts_a_noun = nxt is not None and nxt.group(1).islower() and nxt.group(1) not in _NOT_NOUNS
        if not counts_a_noun or _YEAR_CONTEXT.search(text, max(0, d.start - 16), d.start):
            return "year"
    return None


def _read_units(d: _Draft, text: str, floor: int) -> bool:
    """Scale, money, percent, a measure or an age; False if none is written next to the number."""
    sentence = sentence_of(text, d.start)
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
    """'for two decades': a count of decades, with the singular unit every counted noun gets ('decade')."""
    nxt = _NEXT_WORD.match(text, d.end)
    if nxt:
        word = nxt.group(1).lower()
        if word.removesuffix("s") in _TIME_UNITS:
            d.unit = word.removesuffix("s")


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
    market = d.kind == "percent" and not m.group(2) and bool(_INDEX_BEFORE.search(text, max(0, m.start() - 30),
                                                                                 m.start()))
    if m.group(1) == "-" and ((previous.isdigit() and not market) or (m.group(2) and not spaced_ok)):
        return  # '10-15' and '1000 - 5000' are ranges; 'Stoxx 50 -1.3%' is a market line's fall
    d.start, d.value = m.start(), -d.value


_MOVED_UP = re.compile(r"\b(?:go|goes|went|gone|going|move[sd]?|moving|push(?:es|ed)?|jump(?:s|ed)?|shot|shoots?"
                       r"|climb(?:s|ed)?|step(?:s|ped)?|ramp(?:s|ed)?|bump(?:s|ed)?|put|puts|edg(?:e|es|ed))\s+\Z",
                       re.IGNORECASE)
"""'The wage goes up to £9.50': 'up' is the verb's ('goes up'), the amount is where it goes, not a cap."""


def _qualifier(d: _Draft, text: str, floor: int) -> None:
    q = _QUALIFIER_RE.search(text, max(floor, d.start - 24), d.start)
    if q and q.group(1).lower() == "up to" and _MOVED_UP.search(text, max(0, q.start(1) - 12), q.start(1)):
        q = None
    if q:
        d.qualifier, d.start = dict(_QUALIFIERS)[q.group(1).lower()], q.start(1)
    plus = _PLUS.match(text, d.end)
    if plus and d.qualifier == "exact":
        d.qualifier, d.end = "at least", plus.end()


def _idiom(d: _Draft, text: str) -> bool:
    """'no one', 'the one you mentioned', 'one of the', 'one day', 'the second half': no count of one or a half."""
    word = d.core.text.lower()
    if word == "half":
        return bool(_HALF_BEFORE.search(text, max(0, d.start - 10), d.start)) and not _UNIT_AFTER.match(
            text, d.end) or text.startswith("-", d.end)  # 'the last half hour' is half an hour
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
        relay = re.match(r"[xX]\d+m\b", text[d.end:])  # '4x100m': a relay, not four of anything
        if not core.words and re.match(r"[A-Za-z]", text[d.end : d.end + 1]) and (text[d.end] not in "xX" or relay):
            d.kind = "identifier"  # 5G, 777F, 3D
            d.end += len(re.match(r"\w*", text[d.end :]).group(0))  # type: ignore[union-attr]
            return d
        d.kind = _calendar(d, text) or "count"
        if d.kind == "count":
            _time_unit(d, text)
    if (d.maybe_metres or d.unit in ("m", "km", "mile")) and (_EVENT_WORDS.match(text, d.end) or _THE_RACE.search(
            text, max(0, d.start - 16), d.start) and _RACE_END.match(text, d.end)):  # 'taking part in the 1000m.'
        d.kind = "identifier"  # a race that names an event: 'the Olympic 10,000m champion', 'the two mile record'
    _sign(d, text, floor)
    _qualifier(d, text, floor)
    return None if _idiom(d, text) else d


# --- linking neighbours: ranges, scores, compound amounts -----------------------------------------------------

_RANGE_SEPARATOR = re.compile(r"[ ]*(?:(?P<dash>[-–—~])|(?P<word>to|through|thru|and))[ ]*")
_BETWEEN = re.compile(r"\b(?:between|from)\s+\Z", re.IGNORECASE)
_MOVED_BY = re.compile(
    rf"\b(?:by|up|down|add(?:s|ed)?|(?:{'|'.join(sorted((RISE_VERBS | FALL_VERBS | PAST_FORMS) - {'top'}))})\w*)\s+\Z",
    re.IGNORECASE)
"""Before 'X to Y', a verb of movement (change.py's) makes X its amount and Y the level it reached ('increased by
$43.6bn to $419.2bn', 'up 10.4 cents to $2.24', 'rose 18 sen to RM23.50'): no range. Not 'top': 'the top 5 to
10'."""
_CENTS_GAP = re.compile(r"[ ]+(?:and[ ]+)?")
_CENTS_END = re.compile(r"\s*(?:$|[.,;:!?)]|(?:more|and)\b)")


def _merge_cents(a: _Draft, b: _Draft, text: str) -> bool:
    """'3 dollars 50 cents', 'thirteen dollars and forty-five cents', '15 USD 50', 'c $ 100 and fifty': one amount."""
    whole = a.value == a.value.to_integral_value()  # not `% 1`: a power like 10^110 has too many digits for it
    if a.kind != "money" or a.scale is not None or a.core.scaled or not whole or a.factor != 1:
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


_SECONDS_IN = {"hour": 3600, "minute": 60, "second": 1}
_DURATION_GAP = re.compile(r"\s*(?:-\s*)?(?:hours?|hrs?|minutes?|mins?)\s*(?:,|and)?\s*", re.IGNORECASE)
_UNIT_WORD = re.compile(r"\s*(?:-\s*)?[A-Za-z]+")


def _merge_duration(a: _Draft, b: _Draft, text: str) -> bool:
    """'eight minutes, 04.69 seconds', '2 hours 5 minutes': one duration, in the smaller unit."""
    if a.unit not in ("hour", "minute") or b.unit not in _SECONDS_IN or b.qualifier != "exact":
        return False
    if _SECONDS_IN[b.unit] >= _SECONDS_IN[a.unit] or not _DURATION_GAP.fullmatch(text, a.end, b.start):
        return False
    a.value = a.value * _SECONDS_IN[a.unit] // _SECONDS_IN[b.unit] + b.value
    a.unit = b.unit
    word = _UNIT_WORD.match(text, b.end)
    a.end = word.end() if word else b.end
    return True


def _score(a: _Draft, b: _Draft, text: str) -> bool:
    """'3-2 win', 'a 5-4 vote', '1-1': two whole numbers joined by a dash that count no range (descending, equal,
    or next to words about a match or a vote)."""
    whole = all(d.kind in ("count", "year") and d.unit is None and d.core.plain for d in (a, b))
    between_names = _NAME_END.search(text, max(0, a.start - 40), a.start) is not None \
        and _NAME_START.match(text, b.end) is not None  # 'Wasps 31-37 Leicester', 'London Irish 19-33 Wasps'
    if not whole or (a.value < b.value and not between_names and not _SCORE_WORDS.search(sentence_of(text, a.start))):
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
    if b.qualifier == "up to" and not text[a.end:b.start].strip() and a.kind == b.kind and a.unit == b.unit \
            and re.search(r"\bfrom\s+\Z", text[max(0, a.start - 6):a.start]) and a.value < b.value \
            and not moved_before(text, a.start):
        b.qualifier = a.qualifier  # 'sizes from 450 sq ft up to 900 sq ft': the two ends of one range
        return True
    sep = _RANGE_SEPARATOR.fullmatch(text, a.end, b.start)
    if sep is not None and a.kind == "year" and b.kind == "count" and b.unit is None and b.value >= 1000 \
            and b.value > a.value and not _BETWEEN.search(text, max(0, a.start - 10), a.start):
        a.kind = "count"  # 'about 2000 - 2500 calories': the low end of a count, no year ('from 2000 to 2500' is)
    short_year = a.kind == "year" and b.core.plain and len(b.core.text) == 2 and sep is not None and bool(
        sep.group("dash") or text[a.end:b.start].strip() == "/")  # '2019-20'; '2008 to 29 mpg' counts miles
    if sep is None or b.qualifier != "exact" or "year" in (a.kind, b.kind) and a.kind != b.kind and not short_year:
        return False
    if sep.group("word") == "and" and not _BETWEEN.search(text, max(0, a.start - 10), a.start):
        return False
    if a.kind == "date" and b.core.plain and 1 <= b.value <= 31 and b.kind == "count" and b.unit is None:
        b.kind = "date"  # 'Sept. 20-24', 'May 3 to 7': the other end is a day too
        return False
    if sep.group("word") == "to" and _MOVED_BY.search(text, max(0, a.start - 14), a.start):
        return False
    if short_year:  # 2019-20
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


_OLDS_AFTER = re.compile(r"(?:-|\s)years?(?:-|\s)olds\b", re.IGNORECASE)
_GROUP_BEFORE = re.compile(r"\b([a-z]+)\s+(aged\s+(?:between\s+|over\s+|under\s+)?)?\Z", re.IGNORECASE)


def _age_bands(drafts: list[_Draft], text: str) -> None:
    """The ages that bound a group are no figures: '17% of 18 to 24 year olds', 'adults aged 18 or over', 'people
    aged between 18 and 34', '39% of people under 55' (a person's age is one: 'a man aged 18')."""
    for i, d in enumerate(drafts):
        if d.link is not None or d.kind not in ("count", "age") or d.unit not in (None, "year") \
                or not 0 < d.value <= 120:
            continue
        ends = [d, *(o for o in drafts[i + 1:i + 2] if o.link == i)]
        last = ends[-1]
        before = _GROUP_BEFORE.search(text, max(0, d.start - 40), d.start)
        word = before.group(1).lower() if before else ""
        plural = word in ("people", "men", "women", "children") or word.endswith("s") and lexicon.is_person(word)
        grouped = plural and (before is not None and before.group(2) is not None or d.qualifier != "exact")
        if _OLDS_AFTER.match(text, last.end) or grouped:
            for o in ends:
                o.kind, o.unit = "band", None


def _drafts(text: str) -> list[_Draft]:
    drafts: list[_Draft] = []
    for core in cores(text):
        floor = drafts[-1].end if drafts else 0
        if core.start < floor:
            continue  # read as part of the mention before ("5 ft 2 in", "29 years old")
        d = _dress(core, text, floor)
        if d is None:
            continue
        a = drafts[-1] if drafts else None
        if a is not None and a.link is None and (_merge_cents(a, d, text) or _merge_duration(a, d, text)):
            continue
        if a is not None and a.link is None and _pair(a, d, text):  # 'from 14-18 mpg to 24': 18 ends a range
            d.link = len(drafts) - 1
        drafts.append(d)
    _metres(drafts, text)
    _age_bands(drafts, text)
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
