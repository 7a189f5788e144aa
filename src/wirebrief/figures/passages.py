"""Passages the article attributes or dates as a whole: the labels a figure takes from the sentences around it
(a survey's findings, an issued document's content, a report that goes on with 'it said')."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from wirebrief.figures.mention import NumberMention
from wirebrief.figures.parse import PRONOUNS, sentences, text_of
from wirebrief.figures.proposal import Proposal, by_sentence, is_share
from wirebrief.figures.scope import Origin
from wirebrief.figures.source import SURVEYS, attribution, issuer

if TYPE_CHECKING:
    from spacy.tokens import Doc


def survey_passages(doc: Doc, candidates: list[NumberMention], proposals: dict[int, Proposal]) -> None:
    """A survey's findings go on past the sentence that attributes them: a share with no source of its own, in the
    sentence right after one whose shares are the survey's, is the survey's too ('The poll … found that 59% wanted
    more technology. The computer was the must-have gadget for most people (75%).'). The passage ends at a sentence
    with no share, or with a share of another source."""
    grouped = by_sentence(doc, [m for m in candidates if is_share(m) and not proposals[m.id].not_a_figure])
    sents = sentences(doc)
    surveys: set[str] = set()  # sources named in a sentence about a survey: 'The poll … found', 'said the survey'
    survey, last = None, -2
    for n in sorted(grouped):
        sources = {source for m in grouped[n] if (source := proposals[m.id].source)}
        if len(sources) == 1 and any(t.lemma_.lower() in SURVEYS for t in sents[n]):
            surveys |= sources
        if sources:
            survey = next(iter(sources)) if len(sources) == 1 and sources <= surveys else None
        elif survey is not None and n == last + 1:
            for m in grouped[n]:
                p = proposals[m.id]
                proposals[m.id] = replace(p, source=survey, origins={**p.origins, "source": "context"})
        else:
            survey = None
        last = n


def issued_passages(doc: Doc, candidates: list[NumberMention], proposals: dict[int, Proposal]) -> None:
    """A passage the article attributes as a whole: after a sentence in which a source issues a document ('CENTCOM
    provided in a statement an update on …'), the figures with no source of their own, in that paragraph and the
    two after it, are the document's source's, until a sentence gives a figure to another source."""
    grouped = by_sentence(doc, [m for m in candidates if not proposals[m.id].not_a_figure])
    text, giver, paragraphs_left, end = text_of(doc), None, 0, 0
    origin: Origin = "sentence"
    for n, sent in enumerate(sentences(doc)):
        if "\n" in text[end:sent.start_char]:
            paragraphs_left -= 1
        end = sent.start_char + len(sent.text.rstrip())  # a sentence's span takes the paragraph break after it
        figures = grouped.get(n, [])
        if (named := issuer(sent)) is not None:
            giver, paragraphs_left, origin = named, 2, "sentence"
        elif giver is None or paragraphs_left < 0 or any(
                proposals[m.id].source not in (None, giver) for m in figures):
            giver = None
            continue
        else:
            origin = "context"
        for m in figures:
            if (p := proposals[m.id]).source is None:
                proposals[m.id] = replace(p, source=giver, origins={**p.origins, "source": origin})


def reported_on(doc: Doc, candidates: list[NumberMention], proposals: dict[int, Proposal]) -> None:
    """A report that goes on with a pronoun ('In the first half of 2024, … 44 ISIS elements killed, CENTCOM said.
    Eight senior ISIS leaders were killed …, it said'): the figures with no period of their own take the period
    all the figures of the sentence before share, when that sentence's source is theirs."""
    grouped = by_sentence(doc, [m for m in candidates if not proposals[m.id].not_a_figure])
    sents = sentences(doc)
    for n, figures in grouped.items():
        said = attribution(sents[n])
        before = grouped.get(n - 1, [])
        if said is None or said.lower() not in PRONOUNS or not before:
            continue
        periods = {proposals[m.id].period for m in before}
        sources = {proposals[m.id].source for m in [*before, *figures]}
        if len(periods) != 1 or None in periods or len(sources) != 1 or None in sources:
            continue
        for m in figures:
            if (p := proposals[m.id]).period is None:
                proposals[m.id] = replace(p, period=next(iter(periods)), origins={**p.origins, "period": "context"})
