"""The same fact across articles: group the figures of several briefs that report one fact, and say whether the
articles agree, differ, or revise one another.

Two figures report the same fact when their sentences read the same (``facts``): the same event (killed =
eliminated, arrested = captured = detained), the same counted thing (operations = missions only when the two
give the same count), the same place scope, and, for counts over a period (operations, people killed), the same
period ('first half of 2024' = 'January to June 2024'). Counts at a time ('2,500 fighters remain') are compared
whatever the report's period, which is shown. Code decides values: 'about 2,500' agrees with 'an estimated 2,500';
a later article whose sentence says 'rose to' revises an earlier one rather than disagreeing with it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from wirebrief.brief.schema import Figure
from wirebrief.figures.facts import COUNT_SYNONYMS, REVISION_CUES, UNKNOWN, Period, Reading, read

Status = Literal["differs", "revised", "agreed", "single"]
_ORDER: dict[str, int] = {"differs": 0, "revised": 1, "agreed": 2, "single": 3}
_APPROX_TOLERANCE = 0.02
"""'about 2,500' and '2,480' agree: within 2% when either article says about."""
_MONTH = ("January|February|March|April|May|June|July|August|September|October|November|December")
_DATES = [re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}),?\s+((?:19|20)\d{{2}})\b"),
          re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\s+((?:19|20)\d{{2}})\b"),
          re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")]
_MONTHS = {m.lower(): i for i, m in enumerate(_MONTH.split("|"), 1)}


@dataclass(frozen=True)
class Source:
    """One article to reconcile: its id, its brief's figures and, when known, its text (for periods and date)."""

    id: str
    figures: Sequence[Figure]
    text: str | None = None
    date: str | None = None
    """ISO date of the article; read from its first lines when not given."""


class Member(BaseModel):
    """One article's figure in a group."""

    article: str = Field(description="The article's id.")
    figure: int = Field(description="Index of the figure in that article's brief.")
    value: float = Field(description="The figure's value.")
    raw: str = Field(description="The figure as the article writes it: 'an estimated 2,500'.")
    source: str | None = Field(default=None, description="Who the article says states it, if it says.")
    period: str | None = Field(default=None, description="The period its sentence (or the one before) gives: 'H1 "
                                                         "2024'.")
    date: str | None = Field(default=None, description="The article's date, when it carries one (ISO).")
    quote: str = Field(description="The article's sentence holding the figure, verbatim.")


class FactGroup(BaseModel):
    """Figures of different articles that report one fact."""

    fact: str = Field(description="What the figures count, as read: 'people killed', 'operations · Iraq'.")
    status: Status = Field(description="differs: the articles give other values; revised: a later article updates "
                                       "an earlier one ('rose to'); agreed: the same value within qualifiers; "
                                       "single: one article only.")
    members: list[Member] = Field(description="One entry per figure, in article order.")
    note: str = Field(default="", description="One line for an editor: the values and who says each.")


class Reconciliation(BaseModel):
    """Every figure of the articles, grouped by fact: differences first, then revisions, agreements, singles."""

    articles: list[str] = Field(description="The article ids, in the order given.")
    groups: list[FactGroup] = Field(description="Groups, differences first.")


def article_date(text: str | None) -> str | None:
    """The first date in an article's first 400 characters, ISO: 'April 6, 2024' → '2024-04-06'."""
    head = (text or "")[:400]
    found = [(m.start(), m, n) for n, pattern in enumerate(_DATES) if (m := pattern.search(head))]
    if not found:
        return None
    _, m, n = min(found, key=lambda item: item[0])
    if n == 0:
        month, day, year = _MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
    elif n == 1:
        day, month, year = int(m.group(1)), _MONTHS[m.group(2).lower()], int(m.group(3))
    else:
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass(frozen=True)
class _Item:
    article: int
    reading: Reading
    period: Period | None


def reconcile(sources: Sequence[Source]) -> Reconciliation:
    """Group the figures of ``sources`` by fact and judge each group."""
    items = [item for n, s in enumerate(sources) for item in _items(n, s)]
    dates = [s.date or article_date(s.text) for s in sources]
    groups = _cluster(items)
    judged = [_group(sources, dates, [items[i] for i in sorted(g)]) for g in groups]
    judged.sort(key=lambda g: (_ORDER[g.status], _first(sources, g)))
    return Reconciliation(articles=[s.id for s in sources], groups=judged)


def _first(sources: Sequence[Source], g: FactGroup) -> tuple[int, int]:
    ids = [s.id for s in sources]
    return ids.index(g.members[0].article), g.members[0].figure


def _items(n: int, source: Source) -> list[_Item]:
    readings = read(source.figures, source.text)
    known = Counter(r.period for r in readings if r.flow and r.period is not None and r.period is not UNKNOWN)
    usual = known.most_common(1)[0][0] if known else None
    return [_Item(n, r, r.period if r.period is not None else usual if r.flow else None) for r in readings]


def same_fact(a: _Item, b: _Item) -> bool:
    """Whether two figures of different articles report one fact (values aside, but for operations = missions)."""
    ra, rb = a.reading, b.reading
    if a.article == b.article or ra.flow != rb.flow or ra.unit is None or ra.unit != rb.unit:
        return False
    if (ra.event, ra.scope) != (rb.event, rb.scope):
        return False
    if ra.noun != rb.noun and (ra.noun in COUNT_SYNONYMS or rb.noun in COUNT_SYNONYMS):
        if ra.figure.value != rb.figure.value:
            return False  # 'operations' and 'missions' are one count only when the articles give the same number
    if ra.unit == "people" and _counted(ra) != _counted(rb):
        return False
    if ra.flow:
        return _periods_agree(a.period, b.period)
    return not (ra.own_period and rb.own_period) or _periods_agree(ra.period, rb.period)


def _counted(r: Reading) -> str | None:
    """Who a count of people counts: any generic noun (or none said) is one class for flows."""
    return (r.person_class or "member") if r.flow else r.noun


def _periods_agree(a: Period | None, b: Period | None) -> bool:
    if a is None or b is None or a is UNKNOWN or b is UNKNOWN:
        return True
    return a.agrees(b)


def _cluster(items: list[_Item]) -> list[set[int]]:
    """Components of the same-fact links; equal values link first, and a group never holds two values from one
    article."""
    pairs = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items)) if same_fact(items[i], items[j])]
    pairs.sort(key=lambda p: (items[p[0]].reading.figure.value != items[p[1]].reading.figure.value, p))
    group = {i: {i} for i in range(len(items))}
    for i, j in pairs:
        if group[i] is group[j]:
            continue
        merged = group[i] | group[j]
        values: dict[int, set[float]] = {}
        for k in merged:
            values.setdefault(items[k].article, set()).add(items[k].reading.figure.value)
        if any(len(v) > 1 for v in values.values()):
            continue
        for k in merged:
            group[k] = merged
    unique = {id(g): g for g in group.values()}
    return list(unique.values())


def _agree(a: Member, b: Member, approximate: bool) -> bool:
    if a.value == b.value:
        return True
    return approximate and abs(a.value - b.value) <= _APPROX_TOLERANCE * max(abs(a.value), abs(b.value))


def _group(sources: Sequence[Source], dates: list[str | None], items: list[_Item]) -> FactGroup:
    members = [Member(article=sources[it.article].id, figure=it.reading.index, value=it.reading.figure.value,
                      raw=it.reading.figure.raw, source=it.reading.figure.source,
                      period=str(it.period) if it.period is not None else None, date=dates[it.article],
                      quote=it.reading.figure.quote) for it in items]
    approximate = any(it.reading.figure.qualifier != "exact" for it in items)
    articles = {m.article for m in members}
    if len(articles) == 1:
        status: Status = "single"
    elif all(_agree(members[0], m, approximate) for m in members):
        status = "agreed"
    else:
        status = "revised" if _revised(members) else "differs"
    return FactGroup(fact=_fact(items[0].reading), status=status, members=members, note=_note(status, members))


def _revised(members: list[Member]) -> bool:
    """A later article's sentence says the figure moved ('rose to 1,150'); with dates, the cue must be the
    latest article's."""
    dates = {m.date for m in members}
    cued = [m for m in members if REVISION_CUES.search(m.quote)]
    if None in dates:
        return bool(cued) and len(dates) == 1
    latest = max(d for d in dates if d)
    return len(dates) > 1 and any(m.date == latest for m in cued)


_EVENT_NAMES = {"kill": "killed", "detain": "detained", "injure": "injured", "displace": "displaced"}


def _fact(r: Reading) -> str:
    generic = r.unit == "people" and (r.noun is None or (r.flow and r.person_class == "member"))
    counted = "people" if generic else _plural(r.noun or r.unit or "")
    event = _EVENT_NAMES.get(r.event or "", "" if r.event == r.noun else r.event or "")
    text = " ".join(w for w in (counted, event) if w) or "figure"
    return f"{text} · {r.scope}" if r.scope else text


def _plural(noun: str) -> str:
    return noun if not noun or noun.endswith("s") or noun.isupper() or noun == "people" else noun + "s"


def _note(status: Status, members: list[Member]) -> str:
    def one(m: Member) -> str:
        said = f", {m.source}" if m.source else ""
        when = f", {m.period}" if m.period else ""
        return f"{m.raw} ({m.article}{said}{when})"

    if status == "single":
        return f"only {members[0].article}"
    if status == "agreed":
        return f"{len({m.article for m in members})} articles agree: " + "; ".join(one(m) for m in members)
    verb = "revised" if status == "revised" else "differ"
    return f"{verb}: " + " vs ".join(one(m) for m in sorted(members, key=lambda m: (m.date or "", m.article)))


def markdown(result: Reconciliation, *, singles: bool = True) -> str:
    """A table an editor reads top to bottom: differences, revisions, agreements (then singles, if asked)."""
    lines = ["| status | fact | values (article, source, period) |", "|---|---|---|"]
    for g in result.groups:
        if g.status == "single" and not singles:
            continue
        cells = [g.status, g.fact, g.note.split(": ", 1)[-1] if g.status != "single" else
                 f"{g.members[0].raw} ({g.members[0].article})"]
        lines.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
