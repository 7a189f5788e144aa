"""Ages: a bare number that is how old a person is ('the 31-year-old Dane', 'aged 18', 'Agassi, now 34,',
'he will be 35', 'when their older daughter was 10'). An age's unit is ``year`` and its ``what`` names whose age
it is when the sentence does ('Dane age', 'Prince Charles age'), else ``age``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from wirebrief.figures import lexicon
from wirebrief.figures.mention import NumberMention
from wirebrief.figures.parse import noun_phrase
from wirebrief.figures.what import clause_subject

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

AGE = "age"

_AGE_BEFORE = re.compile(r"(?:\bage of|\baged|\bnow|\bage)\s*\Z", re.IGNORECASE)


_AGE_APPOSED = re.compile(r"[,(]\s*(?:now|aged)\s+\Z", re.IGNORECASE)


_AGE_AFTER = re.compile(r"(?:-|\s)?years?(?:-|\s)old\b", re.IGNORECASE)


_KIN = frozenset("daughter son mother father wife husband brother sister grandson granddaughter grandmother "
                 "grandfather mum dad aunt uncle niece nephew cousin sibling twin".split())
_AGE_WORDS = frozenset({"year", "month", "week", "day", "old"})
_PERSONAL = frozenset({"he", "she", "i", "you"})
_AFTER_AN_AGE = frozenset({"by", "in", "at", "on", "when", "and", "but", "or", "then", "now", "this", "last"})
"""Words that may follow 'he was 35' in a sentence about his age; 'he was 2 under par', 'she was 10 clear' are
scores."""


def is_age(text: str, m: NumberMention, noun: Token | None, number: Token) -> bool:
    """A person's age: 'the 31-year-old Dane', 'at the age of 87', 'aged 18', 'Agassi, now 34', 'he will be 35'."""
    if m.kind == "age" or m.raw.lower().endswith(("year-old", "years old", "year old")) or \
            _AGE_AFTER.match(text, m.end):
        return True  # the finder's ages: 'Prince Charles, 56, and …'
    if _AGE_APPOSED.search(text, max(0, m.start - 12), m.start) and text[m.end:m.end + 1] in (",", ")"):
        return True  # 'Agassi, now 34, has progressed': whatever noun the parse hangs it on
    if noun is not None or m.unit is not None:
        return False
    return bool(_AGE_BEFORE.search(text, max(0, m.start - 12), m.start)) or _a_person_is(number, m)


def _a_person_is(number: Token, m: NumberMention) -> bool:
    """A whole number a person is ('she is 29', 'when their older daughter was 10', 'Federer turned 30'): the
    complement of 'be' or the object of 'turn', with a person for subject and nothing after it that makes it a
    score ('he was 2 under par')."""
    head = number.head
    if not (m.raw.isdigit() and 1 <= m.value <= 120) or not (
            number.dep_ in ("attr", "acomp") and head.lemma_ == "be"
            or number.dep_ == "dobj" and head.lemma_ == "turn"):
        return False
    after = number.nbor(1) if number.i + 1 < len(number.doc) else None
    if after is not None and not (after.is_punct or after.lower_ in _AFTER_AN_AGE):
        return False
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and subject.lower_ in ("who", "that") and head.dep_ == "relcl":
        subject = head.head  # 'Smith, who is 45,'
    return subject is not None and (subject.lower_ in _PERSONAL or _a_person(subject))


def _a_person(token: Token) -> bool:
    """A named person or a noun for persons ('Ossie Davis', 'pensioners', 'their older daughter')."""
    word = token.lower_
    return token.ent_type_ == "PERSON" or lexicon.is_person(word) or lexicon.singular(word) in _KIN


def age_label(number: Token, span: Span) -> str:
    """'age' after whose age it is: the noun the age qualifies ('the 31-year-old Dane'), the name it stands beside
    ('Prince Charles, 56,'), or the person its clause is about ('Ossie Davis died … at the age of 87', 'their
    older daughter was 10'); never a pronoun, which names nobody by itself."""
    owner = _owner(number, span)
    if owner is None:
        return AGE
    if owner.i < span.start:
        return f"{noun_phrase(owner)} {AGE}"  # 'Prince Charles, 56,'
    kept = [t.text for t in owner.lefts if t.i >= span.end and t.dep_ in ("compound", "amod")
            and t.lemma_ not in _AGE_WORDS and not t.like_num and not t.is_punct]  # not the age's own words
    return " ".join([*kept, owner.text, AGE])  # 'the 31-year-old Dane'


def one_age(first: str | None, again: str | None) -> bool:
    """Two age labels of one age: the same person's, or one that names nobody ('age'): 'died in Miami at the age of
    87 on 4 February' … 'The 87-year-old was found in Florida'."""
    return _an_age(first) and _an_age(again) and (first == again or AGE in (first, again))


def _an_age(what: str | None) -> bool:
    return what == AGE or bool(what and what.endswith(f" {AGE}"))


def _owner(number: Token, span: Span) -> Token | None:
    inside = range(span.start, span.end)
    top = number
    while top.head.i in inside and top.head.i != top.i:
        top = top.head
    head = top.head
    while head.lemma_ in _AGE_WORDS and head.head.i != head.i:  # 'four years old': past its own words
        top, head = head, head.head
    if top.dep_ in ("amod", "compound", "nummod") and head.i > span.end - 1 and head.pos_ in ("NOUN", "PROPN"):
        return head  # 'the 68 year-old Washington'
    before = number.doc[span.start - 2] if span.start >= 2 else None
    if before is not None and number.doc[span.start - 1].text in (",", "(") and before.pos_ == "PROPN":
        return before  # 'Prince Charles, 56,'
    found = clause_subject(number)
    subject = found[1] if found is not None else None
    if subject is None or subject.i in inside or subject.pos_ == "PRON":
        return None
    return subject if subject.pos_ == "PROPN" or _a_person(subject) else None
