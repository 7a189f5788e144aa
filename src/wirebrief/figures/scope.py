"""Where and when: the place and period of a figure, read from its sentence, else from the context that scopes it,
else from the article when it is about one place (:func:`wirebrief.figures.labels.propose`). Who says so is
:mod:`wirebrief.figures.source`."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from wirebrief.figures import gazetteer, lexicon
from wirebrief.figures.finder import MODEL_YEAR
from wirebrief.figures.parse import (
    PLACE_LABELS,
    before,
    canonical_place,
    entity_at,
    entity_text,
    ents_of,
    governing_prep,
    memo,
    text_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


@dataclass(frozen=True)
class Scope:
    """What holds for the whole article unless a sentence says otherwise: its one place, when it is about one."""

    where: str | None


Origin = Literal["sentence", "context", "article"]


def article_scope(doc: Doc) -> Scope:
    """The article's one place, when it is about one: it names one place (aliases the same: US = United States), or
    one place has four in five of its place mentions, its own cities and states counted as its (gazetteer), and is
    named at least three times. An article of 'In Iraq … In Syria …' has no place of its own: each figure takes its
    sentence's or its paragraph's."""
    places = Counter(canonical_place(e.text) for e in places_in(doc[:]) if not in_name(e))
    key_of = {name: " ".join(sorted(lexicon.place_key(name))) for name in places}
    keys: Counter[str] = Counter()
    names: dict[str, str] = {}  # a key's first name, to look it up in the gazetteer
    for name, n in places.items():
        keys[key_of[name]] += n
        names.setdefault(key_of[name], name)
    where = None
    if keys:
        top, n = keys.most_common(1)[0]
        if len(keys) > 1:  # a country's own cities and states are mentions of it: 'the US … Boston … Florida'
            top, n = max(((key, keys[key] + sum(m for other, m in keys.items() if other != key
                                                and gazetteer.within(names[other], names[key])))
                          for key in keys), key=lambda kn: kn[1])
        if len(keys) == 1 or (n >= 3 and n / sum(keys.values()) >= 0.8):
            where = max((name for name in places if key_of[name] == top), key=lambda name: places[name])
    return Scope(where=where)


def places_in(span: Span) -> list[Span]:
    """The places of a span: the parser's GPE/LOC entities, and country or region names it missed."""
    return memo(span.doc, ("places", span.start, span.end), lambda: _places_in(span))


def _places_in(span: Span) -> list[Span]:
    found = [e for e in ents_of(span) if e.label_ in PLACE_LABELS
             and not any(ch.isdigit() for ch in e.text)]  # '2bn euros' is no place, whatever its tag
    taken = {i for e in found for i in range(e.start, e.end)}
    doc = span.doc
    for i in range(span.start, span.end):
        for n in (3, 2, 1):
            j = i + n
            if j <= span.end and not taken & set(range(i, j)) and doc[i:j].text in lexicon.COUNTRIES:
                found.append(doc[i:j])
                taken |= set(range(i, j))
                break
    return sorted(found, key=lambda e: e.start)


def in_name(place: Span) -> bool:
    """A place that starts a name: 'US Airways', 'US Central Command' (a capitalised word right after it that is
    no place)."""
    after = place.doc[place.end] if place.end < len(place.doc) else None
    return after is not None and after.text[:1].isupper() and after.pos_ == "PROPN" and after.ent_type_ not in (
        "GPE", "LOC")


def where_of(sent: Span, span: Span, scope: Scope) -> tuple[str | None, Origin | None]:
    """The figure's place and where it came from: its sentence ('in Iraq and Syria'), else the paragraph that
    scopes it (a sentence before it, in the same paragraph, that opens with 'In Syria, …'), else the article's one
    place."""
    if found := place(sent, span):
        return canonical_place(found), "sentence"
    if found := _paragraph_place(sent):
        return found, "context"
    if scope.where:
        return scope.where, "article"
    return None, None


def _paragraph_place(sent: Span) -> str | None:
    """The place the sentence before opened with ('In Syria, …'), in the same paragraph and not a quote."""
    doc = sent.doc
    earlier = before(sent, 1)
    first = next((t for t in sent if not t.is_space), sent[0])
    for prior in earlier:
        between = text_of(doc)[prior.end_char - 1:first.idx]
        if "\n" in between or prior.text[:1] in "\"'“‘" or any(t.text in "\"“”" for t in prior[:3]):
            return None
        if found := _fronted_place(prior):
            return found
    return None


def _fronted_place(sent: Span) -> str | None:
    """'In Syria, …', 'Meanwhile, in Iraq, …': a place after a locative preposition in a sentence's first words."""
    head = sent[: min(len(sent), 6)]
    for e in places_in(sent):
        if e.start < head.end and governing_prep(e.root) in ("in", "across", "within"):
            return canonical_place(str(e.text))
    return None


_DATE_GAP = {"on", "in", "during", "for", "over", "since", "by", "until", "through", "throughout", "at", "the", "a",
             "an", "this", "last", "next", "of"}


def period_of(sent: Span, span: Span, avoid: Sequence[tuple[int, int]]) -> str | None:
    """The time the text ties to the figure: a date right after it ('180 on Friday', '6% in 2003'), else one that
    opens its sentence ('Last year, …', 'In 2004 …'), else one in its clause with no other figure between them.
    Not a date that only qualifies a noun ('this year's nominees'), an ordinal or a rate."""
    dates = [e for e in _dates(sent, avoid) if e.end <= span.start or e.start >= span.end]
    verb = _clause_verb(span.root)
    if (when := _when(verb)) is not None:
        return str(when.text)
    if (own := _dated_participle(span, dates)) is not None:
        return _period_text(own)
    if not dates:
        return _now(verb)
    doc = sent.doc
    for e in dates:
        gap = _unbracketed(doc[span.end:e.start]) if 0 <= e.start - span.end <= 16 else None
        if gap is not None and len(gap) <= 3 and all(t.lower_ in _DATE_GAP or t.is_punct and t.text != ","
                                                     for t in gap):
            return _period_text(e)
    opening = [e for e in dates if (e.start - sent.start <= 2 or _in_opening_phrase(e, sent)) and e.end <= span.start
               and not _dates_the_saying(e, verb)]
    if opening:
        return _period_text(opening[0])
    if verb is None:
        return None
    others = [(a, b) for a, b in avoid if not (a >= span.start_char and b <= span.end_char)]
    for e in sorted(dates, key=lambda e: min(abs(e.start - span.end), abs(span.start - e.end))):
        lo, hi = min(e.end_char, span.start_char), max(e.start_char, span.end_char)
        dated = _clause_verb(e.root)
        if dated is not None and (dated == verb and not any(lo <= a and b <= hi for a, b in others)
                                  or _shares_the_date(verb, dated, e, span)):
            return _period_text(e)
    return _now(verb)


def _dated_participle(span: Span, dates: list[Span]) -> Span | None:
    """A date in a participle that qualifies the counted noun: 'the 71,000 jobs added in October'."""
    number = span.root
    noun = number.head if number.dep_ in ("nummod", "compound") and number.head.i > number.i else None
    for acl in (c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN") if noun is not None else ():
        for e in dates:
            if e.root.dep_ == "pobj" and e.root.head.head == acl and e.root.head.lower_ in ("in", "on", "during"):
                return e
    return None


_NOW = {"now", "currently", "presently"}


def _now(verb: Token | None) -> str | None:
    """'now', 'currently', 'so far' said of the figure's own clause: 'Firefox's share is now about 5%'."""
    for c in verb.children if verb is not None else ():
        if c.dep_ == "advmod" and c.lower_ in _NOW:
            return str(c.text)
        if c.dep_ == "advmod" and c.lower_ == "far" and any(g.lower_ == "so" for g in c.children):
            return "so far"
    return None


def _shares_the_date(verb: Token, dated: Token, date: Span, span: Span) -> bool:
    """A date at the end of clauses of figures joined by 'and' dates each ('44 were killed and 166 detained in the
    first half'; not 'out for three months and had targeted a return on 23 February'),
    a date of a clause dates the participle that goes on from it ('recapitalised in 2003, halving the stake to
    10%'), and the date of a 'when' clause dates the clause it hangs on ('would raise rates to 2% when it meets
    next week')."""
    trailing = dated.dep_ == "conj" and dated.head.i == verb.i and date.start > span.end and any(
        c.dep_ == "cc" and c.lower_ == "and" for c in verb.children) and any(
        t.like_num and t.ent_type_ != "DATE" for t in dated.subtree if t.i < date.start)  # its own figure too
    going_on = verb.dep_ == "advcl" and verb.tag_ == "VBG" and date.end <= span.start and (
        verb.head.i == dated.i or dated.dep_ == "conj" and dated.head.i == verb.head.i)  # 'sold … and recapitalised
    # in 2003, halving the stake'
    when = _is_when(dated) and dated.head.i == verb.i or dated.i in _when_heads(verb)  # 'was in 1984 when 41
    # million saw the films'
    of_the_date = verb.dep_ == "relcl" and date.start <= verb.head.i < date.end and _says_when(verb)  # 'in 2019,
    # when the firm sold 12 million cars'
    return trailing or going_on or when or of_the_date


def _says_when(verb: Token) -> bool:
    return any(c.lower_ == "when" for c in verb.children)


def _is_when(verb: Token) -> bool:
    return verb.dep_ == "advcl" and _says_when(verb)


def _when_heads(verb: Token) -> set[int]:
    """The clauses a 'when' clause hangs on, up a chain of them ('was in 1984 when Amadeus beat …, when 41 million
    saw the five films')."""
    heads: set[int] = set()
    while _is_when(verb) and len(heads) < 3:
        verb = verb.head
        heads.add(verb.i)
    return heads


def _unbracketed(gap: Span) -> list[Token]:
    """The words between a figure and a date, leaving out what brackets hold ('300bn yen ($2.9bn, £1.5bn) by
    2010': the conversion is the same figure)."""
    depth, kept = 0, []
    for t in gap:
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            kept.append(t)
    return kept


_BOUNDS = {"since", "until", "till", "before", "after", "by"}
"""Prepositions that change what a date means for a figure: '$20bn since 2014' is not '$20bn in 2014', nor
'300bn yen by 2010' '300bn yen in 2010'."""


def _period_text(date: Span) -> str:
    """The date as the figure's period: with a bounding preposition ('since 2014'), and both ends of a 'from March
    to May' the parser read as two dates."""
    prep = governing_prep(date.root)
    if prep in _BOUNDS:
        return f"{prep} {date.text}"
    to: Token | None
    if prep in ("to", "until"):
        to, start = date.root.head, date.root.head.head
    elif prep == "from":
        start = date.root.head
        to = next((c for c in [*start.children, *start.head.children] if c.lower_ in ("to", "until")), None)
    else:
        return str(date.text)
    if to is None or start.lower_ != "from":
        return str(date.text)
    first, last = (next((entity_at(c) for c in t.children if c.dep_ == "pobj" and c.ent_type_ == "DATE"), None)
                   for t in (start, to))
    if first is None or last is None:
        return str(date.text)
    return text_of(date.doc)[first.start_char:last.end_char]


_THIS_PERIOD = re.compile(r"\b(?:during|in|over|for|throughout|within)\s+(?:this|that|the\s+same)\s+(?:period|time)\b",
                          re.IGNORECASE)


def period_referred_to(sent: Span, avoid: Sequence[tuple[int, int]]) -> str | None:
    """The period a sentence refers back to ('During this period, 94 missions were executed'): the last date of
    the nearest of the three sentences before it that names one."""
    def find() -> str | None:
        if not _THIS_PERIOD.search(sent.text):
            return None
        dated = next((dates for earlier in reversed(before(sent, 3)) if (dates := _dates(earlier, avoid))), None)
        return _period_text(dated[-1]) if dated else None
    return memo(sent.doc, ("period referred to", sent.start), find)  # once per sentence, not per figure


def _in_opening_phrase(date: Span, sent: Span) -> bool:
    """A date inside the phrase that opens the sentence: 'On the evening of the first day, …'."""
    tok = date.root
    for _ in range(5):
        if tok.dep_ == "prep" and tok.head.pos_ in ("VERB", "AUX"):
            return tok.i == sent.start
        if tok.dep_ not in ("pobj", "prep") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _dates_the_saying(date: Span, verb: Token | None) -> bool:
    """An opening date that dates the reporting of the figure, not the figure: 'On Wednesday, CENTCOM reported
    that from January to June the group claimed 153 attacks'."""
    said = _clause_verb(date.root)
    impersonal = said is not None and any(c.dep_ in ("expl", "nsubjpass") and c.lower_ == "it" for c in said.children)
    return said is not None and said != verb and said.lemma_ in lexicon.REPORTING and not impersonal \
        and governing_prep(date.root) != "by"


def _dates(sent: Span, avoid: Sequence[tuple[int, int]]) -> list[Span]:
    """The sentence's dates that can be a figure's period: no figure inside them, no possessive, no ordinal or rate
    (once per sentence: ``avoid`` is the article's figures, the same for all of them)."""
    def make() -> list[Span]:
        spans = sorted(avoid)
        found = []
        for e in ents_of(sent):
            if e.label_ != "DATE" or not is_period(e) or e.root.dep_ == "poss" or e.text.lower().endswith(
                    ("'s", "’s")) or MODEL_YEAR.match(text_of(sent.doc), e.end_char) or MODEL_YEAR.search(e.text):
                continue
            at = bisect_left(spans, (e.end_char, -1))
            inside = [(a, b) for a, b in spans[max(0, at - 8):at] if a < e.end_char and e.start_char < b]
            if not inside or SPAN_OF_TIME.fullmatch(e.text):
                found.append(e)
            elif (date := _before_the_figure(e, inside[0][0])) is not None:
                found.append(date)
        return sorted(found + _sessions(sent, found), key=lambda e: e.start)
    return memo(sent.doc, ("dates", sent.start, sent.end), make)


_SESSION = re.compile(
    r"\b(?:(?:early|late|mid|midday|mid-morning|late-morning|morning|afternoon|evening|lunchtime|overnight|opening|"
    r"closing|premarket|pre-market|after-hours|late morning|early afternoon|Asian|European|US|London|New York)\s+"
    r"(?:trading|trade|dealings|deals)|\d{4}\s+GMT|\d{1,2}[.:]\d{2}\s+(?:GMT|BST|EST|EDT|ET))\b")
"""A time of the market day ('in early trading', 'by late morning trading', 'by 0900 GMT'): the period of a price or
a move, which the parser does not read as a date."""


def _sessions(sent: Span, dates: list[Span]) -> list[Span]:
    spans = [sent.doc.char_span(sent.start_char + m.start(), sent.start_char + m.end(), alignment_mode="expand")
             for m in _SESSION.finditer(sent.text)]
    return [s for s in spans if s is not None and not any(d.start <= s.start < d.end for d in dates)]


SPAN_OF_TIME = re.compile(r"(?:the\s+)?(?:past|last|previous|next|coming|first|final)\s+\S+\s+"
                           r"(?:years|months|weeks|days|decades|quarters|hours)", re.IGNORECASE)
"""A date whose number is its length ('the past six months'): a period of the figures beside it."""


def _before_the_figure(date: Span, start_char: int) -> Span | None:
    """The part of a date the parser ran on into a figure ('Since 1997 10 overseas posts' read '1997 10'): the
    tokens before the figure, when they hold a year."""
    end = next((t.i for t in date if t.idx >= start_char), date.end)
    head = date.doc[date.start:end]
    return head if any(t.like_num and len(t.text) == 4 for t in head) else None


def _when(verb: Token | None) -> Span | None:
    """The date a 'when' clause hangs off: '… since 1999 when 600 hereditaries lost their seats' → 1999."""
    if verb is None:
        return None
    when = next((c for c in verb.children if c.dep_ == "advmod" and c.lower_ == "when"), None)
    if when is None or when.i == 0:
        return None
    date = entity_at(when.doc[when.i - 1])
    return date if date is not None and date.label_ == "DATE" and is_period(date) else None


def _clause_verb(tok: Token) -> Token | None:
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX"):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


_NOT_PERIODS = re.compile(r"(?:the\s+)?\d+(?:st|nd|rd|th)|(?:a|an|per|every|each)\s.*"
                          r"|(?:years|months|weeks|days|hours|decades)", re.IGNORECASE)
"""DATE entities that are not the time a figure covers: an ordinal ('the 12th time'), a rate ('two hours a week'), a
bare time noun ('years', left of '2005 model years')."""


def is_period(entity: Span) -> bool:
    return _NOT_PERIODS.fullmatch(entity.text) is None


_LOCATIVE = {"in", "across", "throughout", "within", "at", "from", "into", "inside", "around"}
"""Prepositions that place a figure in a place ("outside Syria" places it nowhere the article names)."""


def place(sent: Span, span: Span) -> str | None:
    """The place a figure is about: the nearest place named after a locative preposition ('in Iraq and Syria'),
    with its conjuncts; not a place that only qualifies a noun ('the United States military')."""
    places = [e for e in places_in(sent) if (e.end <= span.start or e.start >= span.end)
              and e.root.dep_ in ("pobj", "conj") and governing_prep(e.root) in _LOCATIVE and not in_name(e)]
    if not places:
        return _place_of_a_place(sent, span) or _place_of_the_counted(sent, span) or _everywhere(span)
    best = min(places, key=lambda e: min(abs(e.start - span.end), abs(span.start - e.end)))
    root = best.root
    while root.dep_ == "conj" and root.head.ent_type_ in PLACE_LABELS:
        root = root.head
    group = [root, *(c for c in root.conjuncts if c.ent_type_ in PLACE_LABELS)]
    names = [entity_text(t) for t in sorted(group, key=lambda t: t.i)]
    return " and ".join(dict.fromkeys(names))


_EVERYWHERE = {"worldwide", "globally", "nationwide", "internationally", "nationally"}


def _everywhere(span: Span) -> str | None:
    """'taken $500m worldwide', 'sold five million copies globally': the adverb of the figure's own clause."""
    verb = _clause_verb(span.root)
    return next((str(c.text) for c in verb.children if c.dep_ == "advmod" and c.lower_ in _EVERYWHERE), None) \
        if verb is not None else None


def _place_of_a_place(sent: Span, span: Span) -> str | None:
    """A place named as the owner or kind of a place noun after a locative preposition: 'in Iraq's Anbar province',
    'at the Hasakah detention centre' → the whole phrase, the place with what of it is meant."""
    for e in places_in(sent):
        head = e.root.head
        apart = head.i < span.start or e.start >= span.end  # the phrase holds no part of the figure
        if e.root.dep_ in ("poss", "compound") and head.pos_ == "NOUN" and head.dep_ == "pobj" and apart \
                and governing_prep(head) in _LOCATIVE and not in_name(e):
            return str(sent.doc[e.start:head.i + 1].text)
    return None


def _place_of_the_counted(sent: Span, span: Span) -> str | None:
    """A place that qualifies the very noun the figure counts or measures ('six million UK households', '50% of
    all UK net users'), or whose people it counts ('25% of Britons'); not one that qualifies another noun of the
    sentence ('the US military said 18 …')."""
    number = span.root
    counted = {number.head.i} if number.head.pos_ in ("NOUN", "PROPN") and number.head.i >= span.start else set()
    for tok in span:
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
            counted |= {c.i for c in prep.children if c.dep_ == "pobj"}
    for e in places_in(sent):
        if e.root.dep_ in ("compound", "nmod", "amod") and e.root.head.i in counted and not in_name(e) \
                and not (e.start < span.end and e.end > span.start):
            return canonical_place(str(e.text))
    doc = sent.doc
    for i in sorted(counted):  # '25% of Britons', '1,000 Americans'
        tok = doc[i]
        if tok.tag_ in ("NNS", "NNPS") or tok.lower_ in lexicon.PEOPLE_OF and tok.pos_ in ("NOUN", "PROPN"):
            two = doc[i - 1:i + 1].text.lower() if i else ""
            if (found := lexicon.PEOPLE_OF.get(two) or lexicon.PEOPLE_OF.get(tok.lower_)) is not None:
                return found
    return None

