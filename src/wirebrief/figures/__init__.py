"""Everything about the numbers of an article: in goes its clean text, out come figures.

    text ──numerals + number_words──▶ cores ──finder (+ units)──▶ NumberMention (value, kind, unit, span)
         ──candidates──▶ each quantity once ──labels (+ lexicon, on a spaCy parse)──▶ Proposal (unit, what, where, …)
    prose ──claims──▶ is each number of a sentence stated of the same fact as in the article?

Nothing here calls a model; `wirebrief.brief.assemble` turns mentions and proposals into the brief's figures.
"""

from wirebrief.figures.candidates import figure_candidates, mark, tidy, unmark, unverified_numbers
from wirebrief.figures.finder import find_numbers
from wirebrief.figures.mention import NON_FIGURE_KINDS, Kind, NumberMention, Qualifier, same_value
from wirebrief.figures.numerals import word_value

__all__ = ["NON_FIGURE_KINDS", "Kind", "NumberMention", "Qualifier", "figure_candidates", "find_numbers", "mark",
           "same_value", "tidy", "unmark", "unverified_numbers", "word_value"]
