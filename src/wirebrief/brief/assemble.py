"""Code checks what the model said: figures come from candidates, prose numbers from the article."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from wirebrief.brief.schema import HEADLINE_CAP, SUMMARY_CAP, Draft, Figure
from wirebrief.figures import lexicon
from wirebrief.figures.ages import one_age
from wirebrief.figures.candidates import tidy, unverified_numbers
from wirebrief.figures.claims import Claims, fact_words
from wirebrief.figures.mention import NumberMention
from wirebrief.figures.proposal import Proposal
from wirebrief.text.injection import instruction_spans
from wirebrief.text.redact import clean_line
from wirebrief.text.sentences import sentence_at, sentence_spans

_SCALE = r"(?:%|percent|thousand|million|billion|trillion)"
_LEADING_NUMBER = re.compile(rf"^[$€£]?\d[\d.,]*\s*{_SCALE}?\s+(?=\S)(?!{_SCALE}\b)")
"""'196 operations' → 'operations': the value is in its own field; 'what' says what is counted."""
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?…])")


QUOTE_CAP = 600
"""Longest quote: a sentence longer than this (a table read as one sentence) is quoted in a window around the
figure, cut at spaces, with its exact ``quote_span`` (a 60 KB one-sentence list gave an 18 MB brief)."""


def quote_for(sentences: list[tuple[int, int]], mention: NumberMention, text: str = "") -> tuple[int, int]:
    span = sentence_at(sentences, mention.start)
    start, end = (span[0], max(span[1], mention.end)) if span else (mention.start, mention.end)
    if end - start <= QUOTE_CAP or not text:
        return start, end
    reach = max(0, (QUOTE_CAP - (mention.end - mention.start)) // 2)
    lo, hi = max(start, mention.start - reach), min(end, mention.end + reach)
    if lo > start and (space := text.find(" ", lo, mention.start)) >= 0:
        lo = space + 1
    if hi < end and (space := text.rfind(" ", mention.end, hi)) >= 0:
        hi = space
    return lo, hi


@dataclass(frozen=True)
class Article:
    """What model output is checked against, computed once per article: its text, its numbers with the facts
    they stand for (sentences that address an AI left out), and the scripts its letters use (plus Latin)."""

    text: str
    sentences: list[tuple[int, int]]
    claims: Claims
    scripts: frozenset[str]

    @classmethod
    def of(cls, text: str, mentions: list[NumberMention], excluded: Sequence[tuple[int, int]] = ()) -> Article:
        scripts = {"LATIN"} | {_script(ch) for ch in set(text) if ch.isalpha()}
        sentences = sentence_spans(text)
        return cls(text, sentences, Claims(text, sentences, mentions, excluded), frozenset(scripts))

    @property
    def values(self) -> tuple[float, ...]:
        return self.claims.values


def build_figures(candidates: list[NumberMention], proposals: dict[int, Proposal],
                  article: Article) -> tuple[list[Figure], list[str]]:
    """A figure for every candidate: value, raw, quote and spans from the text, labels from ``labels``, each
    label checked like prose (a number in it must be the article's; no letters of a foreign script)."""
    warnings: list[str] = []
    guard = _LabelGuard(article, warnings)
    figures: list[Figure] = []
    for m in candidates:
        p = proposals.get(m.id) or Proposal(m.unit, None, None, None, None)
        if p.not_a_figure:
            continue
        qs, qe = quote_for(article.sentences, m, article.text)
        labels = {"what": guard.what(p.what, m), "where": guard(p.where), "period": guard(p.period),
                  "source": guard(p.source)}
        figures.append(Figure(
            value=m.value, raw=m.raw, unit=m.unit or guard(p.unit), per=p.per, qualifier=m.qualifier, **labels,
            quote=article.text[qs:qe], span=(m.start, m.end), quote_span=(qs, qe), change=p.change,
            baseline=p.baseline, range_id=None if p.not_a_range else m.range_id,
            label_from={k: o for k, o in p.origins.items() if labels.get(k)},
        ))
    return without_restatements(figures), warnings


KEY_POINTS, KEY_POINT_CAP = 5, 320
"""Key points are the article's own sentences (at most this many characters each) that carry its main figures."""
_QUOTE_MARKS = "\"'“‘"


def key_points(article: Article, figures: list[Figure], n: int = KEY_POINTS, said: str = "") -> list[str]:
    """The ``n`` sentences of the article that carry its main figures, verbatim and in article order: nothing a
    model could misattach, and no tokens to generate. A sentence weighs what its figures are (money, shares and
    counts of people most; a counted noun next; a bare number least), discounted by its place in the article (news
    puts the main facts first); quoted speech and sentences too long to read as a point count half. A sentence the
    summary already says (``said``, mostly the lede the model copied) is left for the next one. Each is cleaned
    (:func:`clean_line`): one line, no markup an article in raw HTML left in it, no secret."""
    said = _loose(said)
    weights: dict[tuple[int, int], float] = {}
    for f in figures:
        key = lexicon.unit_key(f.unit)
        weight = 3.0 if f.unit and (f.unit.isupper() or key in ("percent", "people")) else 2.0 if f.unit else 1.0
        home = sentence_at(article.sentences, f.span[0]) or f.quote_span
        weights[home] = weights.get(home, 0.0) + weight
    scored = []
    for rank, (start, end) in enumerate(article.sentences):
        if (start, end) not in weights:
            continue
        sentence = clean_line(article.text[start:end])
        if not sentence:
            continue
        weight = min(weights[(start, end)], 6.0) / (1.0 + 0.25 * rank)
        if sentence[:1] in _QUOTE_MARKS or len(sentence) > KEY_POINT_CAP:
            weight /= 2
        if said and SequenceMatcher(None, said, _loose(sentence), autojunk=False).ratio() >= 0.6:
            continue
        scored.append((weight, -rank, sentence))
    chosen = sorted(sorted(scored, reverse=True)[:n], key=lambda item: -item[1])
    return [sentence for *_, sentence in chosen]


def without_restatements(figures: list[Figure]) -> list[Figure]:
    """A fact said again (headline, then lede) listed once, at its first mention: same value and unit, what it
    counts in common, no place or period that tells them apart, in another sentence (a sentence that says '51%'
    twice says two facts). What the restatement adds ('more than five million copies worldwide' after 'sells five
    million copies') fills the first mention's empty place, period and source, marked as read from context.
    '14 operatives in Iraq' and '14 operatives in Syria' are two facts, and so are the ends of two ranges that meet
    ('$750,000 to $1 million …; $1 million to $1.25 million'): an end is said again only with its range."""
    ends: dict[int, tuple[float, ...]] = {}
    for f in figures:
        if f.range_id is not None:
            ends[f.range_id] = (*ends.get(f.range_id, ()), f.value)
    seen: dict[tuple[object, ...], list[int]] = {}
    kept: list[Figure] = []
    for f in figures:
        earlier = seen.setdefault((f.value, f.unit, ends.get(f.range_id or 0)), [])
        first = next((i for i in earlier if _restates(kept[i], f)), None)
        if first is None:
            earlier.append(len(kept))
            kept.append(f)
            continue
        added = {k: getattr(f, k) for k in _SCOPE if getattr(kept[first], k) is None and getattr(f, k)}
        if added:
            kept[first] = kept[first].model_copy(update={
                **added, "label_from": {**kept[first].label_from, **dict.fromkeys(added, "context")}})
    return kept


_SCOPE = ("where", "period", "source")


def _specific(value: float) -> bool:
    """A value of three significant digits or more ('337,000', '5.45'): two of them in one article, of one unit,
    are one fact however the sentences word it."""
    digits = f"{abs(value):.6g}".replace(".", "").strip("0")
    return len(digits) >= 3


def _restates(first: Figure, again: Figure) -> bool:
    """Another sentence says the same fact: what they count shares a word besides the unit ('hours' of 'two
    hours' is no common fact) or an event ('sells' = 'sold'), or one of them says nothing of it, or the value is
    too specific to be another fact's; and neither place nor period tells them apart."""
    said, words = fact_words(first.what), fact_words(again.what)
    unit = fact_words(first.unit)
    same = not said or not words or bool((said - unit) & (words - unit)) or bool(
        lexicon.events(first.what) & lexicon.events(again.what)) or _specific(first.value)
    if one_age(first.what, again.what) and first.quote_span != again.quote_span:
        return True  # one age, whatever place or date each sentence gives (two people of one age, unnamed, once)
    return first.quote_span != again.quote_span and same and all(
        getattr(first, k) is None or getattr(again, k) is None or getattr(first, k) == getattr(again, k)
        for k in ("where", "period"))


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

    def what(self, value: str | None, mention: NumberMention) -> str:
        """What is counted, without the number itself ('over 9,000 detainees' → 'detainees')."""
        what = self(value) or ""
        if what.lower().startswith(mention.raw.lower()):
            what = what[len(mention.raw):]
        return _LEADING_NUMBER.sub("", what.strip()).strip()


def _blank_to_none(value: str | None) -> str | None:
    if value is None or value.strip().lower() in ("", "null", "none", "n/a", "unknown"):
        return None
    return value.strip()


def _finished(text: str, cap: int, article: Article, *, sentences: bool) -> str:
    """Text the grammar cut at its cap, or a summary sentence left unfinished (an unescaped quote ends a JSON
    string: 'Tony Blair has promised that'): a sentence the model was copying from the article is completed from the
    article (verbatim, so checked like the rest); otherwise trimmed back to its last whole sentence, or a headline to
    its last clause or word. An unfinished summary that cannot be completed is dropped (the lede stands in)."""
    cut = len(text) >= cap - 1
    spans = sentence_spans(text)
    last = text[spans[-1][0]:] if spans else text
    words = last.split()
    dangling = sentences and bool(words) and words[-1].lower() in _DANGLING
    if not cut and not dangling:
        return text
    if (copied := _copied_sentence(last, article)) is not None:
        return text[: len(text) - len(last)] + copied
    if len(spans) > 1:
        return text[: spans[-2][1]]
    if sentences:
        return ""
    clause = text.rsplit(", ", 1)[0] if cut else text
    return clause if len(clause) >= 40 and clause != text else text.rsplit(" ", 1)[0].rstrip(",;:-–— ") + "…"


_DANGLING = {"that", "to", "the", "a", "an", "of", "and", "or", "with", "as", "for", "in", "on", "by", "from", "said",
             "says", "is", "are", "was", "were", "who", "which", "its", "their", "his", "her"}
"""A summary ending on one of these words was cut short (by an unescaped quote, which ends a JSON string)."""


def _copied_sentence(start: str, article: Article) -> str | None:
    """The article's sentence that ``start`` begins, read the way the model copies (case, quotes and spacing may
    differ; nine characters in ten the same), or None."""
    at = article.text.find(start) if len(start) >= 20 else -1
    if at >= 0:
        span = sentence_at(article.sentences, at) or (at, at + len(start))
        return article.text[at : span[1]]
    if len(start) < 30:
        return None
    key = _loose(start)
    for s, e in article.sentences:
        sentence = article.text[s:e]
        if SequenceMatcher(None, key, _loose(sentence[: len(start)]), autojunk=False).ratio() >= 0.9:
            return sentence
    return None


def _loose(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").replace("“", '"').replace("”", '"').split())


def checked_prose(draft: Draft, article: Article) -> tuple[str, str, list[str]]:
    """Headline and summary with every unverifiable number removed, letters of a script the article does not
    use removed, and warnings saying so. A headline dropped falls back to the article's first line, a summary
    left empty to its lede (its first full sentence), both verbatim. The model's prose is cleaned first
    (:func:`clean_line`: one line, no escape sequence, control, bidi override or tag, secrets masked), so the
    warnings that quote it quote it clean; the warnings are cleaned too."""
    warnings: list[str] = []

    def keep(kind: str, piece: str) -> bool:
        bad = article.claims.problems(piece)
        if bad:
            warnings.append(f"dropped {kind} with numbers the article does not support ({'; '.join(bad)}): {piece!r}")
        return not bad

    def clean(kind: str, piece: str, cap: int) -> str:
        finished = _finished(tidy(clean_line(piece)), cap, article, sentences=kind == "the summary")
        return _in_scripts(kind, finished, article, warnings)

    headline = clean("the headline", draft.headline, HEADLINE_CAP)
    if not headline or not keep("headline", headline):
        headline = clean_line(first_line(article)[:HEADLINE_CAP])
    summary_text = clean("the summary", draft.summary, SUMMARY_CAP)
    summary = " ".join(
        summary_text[s:e] for s, e in sentence_spans(summary_text) if keep("a summary sentence", summary_text[s:e])
    )
    return headline, summary or clean_line(lede(article)), [clean_line(w, markup=True) for w in warnings]


def lede(article: Article) -> str:
    """The article's first full sentence (eight words or more, after the headline line): its news, verbatim. A
    sentence that addresses an AI is never it: the fallback must not say what the guard left out."""
    excluded = _excluded(article.text)
    for start, end in article.sentences[1:]:
        if (start, end) in excluded:
            continue
        sentence = " ".join(article.text[start:end].split())
        if len(sentence.split()) >= 8 and sentence[-1:] in ".!?\"”":
            return sentence
    return ""


def first_line(article: Article) -> str:
    """The headline fallback: the article's first line that holds no sentence addressing an AI (a 'SYSTEM: …' or
    'Dear model, …' line on top is not the article's headline)."""
    excluded = _excluded(article.text)
    pos = 0
    for line in article.text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if line.strip() and not any(s < start + len(line) and start < e for s, e in excluded):
            return line
    return ""


def _excluded(text: str) -> frozenset[tuple[int, int]]:
    """The sentences of ``text`` the injection guard leaves out: the pipeline's ``excluded`` (the same function of
    the same text, remembered by it)."""
    return frozenset(instruction_spans(text))
