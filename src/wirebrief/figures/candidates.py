"""What the pipeline does with the finder's mentions: the figure candidates (each quantity once), the [#id]
marks, and the numbers of a text that are no number of the article."""

from __future__ import annotations

import re
from collections.abc import Sequence

from wirebrief.figures.finder import find_numbers, sentence_of
from wirebrief.figures.mention import NumberMention, same_value

_MARK = re.compile(r"\[#?\d{1,4}\]\s?")
_WORDS = re.compile(r"[\w%$€£.,'-]+")


def _context(text: str, m: NumberMention) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Two words before a mention and up to four after it, within its sentence, lower-cased."""
    sentence = sentence_of(text, m.start)
    at = text.find(sentence, max(0, m.start - 240))
    before = _WORDS.findall(text[at : m.start].lower())[-2:]
    after = _WORDS.findall(text[m.end : at + len(sentence)].lower())[:4]
    return tuple(before), tuple(after)


def _restates(a: tuple[tuple[str, ...], tuple[str, ...]], b: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    shorter = min(len(a[1]), len(b[1]))
    return a[0] == b[0] and a[1][:shorter] == b[1][:shorter] and shorter > 0


def figure_candidates(text: str, mentions: list[NumberMention]) -> list[NumberMention]:
    """The mentions offered to the model as figures: quantities, each once.

    A mention is left out as a restatement only when an earlier one has the same value *and* the same words
    around it: the same two words before it and the same words after it, up to where the shorter sentence ends
    (a headline repeated in the lede, "ISIS claimed 153 attacks. Later, ISIS claimed 153 attacks again"). A
    same value with other words around it is another figure: "In Iraq, 14 ISIS operatives… In Syria, 14 ISIS
    operatives…" gives two candidates.
    """
    seen: dict[float, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    chosen = []
    for m in mentions:
        if not m.is_figure_candidate:
            continue
        context = _context(text, m)
        earlier = seen.setdefault(m.value, [])
        if any(_restates(context, c) for c in earlier):
            continue
        earlier.append(context)
        chosen.append(m)
    return chosen


def mark(text: str, candidates: list[NumberMention]) -> str:
    """The text with ``[#id]`` before every candidate, for the model to refer to."""
    out, pos = [], 0
    for m in candidates:
        out += [text[pos : m.start], f"[#{m.id}] "]
        pos = m.start
    return "".join([*out, text[pos:]])


def unmark(text: str) -> str:
    """Remove ``[id]`` marks a model copied into its prose."""
    return re.sub(r"  +", " ", _MARK.sub("", text)).strip()


def tidy(text: str) -> str:
    """Model prose without [id] marks or the stray leading punctuation small models emit (".18 killed")."""
    return unmark(text).lstrip(".,;:–—- ")


_VAGUE = re.compile(r"\b(?:(?:hundreds|thousands|millions|billions|trillions|dozens|scores)(?=\s+of\b)"
                    r"|hundreds|thousands|millions|billions|trillions"
                    r"|(?:several|a\s+few|few|many)\s+(?:hundred|thousand|million|billion|dozen))\b", re.IGNORECASE)


def unverified_numbers(text: str, article_values: Sequence[float]) -> list[str]:
    """Numbers written in ``text`` whose value is not any number of the article, in text order.

    Every form the finder reads counts, no quantities included ('5000th', 'X-5000', '10:9999'); a vague number
    it cannot give a value ('Thousands', 'several hundred') cannot be checked, so it is reported too.
    """
    text = tidy(text)
    mentions = find_numbers(text)
    bad = [(m.start, m.raw) for m in mentions if not any(same_value(m.value, v) for v in article_values)]
    bad += [(v.start(), v.group(0)) for v in _VAGUE.finditer(text)
            if not any(m.start <= v.start() < m.end for m in mentions)]
    return [raw for _, raw in sorted(bad)]
