"""Labels proposed by code: what each number counts, its unit, place, period and source, read off a dependency
parse (spaCy's small English pipeline) with plain rules, after CQE (EMNLP 2023).

Rules on a parse cost milliseconds and cannot drift a field: the counted noun is the number's head
('155,465 pickups'), the event is the verb or nominal that governs it ('the elimination of 18 operatives',
'detained 166 others'), the place and period are entities of its sentence, the source is who the sentence
attributes it to ('according to CENTCOM', 'NHTSA said'). What a sentence does not say comes from the article's
scope (its main place and source), said once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from wirebrief.figures import lexicon
from wirebrief.figures.change import FALL_NOUNS, RISE_NOUNS, Direction, direction, movements
from wirebrief.figures.mention import NumberMention
from wirebrief.figures.parse import PARSER as PARSER
from wirebrief.figures.parse import noun_phrase, number_token, parser, sentence_of, text_of
from wirebrief.figures.scope import (
    Origin,
    Scope,
    abbreviations,
    article_scope,
    name_key,
    period_of,
    source_of,
    where_of,
)
from wirebrief.figures.units import rate_after

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_LIGHT_VERBS = {"be", "have", "include", "involve", "remain", "make", "take", "reach", "see", "total", "get", "put",
                "stand", "give", "do", "come", "go", "show", "say", "add", "bring", "mean", "become", "hit", "leave",
                "represent", "account", "compare", "expect"}


_GENERIC = {"figure", "number", "total", "level", "tally", "count", "estimate", "amount", "sum"}
"""Nouns that stand for a number, not a thing: 'the 169,000 figure', 'the number of jobs'."""


_TIME_NOUNS = {"year", "month", "week", "day", "hour", "minute", "second", "quarter", "decade", "century"}


_PLAIN_PREPS = {"in", "on", "during", "since", "per", "by", "for", "after", "before", "until", "within", "around"}
"""A number after these prepositions stands alone ('in 1984', 'by 20'); after others its noun is said earlier:
'rose to 139,000', 'from 350 to 400', 'compared with between 100 million and 118 million'."""


_ANAPHORS = {"other", "more", "one", "many", "those", "some", "few", "these", "them", "all"}


@dataclass(frozen=True)
class Proposal:
    """Labels for one candidate, each None when the text does not say."""

    unit: str | None
    what: str | None
    where: str | None
    period: str | None
    source: str | None
    not_a_figure: bool = False
    """The parse shows the number is part of a name ('Halo 2', 'Kurdistan 24') or a year ('the 1999 agreement'), not
    a figure (what the words alone show, the finder knows: 'Chapter 11', '2005 model years', 'the 10,000m
    champion')."""
    change: Direction | None = None
    baseline: float | None = None
    not_a_range: bool = False
    """'from 350 to 400' after 'increase' is a change (400 from 350), not a range."""
    origins: dict[str, Origin] = field(default_factory=dict)
    """Where each filled label came from: sentence, context (the paragraph that scopes it), article."""
    per: str | None = None
    """What a rate is per, when the words right after the amount or its noun say: '$52 a barrel' → 'barrel'."""


def propose(text: str, candidates: list[NumberMention]) -> dict[int, Proposal]:
    """Labels for every candidate of ``text``, by id."""
    if not candidates:
        return {}
    doc = parser()(text)
    scope = article_scope(doc)
    numbers = [(m.start, m.end) for m in candidates]
    short = abbreviations(text)
    directions: dict[int, Direction | None] = {}
    proposals = {m.id: _proposal(doc, m, scope, numbers, directions) for m in candidates}
    _conversions_as_converted(text, candidates, proposals)
    ranges = {c.id: c.range_id for c in candidates}
    rates = {ranges[i]: p.per for i, p in proposals.items() if p.per and ranges.get(i) is not None}
    for i, p in proposals.items():  # '$62 to $68 a share': both ends are per share
        if p.per is None and rates.get(ranges.get(i)):
            proposals[i] = replace(p, per=rates[ranges[i]])
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
    """An amount converted in brackets ('1.55bn euros ($2bn; £1.1bn)') says what the amount before it says."""
    converted: NumberMention | None = None
    for m in sorted(candidates, key=lambda c: c.start):
        if converted is not None and m.kind == "money" and _IN_BRACKETS_AFTER.fullmatch(text, converted.end, m.start):
            if proposals[converted.id].what:  # what the parse could read of the first amount
                proposals[m.id] = replace(proposals[converted.id], unit=proposals[m.id].unit)
        else:
            converted = m if m.kind == "money" else None


def _proposal(doc: Doc, m: NumberMention, scope: Scope, numbers: list[tuple[int, int]],
              directions: dict[int, Direction | None]) -> Proposal:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return Proposal(m.unit, None, None, None, None)
    number = number_token(span)
    if _in_name(number, m) or _is_year(number, m):
        return Proposal(m.unit, None, None, None, None, not_a_figure=True)
    noun, own = _counted_noun(number, span)
    unit = m.unit or (_unit_of(noun) if noun is not None else None)
    if not m.unit and (m.kind == "ratio" or 0 < m.value < 1 or _is_rank(number)):
        unit = None  # a share counts no unit ('a third of pupils', 'one in eight'), nor a rank ('at number nine')
    what = _with_subject(_with_reported(_what(number, noun, own, span), number, span), number, span)
    if not what and m.kind == "percent":
        what = _market_name(text_of(doc), m)
    if _is_age(text_of(doc), m, noun):
        unit, what = "year", "age"
    directions[m.id] = direction(text_of(doc), m, number, span)
    per = _per(text_of(doc), m, noun)
    sent = sentence_of(number)
    where, where_from = where_of(sent, span, scope)
    period = period_of(sent, span, numbers)
    period = period and re.sub(r"['’]s\Z", "", period)  # "Last year's" → "Last year"
    source, source_from = source_of(sent, number)
    origins: dict[str, Origin] = {k: o for k, v, o in (("what", what, "sentence"), ("where", where, where_from),
                                                        ("period", period, "sentence"), ("source", source, source_from))
                                  if v and o}
    return Proposal(unit, what, where, period, source, origins=origins, per=per)


def _per(text: str, m: NumberMention, noun: Token | None) -> str | None:
    """The rate right after the amount ('$52 a barrel', '20 per week') or after the noun it counts, when that
    noun follows it ('800,000 barrels a day', '3,000 tests per day')."""
    if per := rate_after(text, m.end):
        return per
    if noun is not None and m.end <= noun.idx <= m.end + 25 and not text[m.end:noun.idx].strip(" -").count(" ") > 2:
        return rate_after(text, noun.idx + len(noun.text))
    return None


_MARKET_NAME = re.compile(r"(?:^|(?<=[\s:;,(]))((?:[A-Z][\w&.]*)(?:[ ](?:[A-Z][\w&.]*|\d+))*)[ ]?[+]?\Z")


def _market_name(text: str, m: NumberMention) -> str | None:
    """A signed move in a market line is the index's or the share's it follows: 'Dow +0.2%', 'Stoxx 50 -1.3%'."""
    signed = m.raw[:1] in "+-−" or text[max(0, m.start - 1):m.start] == "+"
    found = _MARKET_NAME.search(text, max(0, m.start - 30), m.start) if signed else None
    return _meaningful(found.group(1)) if found else None  # a label holds no number: "S&P 500" → "S&P"


_SUBJECT_DEPS = ("nsubj", "nsubjpass")


def subject_of(number: Token, span: Span) -> Token | None:
    """The entity a figure belongs to when it is not the thing counted: the subject of its clause ('Fiat's shares
    rose 4.5%', 'Turkey … owing $23bn'), through a clause that has none of its own ('having increased by $43.6bn'
    takes 'the US trade deficit'), or the antecedent of 'which' ('The Aviator, which has taken $90m')."""
    tok = number
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    verb = tok if tok.pos_ in ("VERB", "AUX") else None
    for _ in range(3):
        if verb is None:
            return None
        subject = next((c for c in verb.children if c.dep_ in _SUBJECT_DEPS), None)
        if subject is not None:
            if subject.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
                subject = verb.head
            if subject.lower_ in _PRONOUNS:
                subject = _antecedent_subject(verb)
            if subject is None or not _names_a_thing(subject) or any(
                    t.i in range(span.start, span.end) for t in subject.doc[subject.left_edge.i:subject.i + 1]):
                return None
            return subject
        if verb.dep_ not in ("advcl", "xcomp", "conj", "ccomp", "pcomp") or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


_PRONOUNS = {"it", "he", "she", "they"}
_NAMED = {"ORG", "PERSON", "GPE", "NORP", "PRODUCT", "FAC"}


def _names_a_thing(token: Token) -> bool:
    """A noun, a name, or a word the parser tags otherwise but knows as a named entity ('OHSU has performed')."""
    return token.pos_ in ("NOUN", "PROPN") or token.ent_type_ in _NAMED and token.pos_ not in ("PRON", "DET")


def _antecedent_subject(verb: Token) -> Token | None:
    """What 'it' / 'he' / 'they' stands for when the clause is said by or of a named subject above it: 'Apple
    said it sold 5m iPhones', 'Musk uses his account, where he has 80m followers', 'British Airways is expected to
    announce it will suspend 36,000 staff'. Only a subject of an enclosing clause is taken, never a noun beside."""
    tok = verb
    for _ in range(4):
        if tok.head.i == tok.i:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            subject = next((c for c in tok.children if c.dep_ in _SUBJECT_DEPS), None)
            if subject is not None and subject.lower_ not in _PRONOUNS:
                return subject if _names_a_thing(subject) and subject.pos_ == "PROPN" or subject.ent_type_ in \
                    _NAMED else None
    return None


def _with_subject(what: str | None, number: Token, span: Span) -> str | None:
    """``what`` led by the entity the figure belongs to, when the sentence names one and ``what`` does not yet:
    'shares rose' → 'Fiat shares rose', 'deficit' → 'US trade deficit'. At most eight words."""
    subject = subject_of(number, span)
    if subject is None or subject.lemma_.lower() in _GENERIC | _ANAPHORS:
        return what
    phrase = _meaningful(_possessed(subject))
    if not phrase:
        return what
    have = {w.lower() for w in (what or "").split()}
    new = [w for w in phrase.split() if w.lower() not in have]
    if not new:
        return what
    joined = [*new, *(what or "").split()] if subject.i < number.i else [*(what or "").split(), *new]
    return " ".join(joined[:8])


_SAYING = {"say", "tell", "report", "believe", "think", "expect", "plan", "want", "admit", "claim", "agree"}
_VAGUE_NOUNS = {"sort", "kind", "type", "form", "lot", "range", "number", "piece", "bit"}


def _with_reported(what: str | None, number: Token, span: Span) -> str | None:
    """A share of people who say something counts what they say they do: '69% of over-55s say they always vote
    in a general election' → 'over-55s vote general election'; '22% said they would be buying some sort of
    wireless device' → 'buying wireless device'."""
    root = number
    while root.head.i != root.i and root.head.i in range(span.start, span.end + 1) and root.dep_ != "nsubj":
        root = root.head
    if root.dep_ == "appos":
        root = root.head
    verb = root.head
    if root.dep_ != "nsubj" or verb.lemma_ not in _SAYING:
        return what
    done = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    for _ in range(3):
        if done is None or done.lemma_ not in _LIGHT_VERBS | {"would", "will"}:
            break
        done = next((c for c in done.children if c.dep_ in ("xcomp", "acomp", "ccomp") and c.pos_ in ("VERB", "ADJ")),
                    None)
        if done is not None and done.pos_ == "ADJ":
            done = next((c for c in done.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if done is None or done.pos_ != "VERB":
        return what
    obj = next((c for c in done.children if c.dep_ == "dobj"), None)
    if obj is None:
        prep = next((c for c in done.children if c.dep_ == "prep"), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if obj is not None and obj.lemma_.lower() in _VAGUE_NOUNS:
        of = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        obj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    said = [str(done.text)] + ([noun_phrase(obj)] if obj is not None and obj.pos_ in ("NOUN", "PROPN") else [])
    return " ".join([*(what or "").split(), *said][:8])


def _possessed(noun: Token) -> str:
    """A noun with its possessor and its 'of' object: 'Fiat's shares' → 'Fiat shares', 'the population of earth'
    → 'population of earth'."""
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")), None)
    words = [noun_phrase(owner)] if owner is not None else []
    words.append(noun_phrase(noun))
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
    obj = next((c for c in of.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None) if of else None
    if of is not None and obj is not None and not obj.like_num:
        words += [str(of.text), noun_phrase(obj)]
    return " ".join(words)


_NOT_NAMES = {"no", "number", "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for",
              "with", "from", "about", "over", "under", "some", "nearly", "almost", "around", "just", "only"}


def _in_name(number: Token, m: NumberMention) -> bool:
    """A bare integer right after a capitalised word, counting no noun after it, is part of a name: 'Halo 2
    sells', 'Internet Explorer 7', 'Chapter 11', 'Kurdistan 24'; 'Apple sold 500 iPods' and 'Manchester got 12
    buses' are counts ('number nine' is a rank, read elsewhere); 'Galaxy Note 20 Ultra' is a name that goes on."""
    if m.unit or not m.raw.isdigit() or number.i == sentence_of(number).start:
        return False
    before = number.doc[number.i - 1]
    if not before.text[:1].isupper() or before.lower_ in _NOT_NAMES or before.ent_type_ == "DATE" \
            or before.is_sent_start and before.pos_ not in ("PROPN",):
        return False
    head = number.head
    named_after = head.pos_ == "PROPN" and head.text[:1].isupper()  # 'Galaxy Note 20 Ultra': the name goes on
    return not (head.i > number.i and head.pos_ in ("NOUN", "PROPN") and not named_after)


_AGE_BEFORE = re.compile(r"(?:\bage of|\baged|\bnow|\bage)\s*\Z", re.IGNORECASE)


_AGE_AFTER = re.compile(r"(?:-|\s)?years?(?:-|\s)old\b", re.IGNORECASE)


def _is_age(text: str, m: NumberMention, noun: Token | None) -> bool:
    """A person's age: 'the 31-year-old Dane', 'at the age of 87', 'aged 18', 'Agassi, now 34'."""
    if m.raw.lower().endswith(("year-old", "years old", "year old")) or _AGE_AFTER.match(text, m.end):
        return True
    return noun is None and m.unit is None and bool(_AGE_BEFORE.search(text, max(0, m.start - 12), m.start))


def _is_year(number: Token, m: NumberMention) -> bool:
    """A plain four-digit number in 1800–2100 that qualifies one thing is a year ('the 1999 agreement'); one that
    counts things stays a count ('2000 new jobs', '1500 troops'). The finder knows the rest ('2005 model years')
    from the words; this needs the parse (the noun's number)."""
    if m.unit or not m.raw.isdigit() or len(m.raw) != 4 or not 1800 <= m.value <= 2100:
        return False
    head = number.head
    return number.dep_ in ("nummod", "compound", "amod") and head.i > number.i and head.tag_ in ("NN", "NNP")


def _is_rank(number: Token) -> bool:
    return number.head.lower_ in ("number", "no", "no.") and number.head.i == number.i - 1


def _counted_noun(number: Token, span: Span) -> tuple[Token | None, Token | None]:
    """The noun the number counts: its head ('18 operatives'), the object of 'of' ('18 of the fighters'), and
    for 'others' / 'more' the noun counted before it in the sentence; and the number's own noun, where its
    event is read ('the detention of 63 others')."""
    head = number.head
    if number.dep_ == "conj" and head.i != number.i and (head.like_num or head.pos_ == "NUM"):
        return _counted_noun(head, span)  # '12 or 14 years': 14 counts what 12 counts
    noun: Token | None = None
    if number.dep_ in ("nummod", "quantmod", "amod", "compound") and head.pos_ in ("NOUN", "PROPN") \
            and head.i not in range(span.start, span.end):
        noun = head
    else:
        for child in number.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                noun = next((c for c in child.children if c.dep_ == "pobj"), None)
    bare = noun is None and not any(t.pos_ in ("SYM",) or t.lower_ in ("%", "percent", "cent") for t in span) \
        and (number.dep_ != "pobj" or number.head.lower_ not in _PLAIN_PREPS)
    generic = noun is not None and noun.lemma_.lower() in _GENERIC and noun.i > number.i
    if bare or generic or noun is not None and noun.lemma_.lower() in _ANAPHORS:
        # 'others', the '169,000 figure', or a number standing alone in a list ('65 flights on Thursday, 180 on
        # Friday', 'revised the number of jobs - to 139,000 instead of 96,000', 'from 350 to 400')
        named = [t for t in sentence_of(number) if t.i < number.i and t.dep_ == "pobj" and t.pos_ == "NOUN"
                 and t.head.lower_ == "of" and t.head.head.lemma_.lower() in _GENERIC]
        counted = [t.head for t in sentence_of(number) if t.i < t.head.i < number.i and t.dep_ == "nummod"
                   and t.head.pos_ == "NOUN" and t.head.lemma_.lower() not in _ANAPHORS | _GENERIC | _TIME_NOUNS]
        earlier = named or counted
        return (max(earlier, key=lambda t: t.i) if earlier else noun), noun
    return noun, noun


def _unit_of(noun: Token) -> str | None:
    word = noun.lemma_.lower()
    if not word.isalpha():
        return None
    if word == noun.lower_ and noun.tag_ in ("NNS", "NNPS", "NNP"):
        word = lexicon.singular(word)  # a capitalised plural keeps its form as a lemma: '94 Defeat ISIS Missions'
    nationals = noun.ent_type_ == "NORP" and noun.tag_ in ("NNS", "NNPS")  # '500 Britons', '40 Iraqis'
    return "people" if nationals or lexicon.is_person(word) or lexicon.is_person(noun.lower_) else word


def _what(number: Token, noun: Token | None, own: Token | None, span: Span) -> str | None:
    """The counted noun phrase and the event that governs it: 'ISIS operatives elimination', 'vehicles
    recalled'; for money and percentages the thing measured: 'pre-tax profit', 'sales rose', 'stake'."""
    if noun is not None and (phrase := _meaningful(noun_phrase(noun))):
        parts = [phrase]
        event = _event(own if own is not None else number, span) or next(
            (str(c.text) for c in noun.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB"
             and c.lemma_ not in _LIGHT_VERBS), None)  # 'the number of jobs created … to 139,000
        if event is not None and event.lower() not in parts[0].lower():
            parts.append(event)
        return " ".join(parts)
    for found in (_measured(_past_symbols(span.root), span), _event(number, span), _nearest_chunk(span)):
        if words := _meaningful(found):
            return words
    return None


_NUMBER_WORDS = re.compile(r"^(?:[%$€£¥]|per|cent|percent|m|bn|k|million|billion|trillion|thousand|[\d.,]+\w*)$",
                           re.IGNORECASE)


def _meaningful(what: str | None) -> str | None:
    """A label without the pieces of a number ('%', 'm', '300bn', a currency): 'past years %' → 'past years';
    nothing left is no label."""
    if not what:
        return None
    kept = [w for w in what.split() if not _NUMBER_WORDS.match(w) and not lexicon.is_currency_word(w)]
    return " ".join(kept) or None


def _past_symbols(root: Token) -> Token:
    """A percent sign or a currency word outside the span stands for the number: read from there."""
    while root.head.i != root.i and (root.head.lower_ in ("%", "percent", "cent", "per") or root.head.pos_ == "SYM"):
        root = root.head
    return root


def _nearest_chunk(span: Span) -> str | None:
    """Failing a parse rule, the nearest noun phrase of the number's clause."""
    sent = sentence_of(span.root)
    chunks = [c for c in sent.noun_chunks if (c.end <= span.start or c.start >= span.end)
              and c.root.pos_ == "NOUN" and not any(t.like_num for t in c)]
    near = [c for c in chunks if abs(c.start - span.end) <= 6 or abs(span.start - c.end) <= 6]
    if not near:
        return None
    best = min(near, key=lambda c: min(abs(c.start - span.end), abs(span.start - c.end)))
    return noun_phrase(best.root)


def _measured(root: Token, span: Span) -> str | None:
    """What an amount or a percentage measures: '20% of voters', 'a 20% stake', 'a rise of 5%', 'sales rose 5%',
    'inflation was 0.7%'."""
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                return noun_phrase(obj)
    head = root.head
    if head.i == root.i:
        return None
    if root.dep_ in ("compound", "nummod", "amod", "nmod") and head.pos_ == "NOUN":
        return noun_phrase(head)
    if root.dep_ == "pobj" and head.pos_ == "ADP":
        gov = head.head
        if gov.pos_ == "NOUN" and gov.i not in range(span.start, span.end):
            return _in_movement(gov)
        root, head = head, gov
        if head.dep_ == "acl" and head.head.ent_type_ in ("DATE", "TIME") and head.head.head.dep_ == "prep":
            head = head.head.head.head  # 'lowered its guidance for the quarter ended December to $84bn'
    return _by_verb(head, root, span) if head.pos_ in ("VERB", "AUX") else None


def _by_verb(verb: Token, root: Token, span: Span) -> str | None:
    """An amount a verb governs measures its subject, what it moved, and the verb: 'sales rose', 'bank growth
    forecast cut'."""
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != root.i), None)
    if subject is not None and subject.lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
        subject = verb.head  # 'The Aviator, which has taken $90m'
    if subject is not None and subject.pos_ not in ("NOUN", "PROPN"):
        subject = None
    said = "" if verb.lemma_ in _LIGHT_VERBS else f" {verb.text}"
    moved = _object_moved(verb, root, span)
    if subject is not None:
        return f"{noun_phrase(subject)}{moved}{said}"
    return f"{moved}{said}".strip() or None


def _in_movement(noun: Token) -> str:
    """A noun the amount measures, with the movement it is the object of: 'a rise in spending of 14.8%' → 'rise in
    spending', 'a fall in sales of 5%' → 'fall in sales'."""
    phrase = noun_phrase(noun)
    prep = noun.head
    if noun.dep_ == "pobj" and prep.lower_ in ("in", "of") and prep.head.pos_ == "NOUN" and (
            prep.head.lemma_.lower() in RISE_NOUNS | FALL_NOUNS):
        return f"{prep.head.text} {prep.text} {phrase}"
    return phrase


def _object_moved(verb: Token, prep: Token, span: Span) -> str:
    """What a verb moved to or by the amount: its object, ' growth forecast' of 'the bank cut its growth forecast
    to 2.1%', ' fee' of 'increased the fee by $5'; '' when the amount is the object itself."""
    if prep.dep_ != "prep" or prep.lower_ not in ("to", "by", "from", "at"):
        return ""
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
    if obj is None or any(t.like_num or t.i in range(span.start, span.end) for t in obj.subtree):
        return ""
    return f" {_possessed(obj)}"


def _event(anchor: Token, span: Span) -> str | None:
    for child in anchor.children:
        if child.dep_ in ("acl", "relcl") and child.pos_ == "VERB" and child.lemma_ not in _LIGHT_VERBS:
            return str(child.text)
    x = anchor
    for _ in range(3):
        head = x.head
        if head.i == x.i:
            return None
        if x.dep_ == "pobj" and head.pos_ == "ADP":
            gov = head.head
            if gov.pos_ == "NOUN" and gov.i not in range(span.start, span.end):
                return noun_phrase(gov)  # 'the elimination of 18 operatives'
            x = head
            continue
        if head.pos_ == "VERB" and x.dep_ in ("dobj", "nsubj", "nsubjpass", "npadvmod", "attr", "oprd", "advmod",
                                             "dative"):
            return None if head.lemma_ in _LIGHT_VERBS else str(head.text)
        x = head
    return None
