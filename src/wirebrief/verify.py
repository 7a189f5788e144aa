"""Code checks what the model said: figures come from candidates, prose numbers from the article."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from wirebrief.numbers import NumberMention, find_numbers, same_value, tidy, unverified_numbers
from wirebrief.schema import HEADLINE_CAP, POINT_CAP, SUMMARY_CAP, WHAT_CAP, Draft, Figure, FigureLabel

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "maj", "adm", "st", "gov", "sen", "rep",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "inc",
    "corp", "co", "jr", "sr", "prof", "approx", "est", "dept", "u.s", "u.n", "u.k", "e.g", "i.e",
}
_SCALE = r"(?:%|percent|thousand|million|billion|trillion)"
_LEADING_NUMBER = re.compile(rf"^[$€£]?\d[\d.,]*\s*{_SCALE}?\s+(?=\S)(?!{_SCALE}\b)")
"""'196 operations' → 'operations': the value is in its own field; 'what' says what is counted."""
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?…])")
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


def quote_for(text: str, sentences: list[tuple[int, int]], mention: NumberMention) -> tuple[int, int]:
    for s, e in sentences:
        if s <= mention.start < e:
            return s, max(e, mention.end)
    return mention.start, mention.end


@dataclass(frozen=True)
class Article:
    """What model output is checked against, computed once per article: its text, the values of every
    number in it, and the scripts its letters use (plus Latin, the prompt's)."""

    text: str
    values: tuple[float, ...]
    scripts: frozenset[str]

    @classmethod
    def of(cls, text: str, mentions: list[NumberMention]) -> Article:
        scripts = {"LATIN"} | {_script(ch) for ch in set(text) if ch.isalpha()}
        return cls(text, tuple(m.value for m in mentions), frozenset(scripts))


def build_figures(draft: Draft, candidates: list[NumberMention], article: Article) -> tuple[list[Figure], list[str]]:
    """Figures for the labels the model gave; value, raw, quote and spans come from the text.

    A label whose anchor names its own candidate is kept. A label whose anchor names another candidate (the
    model lost its place, e.g. skipped a photo counter) is moved there when that is unambiguous: exactly one
    candidate has the anchor's value and it has no label of its own. Any other label is dropped.
    """
    by_id = {m.id: m for m in candidates}
    assigned: dict[int, FigureLabel] = {}
    strays: list[tuple[FigureLabel, NumberMention]] = []
    warnings: list[str] = []
    for label in draft.figures:
        mention = by_id.get(label.id)
        if mention is None or label.id in assigned:  # impossible under the per-article schema; a last guard
            warnings.append(f"dropped a label with an unknown or repeated id {label.id}")
        elif _blank_to_none(label.what or "") is None:
            continue  # the model judged it not a figure (a photo counter, a size…)
        elif _anchored(label.number, mention):
            assigned[label.id] = label
        else:
            strays.append((label, mention))
    for label, mention in strays:
        target = _realign(label.number, candidates, assigned)
        if target is None:
            warnings.append(f"dropped the label for {mention.raw!r}: the model was labelling {label.number!r}")
        else:
            assigned[target.id] = label
            warnings.append(f"moved a label from {mention.raw!r} to {target.raw!r}, the number it names")
    sentences = sentence_spans(article.text)
    labels = _LabelGuard(article, warnings)
    figures = [_figure(by_id[i], label, article.text, sentences, labels) for i, label in assigned.items()]
    figures.sort(key=lambda f: f.span)
    return figures, warnings


def _script(ch: str) -> str:
    return unicodedata.name(ch, "?").split(" ")[0]  # LATIN, CJK, CYRILLIC, ARABIC…


def _in_scripts(kind: str, value: str, article: Article, warnings: list[str]) -> str:
    """Model text keeps only letters of the article's scripts: a small model sometimes drifts into another
    language mid-phrase (seen: Qwen writing "in伊拉克" for "in Iraq")."""
    if all(_script(ch) in article.scripts for ch in value if ch.isalpha()):
        return value
    warnings.append(f"removed letters of a script the article does not use from {kind} {value!r}")
    kept = " ".join("".join(ch for ch in value if not ch.isalpha() or _script(ch) in article.scripts).split())
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", kept)


class _LabelGuard:
    """Labels are checked like prose: a number in a label must be in the article, or the field is emptied;
    letters of a foreign script are removed."""

    def __init__(self, article: Article, warnings: list[str]) -> None:
        self.article, self.warnings = article, warnings

    def __call__(self, value: str | None) -> str | None:
        value = _blank_to_none(value)
        if value is None:
            return None
        if bad := unverified_numbers(value, self.article.values):
            self.warnings.append(f"emptied the label {value!r}: numbers not in the article ({', '.join(bad)})")
            return None
        return _blank_to_none(_in_scripts("the label", value, self.article, self.warnings))

    def what(self, value: str | None, mention: NumberMention, where: str | None) -> str:
        """What is counted, without the number itself ('over 9,000 detainees' → 'detainees'), without a word
        the grammar cut at the cap, and without the place when ``where`` already says it."""
        what = self(value) or ""
        if len(what) >= WHAT_CAP:
            what = what.rsplit(" ", 1)[0]
        if what.lower().startswith(mention.raw.lower()):
            what = what[len(mention.raw):]
        what = _LEADING_NUMBER.sub("", what.strip()).strip()
        if where:
            trimmed = re.sub(rf"\s+(?:in|across|from|of)\s+(?:the\s+)?{re.escape(where)}$", "", what, flags=re.I)
            what = trimmed or what
        return what


def _realign(number: str, candidates: list[NumberMention],
             assigned: dict[int, FigureLabel]) -> NumberMention | None:
    """The one unlabelled candidate with the anchor's value, if there is exactly one."""
    values = [m.value for m in find_numbers(tidy(number))]
    matches = [m for m in candidates if values and same_value(m.value, values[0])]
    if len(matches) == 1 and matches[0].id not in assigned:
        return matches[0]
    return None


def _figure(mention: NumberMention, label: FigureLabel, text: str, sentences: list[tuple[int, int]],
            clean: _LabelGuard) -> Figure:
    qs, qe = quote_for(text, sentences, mention)
    where = clean(label.where)
    return Figure(
        value=mention.value,
        raw=mention.raw,
        unit=mention.unit or _blank_to_none(label.unit),
        what=clean.what(label.what, mention, where),
        qualifier=mention.qualifier,
        where=where,
        period=clean(label.period),
        source=clean(label.source),
        quote=text[qs:qe],
        span=(mention.start, mention.end),
        quote_span=(qs, qe),
    )


def _anchored(number: str, mention: NumberMention) -> bool:
    """The label's anchor names the candidate's number: the model has not lost its place in the list."""
    found = find_numbers(tidy(number))  # the model sometimes writes ",196" for 196
    return any(same_value(m.value, mention.value) for m in found)


def _blank_to_none(value: str | None) -> str | None:
    if value is None or value.strip().lower() in ("", "null", "none", "n/a", "unknown"):
        return None
    return value.strip()


def _untruncated(text: str, cap: int) -> str:
    """Text the grammar cut at its cap, trimmed back to its last sentence, or else its last whole word."""
    if len(text) < cap - 1:
        return text
    sentences = sentence_spans(text)
    if len(sentences) > 1:
        return text[: sentences[-2][1]]
    return text.rsplit(" ", 1)[0].rstrip(",;:-–— ") + "…"


def checked_prose(draft: Draft, article: Article, fallback_headline: str) -> tuple[str, str, list[str], list[str]]:
    """Headline, summary and key points with every unverifiable number removed, letters of a script the
    article does not use removed, and warnings saying so."""
    warnings: list[str] = []

    def keep(kind: str, piece: str) -> bool:
        bad = unverified_numbers(piece, article.values)
        if bad:
            warnings.append(f"dropped {kind} with numbers not in the article ({', '.join(bad)}): {piece!r}")
        return not bad

    def clean(kind: str, piece: str, cap: int) -> str:
        return _in_scripts(kind, _untruncated(tidy(piece), cap), article, warnings)

    headline = clean("the headline", draft.headline, HEADLINE_CAP)
    if not headline or not keep("headline", headline):
        headline = fallback_headline
    summary_text = clean("the summary", draft.summary, SUMMARY_CAP)
    summary = " ".join(
        summary_text[s:e] for s, e in sentence_spans(summary_text) if keep("a summary sentence", summary_text[s:e])
    )
    points = [p for p in (clean("a key point", k, POINT_CAP) for k in draft.key_points) if p and keep("a key point", p)]
    return headline, summary, points, warnings
