"""A candidate's proposed labels, and the helpers the passes over an article's sentences share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wirebrief.figures.change import Direction
from wirebrief.figures.mention import NumberMention
from wirebrief.figures.parse import memo
from wirebrief.figures.scope import Origin

if TYPE_CHECKING:
    from spacy.tokens import Doc


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
    refers_back: bool = False
    """The figure is named only by a word that stands for a number ('the figure is closer to 15%', 'the proportion
    was 62%'): it is what an earlier figure of its kind is about."""


def is_share(m: NumberMention) -> bool:
    return m.kind in ("percent", "ratio") or 0 < m.value < 1


def sentence_at(doc: Doc, m: NumberMention) -> int | None:
    """The number of the sentence a mention is in (None: the parse has no token there)."""
    starts = memo(doc, "sentence starts", lambda: {s.start_char: n for n, s in enumerate(doc.sents)})
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return starts[span.sent.start_char] if span is not None and len(span) else None


def by_sentence(doc: Doc, mentions: list[NumberMention]) -> dict[int, list[NumberMention]]:
    """The mentions grouped by the number of the sentence they are in."""
    grouped: dict[int, list[NumberMention]] = {}
    for m in mentions:
        if (n := sentence_at(doc, m)) is not None:
            grouped.setdefault(n, []).append(m)
    return grouped
