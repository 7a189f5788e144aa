"""Prose binds to facts: a number the model writes must be a number of the article *and* stand for the same fact.

"166 killed and 44 detained" is wrong when the article says 44 were killed and 166 detained, although both
numbers are in it. Every number in a sentence of prose is read with its clause (the words the sentence attaches
to it: '166 killed'), and must find an article mention of the same value that supports those words: no event
its clause does not name, and a content word in common with its sentence (persons nouns all count as 'people').
Years and dates only need to be in the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from wirebrief.figures import lexicon
from wirebrief.figures.candidates import tidy, unverified_numbers
from wirebrief.figures.finder import find_numbers
from wirebrief.figures.mention import NumberMention, same_value
from wirebrief.text.sentences import sentence_at

_CLAUSE_BREAK = re.compile(r"[,;:()–—]|[.!?](?=\s|$)|\b(?:and|but|while|whereas|with|after|as|including)\b",
                           re.IGNORECASE)
_CLAUSE_REACH = 300
"""Characters a clause reaches on either side of a number."""
_QUANTITY_KINDS = frozenset({"count", "money", "percent", "measure", "age", "temperature"})


def clause_around(sentence: str, start: int, end: int) -> str:
    """The words of the clause of ``sentence`` that holds [start, end), without the number itself:
    '166 killed and 44 detained', around 44 → ' detained'."""
    floor = max(0, start - _CLAUSE_REACH)  # a clause is read within a window: a 60 KB list is no quadratic scan
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(sentence, floor, start)), default=floor)
    ceiling = min(len(sentence), end + _CLAUSE_REACH)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, end, ceiling)), ceiling)
    return sentence[left:start] + " " + sentence[end:right]


def fact_words(text: str | None) -> set[str]:
    """Content stems, with any persons noun standing for '<person>'."""
    found = lexicon.content(text)
    if any(lexicon.is_person(w) for w in lexicon.words(text)):
        found.add("<person>")
    return found


def supports(claim: str, fact: str, context: str = "") -> bool:
    """Does the article's ``fact`` (the clause of a number, or a label) support the prose ``claim`` about the same
    value? The claim may name no event the fact's clause does not, and must share a word with the fact or its
    ``context`` (the sentence)."""
    near, near_events = fact_words(claim), lexicon.events(claim)
    events = lexicon.events(fact)
    if near_events and not near_events & events:
        return False  # the claim names an event the fact does not: 'killed' for a number the article detained
    return not near or bool(near & (fact_words(fact) | fact_words(context))) or bool(near_events & events)


@dataclass(frozen=True)
class Fact:
    value: float
    kind: str
    clause: str
    sentence: str


class Claims:
    """The article's numbers with their clauses, built once per article, to check prose against."""

    def __init__(self, text: str, sentences: list[tuple[int, int]], mentions: list[NumberMention],
                 excluded: Sequence[tuple[int, int]] = ()) -> None:
        kept = [m for m in mentions if not any(s <= m.start < e for s, e in excluded)]
        self.values = tuple(m.value for m in kept)
        self.facts: list[Fact] = []
        for m in kept:
            s, e = sentence_at(sentences, m.start) or (m.start, m.end)
            sentence = text[s:e]
            self.facts.append(Fact(m.value, m.kind, clause_around(sentence, m.start - s, m.end - s), sentence))

    def problems(self, piece: str) -> list[str]:
        """What is wrong with the numbers of one piece of prose: not in the article, or bound to another fact."""
        text = tidy(piece)
        bad = [f"{raw} (not in the article)" for raw in unverified_numbers(text, self.values)]
        for m in find_numbers(text):
            if m.kind not in _QUANTITY_KINDS:
                # an ordinal, a name, a score, a date: the article must have one of that kind and value
                if m.kind != "year" and not any(f.kind == m.kind and same_value(f.value, m.value) for f in self.facts):
                    bad.append(f"{m.raw} (the article has no such {m.kind})")
                continue
            same = [f for f in self.facts if same_value(f.value, m.value) and f.kind in _QUANTITY_KINDS]
            if not same:
                if any(same_value(v, m.value) for v in self.values):  # '2024 fighters' against the year 2024
                    bad.append(f"{m.raw} (the article has it only as a date or a name)")
                continue
            claim = clause_around(text, m.start, m.end)
            if not any(supports(claim, f.clause, f.sentence) for f in same):
                bad.append(f"{m.raw} (the article does not say it of '{' '.join(claim.split())}')")
        return bad
