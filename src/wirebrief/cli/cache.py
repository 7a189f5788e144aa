"""`wirebrief cache stats | clear | explain`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from wirebrief.cli import common
from wirebrief.errors import WirebriefError

if TYPE_CHECKING:
    from wirebrief.store.cache import BriefCache

cache_app = typer.Typer(help="Inspect or clear the brief cache.", no_args_is_help=True)


def _cache() -> BriefCache:
    """The cache for the `cache` commands: strict, so a broken folder is an error, not a silent fallback."""
    from wirebrief.store.cache import open_cache

    return open_cache(common.get_settings(), strict=True)


@cache_app.command("stats")
def cache_stats() -> None:
    """Location, number of briefs, size, hits and misses."""
    try:
        common.out.print_json(data=_cache().stats())
    except WirebriefError as exc:
        raise common.fail(exc) from None


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached brief."""
    try:
        common.out.print(f"removed {_cache().clear()} entries")
    except WirebriefError as exc:
        raise common.fail(exc) from None


@cache_app.command("explain")
def cache_explain(key: Annotated[str, typer.Argument(help="A cache key, its prefix, or a brief_id.")]) -> None:
    """What went into a cache key: backend, model, prompt, schema, parameters, text."""
    try:
        explained = _cache().explain(key)
    except WirebriefError as exc:
        raise common.fail(exc) from None
    if explained is None:
        common.err.print(f"[red]no cached brief for {key!r}[/]")
        raise typer.Exit(1)
    common.out.print_json(data=explained)
