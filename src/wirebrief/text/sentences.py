"""Sentences of a text, as character spans: what a figure's quote is, what a clause is read within.

One splitter for the verifier, the prose checks and the injection guard; a lookup by position is a bisection,
so an article of thousands of numbers is not scanned once per number.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "st", "gov", "sen", "rep",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "inc",
    "corp", "co", "jr", "sr", "prof", "approx", "est", "dept", "u.s", "u.n", "u.k", "e.g", "i.e",
}
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence; lines always end one. Abbreviations and initials do not."""
    spans, start = [], 0
    for b in _BOUNDARY.finditer(text):
        if b.group(0)[0] == ".":
            word = text[max(start, b.start() - 6) : b.start()].split()[-1:] or [""]
            token = word[0].lower().lstrip("(\"'“")
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or token.endswith(".s"):
                continue
        end = b.start() + len(b.group(0).rstrip())
        if text[start:end].strip():
            spans.append((start, end))
        start = b.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentence_at(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """The span of ``sentences`` (from :func:`sentence_spans`) that holds ``pos``, if any."""
    i = bisect_right(sentences, (pos, float("inf"))) - 1
    if i >= 0 and sentences[i][0] <= pos < sentences[i][1]:
        return sentences[i]
    return None
