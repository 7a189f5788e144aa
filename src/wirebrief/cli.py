"""The command line: parse, call the pipeline, shape the output. No business logic here."""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from wirebrief import batch
from wirebrief.errors import WirebriefError
from wirebrief.evals.commands import eval_app
from wirebrief.redis_store import masked
from wirebrief.render import markdown
from wirebrief.schema import BriefRecord
from wirebrief.settings import Settings, get_settings

if TYPE_CHECKING:
    from wirebrief.cache import BriefCache
    from wirebrief.pipeline import Pipeline

app = typer.Typer(help="Verified briefs of news articles: every figure found in the text by code.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
cache_app = typer.Typer(help="Inspect or clear the brief cache.", no_args_is_help=True)
prompts_app = typer.Typer(help="List and show the prompt files.", no_args_is_help=True)
app.add_typer(cache_app, name="cache")
app.add_typer(prompts_app, name="prompts")
app.add_typer(eval_app, name="eval")
ROOT = Path(__file__).resolve().parents[2]

err = Console(stderr=True)
out = Console(soft_wrap=True)


class Format(StrEnum):
    jsonl = "jsonl"
    json = "json"
    md = "md"


def _fail(exc: WirebriefError, code: int = 2) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(exc.message)}")
    if exc.hint:
        err.print(f"[yellow]fix:[/] {escape(exc.hint)}")
    return typer.Exit(code)


def _pipeline(settings: Settings) -> Pipeline:
    from wirebrief.pipeline import build_pipeline

    return build_pipeline(settings)


@app.command()
def summarize(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (.txt/.md/.html, recursive), JSONL files of "
                                               "articles ({\"id\", \"text\"} a line) or - for stdin.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here; a .jsonl is resumed.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="jsonl records, one json array, or md.")] = Format.jsonl,
    concurrency: Annotated[int, typer.Option(min=1, max=32, help="Articles in flight at once (threads; for a model "
                                             "server backend, match its parallel slots).")] = 1,
    ray: Annotated[str | None, typer.Option("--ray", metavar="ADDRESS", help="Run on Ray Data: 'local' starts a "
                                            "local cluster of --workers CPUs; 'auto' or ray://HOST:PORT joins one.")
                   ] = None,
    workers: Annotated[int, typer.Option(min=1, max=1024, help="With --ray: actors, each with its own pipeline "
                                         "(and embedded model).")] = 2,
    batch_size: Annotated[int, typer.Option(min=1, max=1000, help="With --ray: articles per batch.")] = 4,
    prompt: Annotated[str | None, typer.Option(help="Prompt id (see `wirebrief prompts list`).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Recompute, then update the cache.")] = False,
    retry_failed: Annotated[bool, typer.Option(help="On resume, redo articles whose record is an error.")] = False,
    deadline: Annotated[float | None, typer.Option(min=1, help="Seconds; articles not started by then are left "
                                                   "for the next run (default: WIREBRIEF_BATCH_DEADLINE).")] = None,
) -> None:
    """Summarize articles into verified briefs.

    With -o out.jsonl the run is resumable: articles already in the file are skipped and new records are
    appended, so an interrupted run loses nothing and duplicates nothing. One run at a time may write a file.
    An article's id is its path under the folder given, without the suffix. Exit code 1 if any article failed.
    """
    settings = get_settings()
    with ExitStack() as stack:
        try:
            articles, warnings = batch.collect(paths)
            if output is not None:
                stack.enter_context(batch.OutputLock(output))
            done: dict[str, bool] = {}
            if output is not None and fmt is Format.jsonl:
                done = batch.existing_records(output, drop_failed=retry_failed)
            todo = [a for a in articles if a.id not in done]
            pipeline = _pipeline(settings) if todo and ray is None else None
        except WirebriefError as exc:
            raise _fail(exc) from None
        for warning in warnings:
            err.print(f"[yellow]warning:[/] {escape(warning)}")
        if done:
            err.print(f"resuming {output}: {len(articles) - len(todo)} done, {len(todo)} to go")
        seconds = deadline or settings.batch_deadline
        options: dict[str, Any] = {"read_cache": not (no_cache or refresh), "write_cache": not no_cache,
                                   "prompt_id": prompt,
                                   "deadline": None if seconds is None else time.monotonic() + seconds}
        if ray is not None:
            produce = _on_ray(settings, todo, ray, workers, batch_size, options)
        else:
            produce = partial(batch.run, pipeline, todo, concurrency=concurrency, **options)  # type: ignore[arg-type]
        try:
            records, made, failed = _run(produce, len(todo), output if fmt is Format.jsonl else None, fmt)
        except WirebriefError as exc:
            raise _fail(exc) from None
        failed += sum(1 for ok in done.values() if not ok)
        _emit(records, fmt, output)
    if made < len(todo):
        err.print(f"[yellow]deadline reached: {len(todo) - made} articles not started; run the same command "
                  "to continue[/]")
    if failed or made < len(todo):
        if failed:
            err.print(f"[red]{failed} of {len(articles)} articles failed[/]")
        raise typer.Exit(1)


def _on_ray(settings: Settings, todo: list[batch.Article], address: str, workers: int, batch_size: int,
            options: dict[str, Any]) -> Callable[..., Iterator[BriefRecord]]:
    """The records of ``todo`` made by Ray actors (imported here: Ray is an optional extra)."""
    from wirebrief.ray_batch import run_on_ray

    return partial(run_on_ray, settings, todo, address=address, workers=workers, batch_size=batch_size, **options)


def _run(produce: Callable[..., Iterator[BriefRecord]], total: int, jsonl: Path | None,
         fmt: Format) -> tuple[list[BriefRecord], int, int]:
    """Records kept for output (none when written to a .jsonl), how many were made, how many failed.
    ``produce(on_record=…)`` makes them: threads in this process, or Ray actors."""
    records: list[BriefRecord] = []
    writer = batch.JsonlWriter(jsonl) if jsonl is not None else None
    made = failed = 0
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), console=err, disable=total < 2)
    try:
        with progress:
            task = progress.add_task("summarizing", total=total)
            for record in produce(on_record=writer or records.append):  # no pipeline: nothing to do
                progress.advance(task)
                made += 1
                if record.error:
                    failed += 1
                    hint = f" [dim]({escape(record.error.hint)})[/]" if record.error.hint else ""
                    err.print(f"[red]✗ {escape(record.id)}:[/] {escape(record.error.message)}{hint}")
                elif writer is None and fmt is Format.jsonl:
                    out.print(record.model_dump_json(exclude_none=True), highlight=False)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted: every record written so far is kept; run the same command to resume[/]")
        raise typer.Exit(130) from None
    finally:
        if writer:
            writer.close()
    return records, made, failed


def _emit(records: list[BriefRecord], fmt: Format, output: Path | None) -> None:
    if fmt is Format.jsonl:
        return
    if fmt is Format.json:
        text = json.dumps([r.model_dump(mode="json", exclude_none=True) for r in records], indent=2,
                          ensure_ascii=False)
    else:
        text = "\n".join(markdown(r) for r in records)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        out.print(text, highlight=False, markup=False)


@app.command()
def doctor() -> None:
    """Show the backend, model and cache, and check that the model loads and answers."""
    settings = get_settings()
    table = Table(show_header=False)
    table.add_row("backend", settings.backend)
    where = settings.cache_dir if settings.cache_url is None else masked(settings.cache_url)
    table.add_row("cache", f"{where} ({'on' if settings.cache_enabled else 'off'})")
    table.add_row("prompt", settings.prompt_id)
    if settings.backend == "openai" and not _endpoint_ok(settings, table):
        out.print(table)
        raise typer.Exit(1)
    try:
        pipeline = _pipeline(settings)
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
        out.print(table)
        raise _fail(exc, 1) from None
    out.print(table)


def _endpoint_ok(settings: Settings, table: Table) -> bool:
    """The OpenAI-compatible endpoint's checks as rows, each failure with what to do."""
    from wirebrief.doctor import endpoint_checks

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


@app.command("serve-model")
def serve_model(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8080,
    parallel: Annotated[int, typer.Option(min=1, max=64, help="Requests decoded at once; they share "
                                          "WIREBRIEF_N_CTX, so each gets 1/N of the context.")] = 1,
    api_key: Annotated[str | None, typer.Option(envvar="WIREBRIEF_MODEL_SERVER_KEY",
                                                help="Require this bearer key.")] = None,
) -> None:
    """Serve the model (WIREBRIEF_MODEL_PATH or the packaged one) over an OpenAI-compatible HTTP API
    (llama.cpp's server), for several API workers and CLIs to share one model process."""
    import signal
    import threading

    from wirebrief.llm.model_server import start_model_server

    settings = get_settings()
    try:
        server = start_model_server(settings, host, port, parallel, api_key)
    except WirebriefError as exc:
        raise _fail(exc) from None
    except RuntimeError as exc:  # xllamacpp: the port is taken, the model does not load
        err.print(f"[bold red]error:[/] the model server did not start: {escape(str(exc))}")
        raise typer.Exit(2) from None
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):  # llama.cpp installed its own handlers: take them back
        signal.signal(sig, lambda *_: stop.set())
    err.print(f"serving {escape(server.alias)} at {server.base_url}\n"
              f"use it with: WIREBRIEF_BACKEND=openai WIREBRIEF_OPENAI_BASE_URL={server.base_url} "
              f"WIREBRIEF_OPENAI_MODEL={escape(server.alias)}", soft_wrap=True)
    stop.wait()
    err.print("stopping")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Processes; each loads its own model (~2 GB).")] = 1,
) -> None:
    """Serve the HTTP API (docs at /docs) with uvicorn."""
    import uvicorn

    from wirebrief.api import create_app

    try:  # a wrong setting is a clear error here, not a traceback from inside uvicorn
        app = create_app(get_settings())
    except WirebriefError as exc:
        raise _fail(exc) from None
    if workers == 1:
        uvicorn.run(app, host=host, port=port)
    else:
        uvicorn.run("wirebrief.api:create_app", factory=True, host=host, port=port, workers=workers)


def _cache() -> BriefCache:
    """The cache for the `cache` commands: strict, so a broken folder is an error, not a silent fallback."""
    from wirebrief.cache import open_cache

    return open_cache(get_settings(), strict=True)


@cache_app.command("stats")
def cache_stats() -> None:
    """Location, number of briefs, size, hits and misses."""
    try:
        out.print_json(data=_cache().stats())
    except WirebriefError as exc:
        raise _fail(exc) from None


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete every cached brief."""
    try:
        out.print(f"removed {_cache().clear()} entries")
    except WirebriefError as exc:
        raise _fail(exc) from None


@cache_app.command("explain")
def cache_explain(key: Annotated[str, typer.Argument(help="A cache key, its prefix, or a brief_id.")]) -> None:
    """What went into a cache key: backend, model, prompt, schema, parameters, text."""
    try:
        explained = _cache().explain(key)
    except WirebriefError as exc:
        raise _fail(exc) from None
    if explained is None:
        err.print(f"[red]no cached brief for {key!r}[/]")
        raise typer.Exit(1)
    out.print_json(data=explained)


@prompts_app.command("list")
def prompts_list() -> None:
    """Every prompt: id, version, hash, description."""
    from wirebrief.prompts import list_prompts

    table = Table("id", "version", "hash", "description")
    for p in list_prompts(get_settings().prompts_dir):
        table.add_row(p.id, p.version, p.hash, p.description)
    out.print(table)


@prompts_app.command("show")
def prompts_show(prompt_id: Annotated[str, typer.Argument(help="The prompt id.")]) -> None:
    """Print a prompt's file."""
    from wirebrief.prompts import load_prompt

    try:
        out.print(load_prompt(prompt_id, get_settings().prompts_dir).path.read_text(), markup=False,
                  highlight=False)
    except WirebriefError as exc:
        raise _fail(exc) from None


def main() -> None:
    # warnings from the library (a cache that cannot be used, a model that failed to load) on stderr, once each
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING, stream=sys.stderr)
    try:
        app()
    except WirebriefError as exc:  # a last net: a clear message, never a traceback
        err.print(f"[bold red]error:[/] {escape(str(exc))}")
        sys.exit(2)


if __name__ == "__main__":
    main()
