"""`wirebrief doctor`: the backend, model and cache, and a check that the model answers."""

from __future__ import annotations

import time

import typer
from rich.markup import escape
from rich.table import Table

from wirebrief.cli import common
from wirebrief.errors import WirebriefError
from wirebrief.settings import Settings
from wirebrief.store.redis_store import masked


def doctor() -> None:
    """Show the backend, model and cache, and check that the model loads and answers."""
    settings = common.get_settings()
    table = Table(show_header=False)
    table.add_row("backend", settings.backend)
    where = settings.cache_dir if settings.cache_url is None else masked(settings.cache_url)
    table.add_row("cache", f"{where} ({'on' if settings.cache_enabled else 'off'})")
    table.add_row("prompt", settings.prompt_id)
    if settings.backend == "openai" and not _endpoint_ok(settings, table):
        common.out.print(table)
        raise typer.Exit(1)
    try:
        pipeline = common.pipeline(settings)
        ident = pipeline.backend.identity
        table.add_row("model", ident.model)
        table.add_row("fingerprint", ident.fingerprint)
        started = time.perf_counter()
        brief = pipeline.summarize("The council approved 12 new buses on Monday.", read_cache=False,
                                   write_cache=False)
        table.add_row("model check", f"ok: answered in {time.perf_counter() - started:.1f} s "
                                     f"({brief.meta.usage.total_tokens} tokens)")
        cache = pipeline.cache
        table.add_row("cache writable", "n/a" if cache is None else "yes" if cache.writable() else
                      f"no: {cache.problem or 'the probe write failed'}; briefs are made uncached")
    except WirebriefError as exc:
        common.out.print(table)
        raise common.fail(exc, 1) from None
    common.out.print(table)


def _endpoint_ok(settings: Settings, table: Table) -> bool:
    """The OpenAI-compatible endpoint's checks as rows, each failure with what to do."""
    from wirebrief.llm.doctor import endpoint_checks

    try:
        checks = endpoint_checks(settings)
    except WirebriefError as exc:
        table.add_row("endpoint", f"[red]{escape(exc.message)}[/]")
        table.add_row("[yellow]fix[/]", escape(exc.hint))
        return False
    for check in checks:
        table.add_row(check.name, escape(check.detail) if check.ok else f"[red]{escape(check.detail)}[/]")
        if not check.ok:
            table.add_row("[yellow]fix[/]", escape(check.fix))
    return all(check.ok for check in checks)
