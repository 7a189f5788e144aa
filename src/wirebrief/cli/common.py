"""What every command shares: the consoles, the output formats, how an error is printed, how the pipeline and
the settings are made (tests replace ``pipeline`` and ``get_settings`` here)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from wirebrief.errors import WirebriefError
from wirebrief.settings import Settings
from wirebrief.settings import get_settings as get_settings

if TYPE_CHECKING:
    from wirebrief.pipeline import Pipeline

err = Console(stderr=True)
out = Console(soft_wrap=True)


class Format(StrEnum):
    jsonl = "jsonl"
    json = "json"
    md = "md"


def fail(exc: WirebriefError, code: int = 2) -> typer.Exit:
    """Print a wirebrief error (and its fix) on stderr; the Exit to raise."""
    err.print(f"[bold red]error:[/] {escape(exc.message)}")
    if exc.hint:
        err.print(f"[yellow]fix:[/] {escape(exc.hint)}")
    return typer.Exit(code)


def pipeline(settings: Settings) -> Pipeline:
    from wirebrief.pipeline import build_pipeline

    return build_pipeline(settings)
