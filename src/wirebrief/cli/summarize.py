"""`wirebrief summarize`: files, folders, JSONL or stdin into briefs; resumable JSONL output."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from wirebrief.brief.render import markdown
from wirebrief.brief.schema import BriefRecord
from wirebrief.cli import common
from wirebrief.cli.common import Format
from wirebrief.errors import OutputNotOurs, WirebriefError
from wirebrief.runs import batch
from wirebrief.runs import output as output_file
from wirebrief.settings import Settings


def summarize(
    paths: Annotated[list[str], typer.Argument(help="Files, directories (.txt/.md/.html, recursive), JSONL files of "
                                               "articles ({\"id\", \"text\"} a line) or - for stdin.")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here; a .jsonl is resumed. A file "
                                                "that is not wirebrief's output is refused.")] = None,
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
    force: Annotated[bool, typer.Option("--force", help="Replace an existing -o file even if it is not wirebrief's "
                                        "output (a .jsonl then starts afresh).")] = False,
    deadline: Annotated[float | None, typer.Option(min=1, help="Seconds; articles not started by then are left "
                                                   "for the next run (default: WIREBRIEF_BATCH_DEADLINE).")] = None,
) -> None:
    """Summarize articles into verified briefs.

    With -o out.jsonl the run is resumable: articles already in the file are skipped and new records are
    appended, so an interrupted run loses nothing and duplicates nothing. One run at a time may write a file.
    An existing file that is not wirebrief's output (an article, notes, a line it did not write) is left as it
    was and the run refused, unless --force.
    An article's id is its path under the folder given, without the suffix. Exit code 1 if any article failed.
    """
    settings = common.get_settings()
    with ExitStack() as stack:
        try:
            articles, warnings = batch.collect(paths)
            done = _open_output(stack, output, fmt, articles, retry_failed=retry_failed, force=force)
            todo = [a for a in articles if a.id not in done]
            pipeline = common.pipeline(settings) if todo and ray is None else None
        except WirebriefError as exc:
            raise common.fail(exc) from None
        for warning in warnings:
            common.err.print(f"[yellow]warning:[/] {escape(warning)}")
        if done:
            common.err.print(f"resuming {output}: {len(articles) - len(todo)} done, {len(todo)} to go")
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
            raise common.fail(exc) from None
        failed += sum(1 for ok in done.values() if not ok)
        try:
            _emit(records, fmt, output)
        except WirebriefError as exc:
            raise common.fail(exc) from None
    if made < len(todo):
        common.err.print(f"[yellow]deadline reached: {len(todo) - made} articles not started; run the same command "
                  "to continue[/]")
    if failed or made < len(todo):
        if failed:
            common.err.print(f"[red]{failed} of {len(articles)} articles failed[/]")
        raise typer.Exit(1)


def _open_output(stack: ExitStack, output: Path | None, fmt: Format, articles: list[batch.Article], *,
                 retry_failed: bool, force: bool) -> dict[str, bool]:
    """Lock ``output`` for this run and check it may be written; the ids already in it (a .jsonl resumed)."""
    if output is None:
        return {}
    lock = stack.enter_context(output_file.OutputLock(output))
    same = lock.same_file(a.path for a in articles if a.path is not None)
    if same is not None:
        raise OutputNotOurs(f"{output} is also an input ({same}), so it is left as it was",
                            hint="give -o another file name")
    if fmt is Format.jsonl:
        return output_file.existing_records(output, drop_failed=retry_failed, lock=lock, force=force)
    output_file.check_replaceable(output, fmt.value, force=force)
    return {}


def _on_ray(settings: Settings, todo: list[batch.Article], address: str, workers: int, batch_size: int,
            options: dict[str, Any]) -> Callable[..., Iterator[BriefRecord]]:
    """The records of ``todo`` made by Ray actors (imported here: Ray is an optional extra)."""
    from wirebrief.runs.ray_batch import run_on_ray

    return partial(run_on_ray, settings, todo, address=address, workers=workers, batch_size=batch_size, **options)


def _run(produce: Callable[..., Iterator[BriefRecord]], total: int, jsonl: Path | None,
         fmt: Format) -> tuple[list[BriefRecord], int, int]:
    """Records kept for output (none when written to a .jsonl), how many were made, how many failed.
    ``produce(on_record=…)`` makes them: threads in this process, or Ray actors."""
    records: list[BriefRecord] = []
    writer = output_file.JsonlWriter(jsonl) if jsonl is not None else None
    made = failed = 0
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeRemainingColumn(), console=common.err, disable=total < 2)
    try:
        with progress:
            task = progress.add_task("summarizing", total=total)
            for record in produce(on_record=writer or records.append):  # no pipeline: nothing to do
                progress.advance(task)
                made += 1
                if record.error:
                    failed += 1
                    hint = f" [dim]({escape(record.error.hint)})[/]" if record.error.hint else ""
                    common.err.print(f"[red]✗ {escape(record.id)}:[/] {escape(record.error.message)}{hint}")
                elif writer is None and fmt is Format.jsonl:
                    common.out.print(record.model_dump_json(exclude_none=True), highlight=False)
    except KeyboardInterrupt:
        common.err.print("[yellow]interrupted: every record written so far is kept; run the same command to resume[/]")
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
        output_file.write_whole(output, text + "\n")
    else:
        common.out.print(text, highlight=False, markup=False)
