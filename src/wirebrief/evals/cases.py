"""Gold records: one hand-labelled file per article in evals/gold/ (see evals/README.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

Status = Literal["required", "optional", "ignore"]


class GoldFigure(BaseModel):
    raw: str = Field(description="As written in the article.")
    value: float
    unit: str | None
    what: str
    qualifier: str = "exact"
    where: str | None = None
    period: str | None = None
    source: str | None = None
    status: Status = Field(description="required: must be found; optional: fine either way; ignore: not a figure.")
    quote: str
    span: tuple[int, int]


class KeyFact(BaseModel):
    fact: str
    evidence: list[list[str]] = Field(description="All groups must appear; any string of a group will do.")


class GoldCase(BaseModel):
    id: str
    article: str = Field(description="Path of the article, relative to the project root.")
    notes: str = ""
    figures: list[GoldFigure]
    key_facts: list[KeyFact]

    def text(self, root: Path) -> str:
        return (root / self.article).read_text(encoding="utf-8")


def load_cases(directory: Path) -> list[GoldCase]:
    cases = [GoldCase.model_validate(json.loads(p.read_text())) for p in sorted(directory.glob("*.json"))]
    if not cases:
        raise FileNotFoundError(f"no gold records (*.json) in {directory}")
    return cases
