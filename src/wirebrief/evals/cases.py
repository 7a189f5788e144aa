"""Gold records: one hand-labelled file per article, in evals/gold/<set>/ (see evals/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

Status = Literal["required", "optional", "ignore"]


class GoldFigure(BaseModel):
    raw: str = Field(description="As written in the article, with its qualifier words.")
    value: float = Field(description="The value, scale applied ($5m → 5000000); a percent is its number (12% → 12).")
    unit: str | None = Field(description="Normalized: ISO currency, percent, a measure unit, or the counted noun.")
    what: str = Field(description="What is counted, with the event or measure word the sentence gives it.")
    qualifier: str = "exact"
    where: str | None = None
    period: str | None = None
    source: str | None = None
    status: Status = Field(description="required: must be found; optional: fine either way; ignore: not a figure.")
    quote: str = Field(description="The sentence, verbatim from the normalized text.")
    span: tuple[int, int] = Field(description="Offsets of raw in the normalized text.")


class KeyFact(BaseModel):
    fact: str
    evidence: list[list[str]] = Field(description="All groups must appear; any string of a group will do.")


class GoldCase(BaseModel):
    id: str
    article: str = Field(description="Path of the article, relative to the project root.")
    set: str = Field("seeds", description="The gold set (sub-folder of evals/gold): seeds, dev…")
    labelled_by: str = ""
    notes: str = ""
    figures: list[GoldFigure]
    key_facts: list[KeyFact]

    def text(self, root: Path) -> str:
        return (root / self.article).read_text(encoding="utf-8")


def load_cases(directory: Path, select: list[str] | None = None) -> list[GoldCase]:
    """Every gold record under ``directory`` (one sub-folder per set). ``select`` keeps the cases whose set or
    id is listed (``seeds``, ``dev``, ``bbc-tech-020``)."""
    cases = []
    for path in sorted(directory.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data.setdefault("set", path.parent.name if path.parent != directory else "seeds")
        cases.append(GoldCase.model_validate(data))
    if not cases:
        raise FileNotFoundError(f"no gold records (*.json) in {directory}")
    if select:
        wanted = set(select)
        cases = [c for c in cases if c.set in wanted or c.id in wanted]
        if not cases:
            raise FileNotFoundError(f"no gold record matches {', '.join(select)} in {directory}")
    return cases


def written_alone(raw: str) -> re.Pattern[str]:
    """Where ``raw`` is written as a number of its own: '7%' is not the end of '47%', nor '2' the end of '12'."""
    before = r"(?<![\w.,])" if raw[:1].isalnum() else ""
    after = r"(?![\d])" if raw[-1:].isdigit() else ""
    return re.compile(f"{before}{re.escape(raw)}{after}")


def place_spans(data: dict[str, Any], text: str) -> list[str]:
    """Fill each figure's missing ``span`` from its ``quote`` and ``raw`` (``nth``: which occurrence of raw in the
    quote, from 0) and check every figure against the normalized ``text``. Returns the problems found."""
    problems = []
    for i, f in enumerate(data.get("figures", [])):
        where = f"figure {i} ({f.get('raw')!r})"
        quote, raw = f.get("quote", ""), f.get("raw", "")
        at = text.find(quote) if quote else -1
        if at < 0:
            problems.append(f"{where}: quote not in the normalized text")
            continue
        if f.get("span") is None:
            nth = int(f.pop("nth", 0))
            found = [m.start() for m in written_alone(raw).finditer(quote)]
            pos = found[nth] if nth < len(found) else -1
            if pos < 0:
                problems.append(f"{where}: raw not in its quote")
                continue
            f["span"] = [at + pos, at + pos + len(raw)]
        f.pop("nth", None)
        start, end = f["span"]
        if text[start:end] != raw:
            problems.append(f"{where}: span {start}-{end} holds {text[start:end]!r}")
        elif f.get("status") != "ignore" and written_alone(raw).match(text, start) is None:
            problems.append(f"{where}: span {start}-{end} is inside a longer number {text[max(0, start - 3):end]!r}")
    for key in ("figures", "key_facts"):
        if key not in data:
            problems.append(f"no {key!r}")
    try:
        GoldCase.model_validate(data)
    except ValueError as exc:
        problems.append(str(exc))
    return problems
