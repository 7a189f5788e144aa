"""What every command shares: the consoles, the output formats, how an error is printed, how the pipeline and
the settings are made (tests replace ``pipeline`` and ``get_settings`` here)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import typer
from pydantic import ValidationError
from rich.console import Console, ConsoleRenderable, RenderHook
from rich.markup import escape
from rich.text import Text

from wirebrief import settings as config
from wirebrief.errors import ConfigError, WirebriefError
from wirebrief.settings import Settings
from wirebrief.text.redact import printable

if TYPE_CHECKING:
    from wirebrief.pipeline import Pipeline


class _Printable(RenderHook):
    """Every line of text a command prints has its control characters and bidi overrides shown as U+FFFD
    (:func:`~wirebrief.text.redact.printable`, same length, so styles stay): a file name or an id with ESC, BEL or
    an OSC sequence in it cannot clear or retitle the terminal."""

    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        for renderable in renderables:
            if isinstance(renderable, Text):
                renderable.plain = printable(renderable.plain)
        return renderables


err = Console(stderr=True)
out = Console(soft_wrap=True)
for _console in (err, out):
    _console.push_render_hook(_Printable())


class Format(StrEnum):
    jsonl = "jsonl"
    json = "json"
    md = "md"


def fail(exc: WirebriefError, code: int = 2) -> typer.Exit:
    """Print a wirebrief error (and its fix) on stderr, each one line (never wrapped mid-path); the Exit to raise."""
    err.print(f"[bold red]error:[/] {escape(exc.message)}", soft_wrap=True)
    if exc.hint:
        err.print(f"[yellow]fix:[/] {escape(exc.hint)}", soft_wrap=True)
    return typer.Exit(code)


def get_settings() -> Settings:
    """The process-wide settings; a wrong value in the environment is a one-line :class:`ConfigError` naming the
    variable (never its value: it may be a key), not a pydantic traceback."""
    try:
        return config.get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "WIREBRIEF_" + str(first["loc"][0]).upper() if first["loc"] else "a WIREBRIEF_ setting"
        raise ConfigError(f"{name} is invalid: {first['msg']}",
                          hint=f"fix or unset {name} in the environment or .env") from None


def pipeline(settings: Settings) -> Pipeline:
    from wirebrief.pipeline import build_pipeline

    return build_pipeline(settings)
