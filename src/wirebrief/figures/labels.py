"""Labels proposed by code: what each number counts, its unit, place, period and source, read off a dependency
parse (spaCy's small English pipeline) with plain rules, after CQE (EMNLP 2023).

Rules on a parse cost milliseconds and cannot drift a field: the counted noun is the number's head
('155,465 pickups'), the event is the verb or nominal that governs it ('the elimination of 18 operatives',
'detained 166 others'), the place and period are entities of its sentence, the source is who the sentence
attributes it to ('according to CENTCOM', 'NHTSA said'). What a sentence does not say comes from the article's
scope (its main place and source), said once. What a figure is about is read in :mod:`wirebrief.figures.what`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from wirebrief.figures import lexicon
from wirebrief.figures.ages import age_label, is_age
from wirebrief.figures.change import Direction, direction, movements
from wirebrief.figures.lexicon import TIME_NOUNS
from wirebrief.figures.mention import NumberMention
from wirebrief.figures.parse import PARSER as PARSER
from wirebrief.figures.parse import noun_phrase, number_token, parser, sentence_of, text_of
from wirebrief.figures.passages import issued_passages, reported_on, survey_passages
from wirebrief.figures.proposal import Proposal, is_share, sentence_at
from wirebrief.figures.scope import SPAN_OF_TIME, Origin, Scope, article_scope, period_of, period_referred_to, where_of
from wirebrief.figures.source import abbreviations, name_key, source_of
from wirebrief.figures.units import SCALES, rate_after
from wirebrief.figures.what import ANAPHORS, GENERIC, clause_subject, market_name, what_of, with_reported, with_subject

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token



_PLAIN_PREPS = {"in", "on", "during", "since", "per", "by", "for", "after", "before", "until", "within", "around"}
"""A number after these prepositions stands alone ('in 1984', 'by 20'); after others its noun is said earlier:
'rose to 139,000', 'from 350 to 400', 'compared with between 100 million and 118 million'."""




def propose(text: str, candidates: list[NumberMention], mentions: Sequence[NumberMention] = ()) -> dict[
        int, Proposal]:
    """Labels for every candidate of ``text``, by id; ``mentions`` (all the finder found) tells which other numbers
    no label is read from: the ages that bound a group are no period ('17% of 18 to 24 year olds')."""
    if not candidates:
        return {}
    doc = parser()(text)
    scope = article_scope(doc)
    numbers = [(m.start, m.end) for m in (*candidates, *(m for m in mentions if m.kind == "band"))]
    short = abbreviations(text)
    directions: dict[int, Direction | None] = {}
    proposals = {m.id: _proposal(doc, m, scope, numbers, directions) for m in candidates}
    _conversions_as_converted(text, candidates, proposals)
    _amounts_as_the_amount_before(doc, candidates, proposals)
    survey_passages(doc, candidates, proposals)
    _referred_back(doc, candidates, proposals)
    _compared(text, candidates, proposals)
    _spans_of_time(text, candidates, proposals)
    _named_before_brackets(text, candidates, proposals)
    _gapped(text, candidates, proposals, directions)
    issued_passages(doc, candidates, proposals)
    reported_on(doc, candidates, proposals)
    ranges = {c.id: c.range_id for c in candidates}
    for name in ("per", "period", "unit", "what"):  # '$62 to $68 a share', 'four to five thousand people
        shared = {ranges[i]: getattr(p, name) for i, p in proposals.items()
                  if getattr(p, name) and ranges.get(i) is not None}
        for i, p in proposals.items():
            if getattr(p, name) is None and shared.get(ranges.get(i)):
                proposals[i] = replace(p, **{name: shared[ranges[i]]}, origins={**p.origins, name: "sentence"}
                                       if name in ("period", "what") else p.origins)
    for i, moved in movements(text, candidates, directions).items():
        partner = moved.baseline_of is not None and ranges.get(i) is not None and ranges.get(i) == ranges.get(
            moved.baseline_of)
        proposals[i] = replace(proposals[i], change=moved.change, baseline=moved.baseline, not_a_range=partner)
        if partner and moved.baseline_of is not None:
            proposals[moved.baseline_of] = replace(proposals[moved.baseline_of], not_a_range=True)
    return {i: replace(p, source=short.get(name_key(p.source), p.source)) if p.source else p
            for i, p in proposals.items()}


_IN_BRACKETS_AFTER = re.compile(r"\s*\((?:[^()]{0,40}[;,/]\s*)?(?:about\s+|around\s+|roughly\s+)?")
"""From an amount to one converted in brackets after it: ' (', ' ($2bn; '."""


def _conversions_as_converted(text: str, candidates: list[NumberMention], proposals: dict[int, Proposal]) -> None:
    """An amount or a measure converted in brackets ('1.55bn euros ($2bn; £1.1bn)', 'seven miles (11 km)') says
    what the one before it says."""
    converted: NumberMention | None = None
    for m in sorted(candidates, key=lambda c: c.start):
        if converted is not None and m.kind == converted.kind and _IN_BRACKETS_AFTER.fullmatch(
                text, converted.end, m.start):
            if proposals[converted.id].what:  # what the parse could read of the first amount
                proposals[m.id] = replace(proposals[converted.id], unit=proposals[m.id].unit,
                                          per=proposals[m.id].per)
        else:
            converted = m if m.kind in ("money", "measure") else None


_SCALED = re.compile(rf"\d[\d.,]*\s*(?:{'|'.join(sorted(SCALES, key=len, reverse=True))})", re.IGNORECASE)
"""A bare number with a scale ('550m', '2.3 billion'): the scale of an amount of money, unless something is counted."""


def _amounts_as_the_amount_before(doc: Doc, candidates: list[NumberMention], proposals: dict[int, Proposal]) -> None:
    """A scaled number that counts nothing, right after an amount in the same sentence, is in that amount's currency:
    'Fiat is to get 1bn euros immediately, with another 550m to follow'. Only the next number, so '£5m and 3m'
    qualifies but '£5m, 40 staff and 3m' does not."""
    ordered = sorted(candidates, key=lambda c: c.start)
    for before, m in zip(ordered, ordered[1:], strict=False):
        if before.kind != "money" or m.kind != "count" or m.unit or proposals[m.id].unit \
                or not _SCALED.fullmatch(m.raw) or not proposals[before.id].unit:
            continue
        if (at := sentence_at(doc, m)) is not None and at == sentence_at(doc, before):
            proposals[m.id] = replace(proposals[m.id], unit=proposals[before.id].unit)


_GAPPED = re.compile(r"(?:,|\band)\s+((?:[A-Z][\w&.'’-]*\s+){1,4})by\s+\Z")


def _gapped(text: str, candidates: list[NumberMention], proposals: dict[int, Proposal],
            directions: dict[int, Direction | None]) -> None:
    """A list that leaves out its verb: 'Shares of Ross were down 2.3%, Burlington by 2.6% and Foot Locker by 1.1%'
    — each later name moved as the first figure did, by its own amount, and is what its figure is about."""
    ordered = sorted(candidates, key=lambda c: c.start)
    for k, m in enumerate(ordered[1:], 1):
        first = ordered[k - 1]
        gap = _GAPPED.search(text, max(0, m.start - 60), m.start)
        if gap is None or first.kind != m.kind or re.search(r"[.;!?]\s", text[first.end:m.start]):
            continue
        if (way := directions.get(first.id)) is not None:
            directions[m.id] = way  # the gapped figure moved as the one before it
        proposals[m.id] = replace(proposals[m.id], what=gap.group(1).strip(),
                                  origins={**proposals[m.id].origins, "what": "sentence"})


_COMPARED = re.compile(r"\b(?:compared\s+(?:with|to)|as\s+against|versus|vs\.?)(?=\s)", re.IGNORECASE)


def _compared(text: str, candidates: list[NumberMention], proposals: dict[int, Proposal]) -> None:
    """A figure the sentence compares with an earlier one counts the same event: '69% of over-55s say they always
    vote … compared with just 17% of 18 to 24 year olds' → 'year olds vote general election'; '460 vehicles have
    been stolen … compared with 63' → 'vehicles stolen'. Only a figure whose own label names no event takes the
    earlier one's event and what follows it; one with no label takes the earlier label whole."""
    ordered = sorted(candidates, key=lambda c: c.start)
    for k, m in enumerate(ordered):
        p = proposals[m.id]
        if p.not_a_figure or lexicon.events(p.what):
            continue
        for first in reversed(ordered[:k]):
            between = text[first.end:m.start]
            if re.search(r"[.;!?]\s", between):
                break
            if first.kind != m.kind or not _COMPARED.search(between) or proposals[first.id].not_a_figure:
                continue
            said = (proposals[first.id].what or "").split()
            at = next((i for i, w in enumerate(said) if lexicon.events(w)), None)
            tail = said[at:] if at is not None else (said if p.what is None else [])
            have = {w.lower() for w in (p.what or "").split()}
            if tail:
                what = " ".join([*(p.what or "").split(), *(w for w in tail if w.lower() not in have)][:8])
                proposals[m.id] = replace(p, what=what, origins={**p.origins, "what": "sentence"})
            break


def _spans_of_time(text: str, candidates: list[NumberMention], proposals: dict[int, Proposal]) -> None:
    """A span of time that is another figure's period ('153 attacks in the past six months') is the length of what
    that figure counts: its label is that figure's ('ISIS attacks claimed')."""
    for m in candidates:
        p = proposals[m.id]
        if p.not_a_figure or p.unit not in TIME_NOUNS:
            continue
        dated = next((o for o in candidates if o.id != m.id and (q := proposals[o.id]).what and q.period
                      and SPAN_OF_TIME.fullmatch(q.period) and abs(o.start - m.start) < 200
                      and text.find(q.period, max(0, m.start - 20), m.end + 20) >= 0), None)
        if dated is not None:
            proposals[m.id] = replace(p, what=proposals[dated.id].what, origins={**p.origins, "what": "sentence"})


_NAME_BEFORE_BRACKET = re.compile(r"((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)\s*\(\Z")


def _named_before_brackets(text: str, candidates: list[NumberMention], proposals: dict[int, Proposal]) -> None:
    """Figures in brackets after a name are that name's: 'G Hunter Maldonado (15.3 ppg, 7.4 rpg, 6.9 apg)' →
    'G Hunter Maldonado points per game'. Not a conversion ('$5m (£3m)'), which is the amount before it."""
    for m in candidates:
        p = proposals[m.id]
        opened = text.rfind("(", max(0, m.start - 60), m.start)
        if p.not_a_figure or m.kind == "money" or opened < 0 or ")" in text[opened:m.start]:
            continue
        named = _NAME_BEFORE_BRACKET.search(text, max(0, opened - 60), opened + 1)
        if named is not None and named.group(1) not in (p.what or ""):
            what = " ".join([named.group(1), *(p.what or "").split()][:8])
            proposals[m.id] = replace(p, what=what, origins={**p.origins, "what": "sentence"})


def _referred_back(doc: Doc, candidates: list[NumberMention], proposals: dict[int, Proposal]) -> None:
    """'Other stat gatherers say the figure is closer to 15%': the figure is what the last figure of the same kind
    before it, in its sentence or the one before, is about (Firefox's market share)."""
    ordered = sorted(candidates, key=lambda c: c.start)
    for k, m in enumerate(ordered):
        if not proposals[m.id].refers_back or (at := sentence_at(doc, m)) is None:
            continue
        for b in reversed(ordered[:k]):
            if (was := sentence_at(doc, b)) is None or at - was > 1:
                break
            if b.kind == m.kind and proposals[b.id].what and not proposals[b.id].not_a_figure:
                p = proposals[m.id]
                proposals[m.id] = replace(p, what=proposals[b.id].what, origins={**p.origins, "what": "context"})
                break


def _proposal(doc: Doc, m: NumberMention, scope: Scope, numbers: list[tuple[int, int]],
              directions: dict[int, Direction | None]) -> Proposal:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return Proposal(m.unit, None, None, None, None)
    number = number_token(span)
    if _in_name(number, m) or _is_year(number, m) or _in_a_list_of_names(text_of(doc), m):
        return Proposal(m.unit, None, None, None, None, not_a_figure=True)
    noun, own = _counted_noun(number, span)
    banded = _BAND_OF_RANKS.search(text_of(doc), max(0, m.start - 12), m.start)
    if banded and not m.unit and (noun is None or noun.pos_ == "PROPN" or noun.i < number.i):
        return Proposal(m.unit, None, None, None, None, not_a_figure=True)  # 'into the top 10', 'the last eight of'
    unit = _unit(text_of(doc), m, noun, number)
    what = with_subject(with_reported(what_of(number, noun, own, span), number, span), number, span)
    if not what and m.kind == "percent":
        what = market_name(text_of(doc), m)
    if m.kind == "money" and (bracketed := _noun_past_conversion(doc, m)) is not None:
        what = bracketed
    refers_back = False
    if is_age(text_of(doc), m, noun, number):
        unit, what = "year", age_label(number, span)
    elif what and _says_nothing(what, unit):
        refers_back = any(w in _NO_THING for w in lexicon.words(what))
        what = None
    elif what and _only_a_move(what) and _moved_by_a_pronoun(number):
        refers_back, what = True, None  # 'this would rise to 85%': what rose is what the figure before is about
    if unit is None and m.kind == "count" and what and _an_index_level(number, what):
        unit = "point"
    directions[m.id] = direction(text_of(doc), m, number, span)
    per = _per(text_of(doc), m, noun)
    if unit in lexicon.STAT_RATES:  # '15.3 ppg' is points per game
        short, (unit, per) = unit, lexicon.STAT_RATES[unit]
        what = re.sub(rf"\b{short}\b", f"{unit}s per {per}", what or short, flags=re.IGNORECASE)
    sent = sentence_of(number)
    where, where_from = where_of(sent, span, scope)
    period = period_of(sent, span, numbers)
    referred = period is None and (period := period_referred_to(sent, numbers)) is not None  # 'During this period'
    period = period and _LEADING_QUALIFIER.sub("", re.sub(r"['’]s\Z", "", period))  # "Last year's" → "Last year";
    # '11% more than a year earlier': the parser's date takes in the figure's 'more than'
    source, source_from = source_of(sent, number, share=is_share(m))
    origins: dict[str, Origin] = {k: o for k, v, o in (("what", what, "sentence"), ("where", where, where_from),
                                                        ("period", period, "context" if referred else "sentence"),
                                                        ("source", source, source_from)) if v and o}
    return Proposal(unit, what, where, period, source, origins=origins, per=per, refers_back=refers_back)


_LEADING_QUALIFIER = re.compile(r"\A(?:(?:more|less|fewer)\s+than|about|around|nearly|almost|up\s+to)\s+(?=\S)",
                                re.IGNORECASE)
_CONVERSION_AFTER = re.compile(r"\s*\([^()]{1,40}\)\s*")


def _noun_past_conversion(doc: Doc, m: NumberMention) -> str | None:
    """What an amount modifies past the conversion in brackets the parser cannot read across: 'a hostile 7.4bn
    Australian dollar ($5.8bn; £3bn) bid' → 'bid', 'a €500m ($550m) contract' → 'contract'."""
    bracket = _CONVERSION_AFTER.match(text_of(doc), m.end)
    span = doc.char_span(bracket.end(), bracket.end() + 1, alignment_mode="expand") if bracket else None
    if span is None or not len(span):
        return None
    noun = span[0]
    while noun.dep_ == "compound" and noun.head.i > noun.i and noun.head.i - noun.i <= 2:
        noun = noun.head
    return noun_phrase(noun) if noun.tag_ in ("NN", "NNS") and not noun.like_num else None


_INDEXES = {"index", "dow", "nasdaq", "ftse", "nikkei", "dax", "cac", "stoxx", "kospi", "sensex", "topix", "tsx",
            "asx", "s&p", "hang", "seng"}


def _an_index_level(number: Token, what: str) -> bool:
    """A stock index's level is in points: 'The Nikkei closed at 21,450', 'the index fell to 7,425.81'."""
    level = number.dep_ == "pobj" and number.head.lower_ in ("at", "to") or number.dep_ in ("dobj", "attr")
    return level and bool(_INDEXES & {w.lower() for w in what.split()})


_NO_THING = GENERIC | {"proportion", "percentage"}


def _says_nothing(what: str, unit: str | None) -> bool:
    """A what that names nothing the unit does not: 'years' on '12 to 14 years', 'the figure', 'the proportion'.
    An editor is better served by a blank cell than by the unit again."""
    said = {lexicon.singular(w) for w in lexicon.words(what)} - {"the", "a", "an", "of", "this", "that"}
    duration = {lexicon.singular(unit)} & TIME_NOUNS if unit else set()
    return bool(said) and said <= _NO_THING | duration


def _unit(text: str, m: NumberMention, noun: Token | None, number: Token) -> str | None:
    """The finder's unit, else the counted noun's; a share counts none ('a third of pupils', 'one in eight'), nor a
    rank ('at number nine'), but a share of a unit is that unit ('a quarter of a percentage point', 'half an hour')."""
    if m.unit:
        return m.unit
    if m.kind == "ratio" or 0 < m.value < 1 or _is_rank(number):
        return _measure_of(text, m) if 0 < m.value < 1 else None
    if noun is not None and noun.tag_ == "NN" and noun.text.isalpha() and noun.text.islower() and len(noun.text) > 3 \
            and noun.lower_ not in lexicon.STAT_RATES and re.fullmatch(r"\d+\.\d+", m.raw):
        return None  # 'a magnitude 6.8 earthquake' rates one earthquake: no count of them
    return _unit_of(noun) if noun is not None else None


_OF_A_UNIT = re.compile(r"\s+(?:of\s+)?(?:a|an)\s+((?:percentage\s+)?[a-z]+)\b", re.IGNORECASE)


def _measure_of(text: str, m: NumberMention) -> str | None:
    """The unit a fraction is a share of, when it is one ('a quarter of a percentage point' → percentage points,
    'half an hour' → hour); None for a share of a group ('a third of pupils')."""
    found = _OF_A_UNIT.match(text, m.end)
    if found is None:
        return None
    word = lexicon.singular(found.group(1).lower())
    key = lexicon.unit_key(word)
    if key != lexicon.stem(word):
        return key  # a unit the lexicon names: 'percentage points', 'km', USD ('half a dollar')
    return word if lexicon.is_measure(word) else None  # 'hour', 'mile'


def _moved_by_a_pronoun(number: Token) -> bool:
    """The clause that moves the figure has a pronoun for its subject, or none ('this would rise to 85%'; not 'the
    S&P 500 is poised to drop 0.2%', whose subject the label failed to name)."""
    found = clause_subject(number)
    return found is None or found[1].pos_ in ("PRON", "DET")


def _only_a_move(what: str) -> bool:
    """A label that names only a movement ('rise', 'fell'), not what moved."""
    said = lexicon.words(what)
    return bool(said) and all(lexicon.events(w) & {"rise", "fall"} for w in said)


def _per(text: str, m: NumberMention, noun: Token | None) -> str | None:
    """The rate right after the amount ('$52 a barrel', '20 per week') or after the noun it counts, when that
    noun follows it ('800,000 barrels a day', '3,000 tests per day')."""
    if per := rate_after(text, m.end):
        return per
    if noun is not None and noun.idx >= m.end and text[m.end:noun.idx].strip(" -").count(" ") <= 2:
        return rate_after(text, noun.idx + len(noun.text))  # the noun is at most three words after the amount
    return None


_NOT_NAMES = {"no", "number", "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for",
              "with", "from", "about", "over", "under", "some", "nearly", "almost", "around", "just", "only"}


def _in_name(number: Token, m: NumberMention) -> bool:
    """A bare integer right after a capitalised word, counting no noun after it, is part of a name: 'Halo 2
    sells', 'Internet Explorer 7', 'Chapter 11', 'Kurdistan 24'; 'Apple sold 500 iPods' and 'Manchester got 12
    buses' are counts ('number nine' is a rank, read elsewhere); 'Galaxy Note 20 Ultra' is a name that goes on, and
    so is 'two new 737 Max jets' (another number counts the jets)."""
    if m.unit or not m.raw.isdigit():
        return False
    head, after = number.head, number.nbor(1) if number.i + 1 < len(number.doc) else None
    if number.dep_ == "nummod" and after is not None and after.pos_ == "PROPN" and after.head.i == head.i and any(
            c.i < number.i and c.dep_ == "nummod" and c.like_num for c in head.children):
        return True
    if number.i == sentence_of(number).start:
        return False
    before = number.doc[number.i - 1]
    if not before.text[:1].isupper() or before.lower_ in _NOT_NAMES or before.ent_type_ == "DATE" \
            or before.is_sent_start and before.pos_ not in ("PROPN",):
        return False
    named_after = head.pos_ == "PROPN" and head.text[:1].isupper()  # 'Galaxy Note 20 Ultra': the name goes on
    return not (head.i > number.i and head.pos_ in ("NOUN", "PROPN") and not named_after)


_ITEM = r"(?:[A-Z][\w-]*|\d+)(?:\s[A-Z][\w-]*)?"
_LIST_OF_NAMES = re.compile(rf"{_ITEM}(?:,\s{_ITEM})+,?\s(?:and|or)\s{_ITEM}")


def _in_a_list_of_names(text: str, m: NumberMention) -> bool:
    """A bare number listed among names is a name: 'the 147, 156, 156 Sportwagon, 166, GTV, GT and Spider' (the
    models); a list of numbers alone ('3, 5 and 7') is not one, nor ages beside names ('Smith, 45, Jones, 52 and
    Brown, 61'; 'Sportwagon, 166, GTV' reads to the finder as an age too, one nobody is)."""
    if m.unit and not (m.kind == "age" and m.value > 120) or not m.raw.isdigit():  # 'Smith, 45, Jones, 52' are ages
        return False
    for found in _LIST_OF_NAMES.finditer(text, max(0, m.start - 120), min(len(text), m.end + 120)):
        if found.start() <= m.start and m.end <= found.end():
            items = re.split(r",\s|,?\s(?:and|or)\s", found.group(0))
            return any(not item[:1].isdigit() for item in items) and sum(item[:1].isdigit() for item in items) >= 2
    return False


def _is_year(number: Token, m: NumberMention) -> bool:
    """A plain four-digit number in 1800–2100 that qualifies one thing is a year ('the 1999 agreement'); one that
    counts things stays a count ('2000 new jobs', '1500 troops'). The finder knows the rest ('2005 model years')
    from the words; this needs the parse (the noun's number)."""
    if m.unit or not m.raw.isdigit() or len(m.raw) != 4 or not 1800 <= m.value <= 2100:
        return False
    head = number.head
    return number.dep_ in ("nummod", "compound", "amod") and head.i > number.i and head.tag_ in ("NN", "NNP")


_BAND_OF_RANKS = re.compile(r"\bthe\s+(?:top|bottom|last)\s+\Z", re.IGNORECASE)
"""'the top 10', 'the bottom three', 'the last eight' with nothing counted: a band of places in a ranking or a
stage of a contest, not a figure ('the last 92 hereditaries' counts the peers)."""


def _is_rank(number: Token) -> bool:
    return number.head.lower_ in ("number", "no", "no.") and number.head.i == number.i - 1


_DATING = {"last", "this", "next"}


def _counted_noun(number: Token, span: Span) -> tuple[Token | None, Token | None]:
    """The noun the number counts: its head ('18 operatives'), the object of 'of' ('18 of the fighters'), and
    for 'others' / 'more' the noun counted before it in the sentence; and the number's own noun, where its
    event is read ('the detention of 63 others')."""
    head = number.head
    if number.dep_ == "conj" and head.i != number.i and (head.like_num or head.pos_ == "NUM"):
        return _counted_noun(head, span)  # '12 or 14 years': 14 counts what 12 counts
    noun: Token | None = None
    if head.i in range(span.start, span.end) and head.lower_ in SCALES:
        # '2m shares' parsed as 2 → m → shares: the scale passes on to the noun; '35m of its devices': its 'of'
        number, head = head, (head.head if head.dep_ in ("compound", "nummod") else head)
    if number.dep_ in ("nummod", "quantmod", "amod", "compound") and head.pos_ in ("NOUN", "PROPN") \
            and head.i not in range(span.start, span.end):
        noun = head
    else:
        for child in number.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                noun = next((c for c in child.children if c.dep_ == "pobj"), None)
    if noun is None and number.dep_ in ("nsubj", "nsubjpass", "dobj"):
        noun = _noun_after(number, span)
    if noun is not None and noun.lemma_.lower() in TIME_NOUNS and any(
            t.lower_ in _DATING for t in number.doc[number.i + 1:noun.i]):
        noun = None  # '63 last year' is 63 of something, last year: the parse makes the year its noun
    bare = noun is None and not any(t.pos_ in ("SYM",) or t.lower_ in ("%", "percent", "cent") for t in span) \
        and (number.dep_ != "pobj" or number.head.lower_ not in _PLAIN_PREPS)
    generic = noun is not None and noun.lemma_.lower() in GENERIC and noun.i > number.i
    if bare or generic or noun is not None and noun.lemma_.lower() in ANAPHORS:
        # 'others', the '169,000 figure', or a number standing alone in a list ('65 flights on Thursday, 180 on
        # Friday', 'revised the number of jobs - to 139,000 instead of 96,000', 'from 350 to 400')
        named = [t for t in sentence_of(number) if t.i < number.i and t.dep_ == "pobj" and t.pos_ == "NOUN"
                 and t.head.lower_ == "of" and t.head.head.lemma_.lower() in GENERIC]
        counted = [t.head for t in sentence_of(number) if t.i < t.head.i < number.i and t.dep_ == "nummod"
                   and t.head.pos_ == "NOUN" and t.head.lemma_.lower() not in ANAPHORS | GENERIC | TIME_NOUNS
                   and t.head.lower_ not in SCALES]  # the 'm' of '£30m' counts nothing
        earlier = named or counted
        return (max(earlier, key=lambda t: t.i) if earlier else noun), noun
    return noun, noun


def _noun_after(number: Token, span: Span) -> Token | None:
    """The small parser reads '137 partnered operations resulted …' with the number as the subject: the plural noun
    right after it, past its adjectives, is what it counts."""
    doc, i = number.doc, span.end
    while i < len(doc) and i - span.end < 2 and doc[i].dep_ == "amod" and doc[i].tag_ in ("JJ", "VBN", "VBG"):
        i += 1
    return doc[i] if i < len(doc) and doc[i].tag_ == "NNS" and doc[i].dep_ in ("nsubj", "nsubjpass", "dobj") \
        else None


def _unit_of(noun: Token) -> str | None:
    if noun.text.isalpha() and len(noun.text) > 1 and noun.text.rstrip("s").isupper():  # an acronym: 'the DS'
        acronym = noun.text.removesuffix("s") if len(noun.text) > 2 else noun.text  # (not 'd'), '385 MSCPs'
        return "people" if lexicon.is_person(acronym.lower()) else acronym
    word = noun.lemma_.lower()
    if not word.isalpha():
        return None
    if word == noun.lower_ and noun.tag_ in ("NNS", "NNPS", "NNP"):
        word = lexicon.singular(word)  # a capitalised plural keeps its form as a lemma: '94 Defeat ISIS Missions'
    nationals = noun.ent_type_ == "NORP" and noun.tag_ in ("NNS", "NNPS")  # '500 Britons', '40 Iraqis'
    return "people" if nationals or lexicon.is_person(word) or lexicon.is_person(noun.lower_) else word

