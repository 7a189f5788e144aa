"""What a figure's own sentence says about it, read with light rules on the text: the event, the counted noun,
the place its sentence is scoped to ("In Iraq, …") and the period. Used by ``checks`` (figures of one article)
and ``reconcile`` (figures of several); both work when the labeller's ``what``/``where``/``period`` are blank.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from wirebrief.brief.schema import Figure
from wirebrief.figures import lexicon

PERSON_EVENTS = frozenset({"kill", "detain", "injure", "missing", "displace"})
"""Events that happen to people: a count they qualify is a count of people."""
_EVENT_ALIASES = {"arrest": "detain"}
"""Reports say 'arrested', 'captured' and 'detained' of the same count ('32 others were arrested' = '32 captured')."""
_EXTRA_EVENTS = {"apprehension": "detain", "apprehended": "detain", "apprehend": "detain", "arrests": "detain"}
COUNT_SYNONYMS = {"mission": "operation", "raid": "operation", "strike": "operation"}
"""Counted nouns that name the same count when the text says so (a total of missions split into operations)."""
FLOW_NOUNS = frozenset({"operation", "attack", "mission", "raid", "strike", "incident"})
"""Counts of things that happen over a period (a stock, 'fighters remain', is a count at a time)."""
GENERIC_PERSONS = frozenset({"operative", "element", "member", "militant", "individual", "people", "person",
                             "jihadist", "terrorist", "suspect", "fighter"})
"""Outlets name the same people differently ('ISIS elements', 'operatives', 'members'): one class for flows."""
STATE_NOUNS = frozenset({"detainee", "prisoner", "inmate", "hostage", "refugee"})
"""A noun that is itself a state: '9,000 detainees held' counts detainees, not an act of detention."""
MEASURES = frozenset({"percent", "percentage points", "km", "m", "cm", "mm", "kg", "g", "tonne", "lb", "mph",
                      "km/h", "l", "ft", "sq km", "sq m", "mile", "barrel", "year", "month", "week", "day", "hour",
                      "minute"})
"""Units a measure is given in (a label the text reading keeps as it is)."""
_MONEY_MEASURES = frozenset({"revenue", "profit", "loss", "pay", "bid", "borrow"})
"""What an amount of money is (the measure word before it: 'pre-tax profit … rose to £305m' is a profit)."""
_ELLIPTICAL = frozenset({"other", "more", "another"})
_NOUN_STOP = frozenset({"and", "or", "of", "in", "as", "on", "after", "since", "this", "from", "to", "at", "for",
                        "with", "by", "were", "was", "are", "is", "have", "had", "who", "that", "which"})
_MONTHS = {m: i for i, m in enumerate("january february march april may june july august september october "
                                      "november december".split(), 1)}
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_NOT_PLACES = frozenset({*(m.capitalize() for m in _MONTHS), "The", "This", "That", "Addition", "Total", "All",
                         "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"})
_SCOPE = re.compile(r"^\W*(?:(?:[Mm]eanwhile|[Ss]eparately|[Ee]lsewhere|[Aa]nd|[Bb]ut|[Aa]lso)\s*,?\s+)?"
                    r"[Ii]n\s+((?:[A-Z][\w'’.-]*)(?:\s+[A-Z][\w'’.-]*){0,3})\s*,")
_LEAD = re.compile(r"([A-Za-z]+)\s+(?:of|to)\s+(?:the\s+)?$")
_TOLL = re.compile(r"\bdeath toll\b[^,;.]{0,80}$", re.I)
"""'The death toll rose to 1,150': a count of the killed, however it moved."""
_WORD = re.compile(r"[A-Za-z][\w'’-]*|[,;:.()]")
REVISION_CUES = re.compile(r"\b(?:rose|risen|rises|climbed|increased|revised|updated|jumped|now stands?|"
                           r"has reached|reached|up from|down from)\b", re.I)


@dataclass(frozen=True)
class Period:
    """Months first..last of a year (None: the year is not said)."""

    year: int | None
    first: int
    last: int

    def agrees(self, other: Period) -> bool:
        same_year = self.year is None or other.year is None or self.year == other.year
        return same_year and (self.first, self.last) == (other.first, other.last)

    def __str__(self) -> str:
        names = {(1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4", (1, 6): "H1", (7, 12): "H2",
                 (1, 12): ""}
        label = names.get((self.first, self.last), f"months {self.first}-{self.last}")
        if (self.first, self.last) == (0, 0):
            return "unplaced period"
        return " ".join(p for p in (label, str(self.year or "")) if p) or "year"


UNKNOWN = Period(None, 0, 0)
"""A period the sentence states but the rules cannot place ('in the past six months'): agrees with any."""
_YEAR = r"(?:of\s+)?(?:(?:the\s+)?year|(\d{4}))"
_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\b(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s*(?:{_YEAR})?", re.I), "quarter"),
    (re.compile(r"\bQ([1-4])\s*(\d{4})?\b"), "q"),
    (re.compile(rf"\b(first|second)\s+half\s*(?:{_YEAR})?", re.I), "half"),
    (re.compile(r"\bH([12])\s*(\d{4})?\b"), "h"),
    (re.compile(r"\b(" + "|".join(_MONTHS) + r")\s*(\d{4})?\s+(?:to|through|until|till|-|–)\s+("
                + "|".join(_MONTHS) + r")\b,?\s*(\d{4})?", re.I), "months"),
    (re.compile(r"\b(?:past|last|previous)\s+(?:\w+\s+)?(?:months?|weeks?|days?|quarters?)\b", re.I), "unknown"),
    (re.compile(r"\b(?:in|during|for|of)\s+((?:19|20)\d{2})\b(?!\s*(?:-|to)\b)"), "year"),
]


@lru_cache(maxsize=512)
def period_in(text: str) -> Period | None:
    """The first period ``text`` states: 'first half of 2024' = 'January to June 2024' = H1 2024."""
    found: list[tuple[int, Period]] = []
    for pattern, kind in _PERIODS:
        if m := pattern.search(text):
            found.append((m.start(), _period(kind, m)))
    return min(found, key=lambda item: item[0])[1] if found else None


def _period(kind: str, m: re.Match[str]) -> Period:
    g = m.groups()
    year = next((int(y) for y in g[1:] if y and y.isdigit() and len(y) == 4), None)
    if kind in ("quarter", "q"):
        n = _ORDINAL.get(g[0].lower(), 0) or int(g[0])
        return Period(year, 3 * n - 2, 3 * n)
    if kind in ("half", "h"):
        n = _ORDINAL.get(g[0].lower(), 0) or int(g[0])
        return Period(year, 6 * n - 5, 6 * n)
    if kind == "months":
        return Period(year, _MONTHS[g[0].lower()], _MONTHS[g[2].lower()])
    if kind == "year":
        return Period(int(g[0]), 1, 12)
    return UNKNOWN


def event_word(word: str) -> str | None:
    w = word.lower()
    group = _EXTRA_EVENTS.get(w) or next(iter(lexicon.events(w)), None)
    return _EVENT_ALIASES.get(group, group) if group else None


def scope_of(sentence: str) -> str | None:
    """The place a sentence is scoped to by a leading 'In Iraq,' / 'Meanwhile, in Syria,'; None if none."""
    m = _SCOPE.match(sentence)
    if not m or m.group(1).split()[0] in _NOT_PLACES:
        return None
    return m.group(1)


def names_place(sentence: str, place: str) -> bool:
    return re.search(rf"\b{re.escape(place)}\b", sentence) is not None


@dataclass(frozen=True)
class Reading:
    """One figure as its sentence reads: everything a check or a match needs, in normalized form."""

    index: int
    figure: Figure
    sentence: tuple[int, int]
    unit: str | None
    event: str | None
    noun: str | None
    scope: str | None
    period: Period | None
    """The period its sentence states, else the last one stated before it (when the article text is known)."""
    own_period: bool
    phrase: frozenset[str] = frozenset()
    """Stems of the counted noun's phrase as written (empty when the noun is inferred: '32 others')."""

    @property
    def flow(self) -> bool:
        return self.event is not None or (self.noun or "") in FLOW_NOUNS

    @property
    def person_class(self) -> str | None:
        """'member' for any generic persons noun (operatives, elements…), else the noun itself."""
        return "member" if self.noun in GENERIC_PERSONS else self.noun

    @property
    def quote(self) -> str:
        return self.figure.quote


def read(figures: Sequence[Figure], text: str | None = None) -> list[Reading]:
    """A reading of every figure, in the order given. ``text`` (the normalized article) lets a sentence without
    a period inherit the last period stated before it, figures or not (a headline's 'first quarter 2024')."""
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for i, f in enumerate(figures):
        by_sentence.setdefault(f.quote_span, []).append(i)
    carried = _carried_periods(text, [s for s, _ in sorted(by_sentence.items())], figures, by_sentence)
    readings: dict[int, Reading] = {}
    for span, members in by_sentence.items():
        members.sort(key=lambda i: figures[i].span[0])
        previous_noun: str | None = None
        for pos, i in enumerate(members):
            f = figures[i]
            before, after = _gaps(f, [figures[j] for j in members], pos)
            noun, phrase = _noun(after)
            if noun is None or noun in _ELLIPTICAL:
                noun = previous_noun
            previous_noun = noun
            own = period_in(f.quote)
            readings[i] = Reading(i, f, span, *_unit_event(f, noun, before, after), noun, scope_of(f.quote),
                                  own or carried.get(span), own is not None, phrase)
    return [readings[i] for i in range(len(figures))]


def _gaps(f: Figure, members: list[Figure], pos: int) -> tuple[str, str]:
    """The sentence text between this figure and its neighbours in the sentence."""
    q0 = f.quote_span[0]
    lo = members[pos - 1].span[1] - q0 if pos else 0
    hi = members[pos + 1].span[0] - q0 if pos + 1 < len(members) else len(f.quote)
    start, end = f.span[0] - q0, f.span[1] - q0
    return f.quote[max(lo, 0):max(start, 0)], f.quote[max(end, 0):max(hi, end, 0)]


def _noun(after: str) -> tuple[str | None, frozenset[str]]:
    """The counted noun: the first plural or persons word among the next four ('44 ISIS operatives' → operative),
    and the stems of its phrase ('suspected ISIS members', 'members of the Global Coalition')."""
    tokens = _WORD.findall(after)
    for n, token in enumerate(tokens[:5]):
        low = token.lower()
        if low in _NOUN_STOP or not token[0].isalpha():
            return None, frozenset()
        if low in _ELLIPTICAL or low == "others":
            return "other", frozenset()
        if token.isupper() or not low.isalpha():
            continue
        one = lexicon.singular(low)
        if low == "people" or one != low or lexicon.is_person(low):
            tail = tokens[n + 1:n + 5] if tokens[n + 1:n + 2] == ["of"] else []
            phrase = frozenset(lexicon.content(" ".join(tokens[:n + 1] + tail)))
            return ("people" if low in ("people", "persons") else one), phrase
    return None, frozenset()


def _unit_event(f: Figure, noun: str | None, before: str, after: str) -> tuple[str | None, str | None]:
    label = lexicon.unit_key(f.unit)
    if label and label.isupper():
        measured = [e for w in lexicon.words(f.quote[:f.span[0] - f.quote_span[0]])
                    if (e := event_word(w)) in _MONEY_MEASURES]
        return label, measured[-1] if measured else _event(before, after)
    if label and label in MEASURES:
        return label, _event(before, after)
    event = None if noun in STATE_NOUNS else _event(before, after)
    if noun and not (lexicon.is_person(noun) or noun in GENERIC_PERSONS or noun in ("people", "other")):
        unit = lexicon.unit_key(COUNT_SYNONYMS.get(noun, noun))
        return unit, None if event in PERSON_EVENTS else "cut" if event == "loss" else event
    if noun or event in PERSON_EVENTS or label == "people":
        return "people", event
    return label, event


def _event(before: str, after: str) -> str | None:
    """The event a number is given: 'the death of 11', '44 ISIS operatives were killed', 'killed 14 operatives'."""
    if _TOLL.search(before):
        return "kill"
    if (lead := _LEAD.search(before)) and (e := event_word(lead.group(1))):
        return e
    own = after
    if (lead := _LEAD.search(after)) and event_word(lead.group(1)):
        own = after[:lead.start()]
    clause = re.split(r"[,;:()]|\band\b|\bor\b", own, maxsplit=1)[0]
    for w in lexicon.words(clause)[:6]:
        if e := event_word(w):
            return e
    for w in lexicon.words(before)[-2:]:
        if e := event_word(w):
            return e
    return None


def _carried_periods(text: str | None, spans: list[tuple[int, int]], figures: Sequence[Figure],
                     by_sentence: dict[tuple[int, int], list[int]]) -> dict[tuple[int, int], Period]:
    """Each figure sentence's period carried from the last quarter, half or month range stated before it."""
    from wirebrief.text.sentences import sentence_spans

    sentences = sentence_spans(text) if text is not None else spans
    source = text if text is not None else ""
    quotes = {span: figures[members[0]].quote for span, members in by_sentence.items()}
    carried: dict[tuple[int, int], Period] = {}
    last: Period | None = None
    for span in sentences:
        if last is not None:
            carried[span] = last
        sentence = quotes.get(span) if text is None else source[span[0]:span[1]]
        found = period_in(sentence or "")
        if found is not None and found is not UNKNOWN and (found.first, found.last) != (1, 12):
            last = found
    return carried
