"""`wirebrief reconcile A B C …`: the same fact across articles, as a table (differences first) or JSON.

Thin: read the inputs, brief each article with the pipeline (cached), call ``figures.reconcile``, print.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from wirebrief.brief.schema import BriefRecord
from wirebrief.cli import common
from wirebrief.errors import WirebriefError
from wirebrief.figures.reconcile import Source, markdown, reconcile
from wirebrief.pipeline import Pipeline
from wirebrief.runs.batch import SUFFIXES
from wirebrief.settings import Settings


def reconcile_command(
    paths: Annotated[list[Path], typer.Argument(help="Article files, folders of them (.txt/.md/.html, recursive), "
                                                "or a JSONL of brief records (`wirebrief summarize -o`).")],
    fmt: Annotated[common.Format, typer.Option("--format", "-f", help="md table, json (one object), or jsonl "
                                               "(one group a line).")] = common.Format.md,
    singles: Annotated[bool, typer.Option(help="Also list figures only one article reports.")] = False,
    no_model: Annotated[bool, typer.Option("--no-model", help="Figures only: a scripted headline and summary "
                                           "instead of the model's (figures and checks come from code either "
                                           "way).")] = False,
) -> None:
    """Group the figures of several articles by fact: which ones every article agrees on, which differ (who
    says what, and when), which a later article revises."""
    settings = common.get_settings()
    try:
        pipeline = _pipeline(settings, no_model)
        sources = [source for path in paths for source in sources_of(path, pipeline)]
    except WirebriefError as exc:
        raise common.fail(exc) from None
    result = reconcile(sources)
    if fmt is common.Format.md:
        common.out.print(escape(markdown(result, singles=singles)), end="")
    elif fmt is common.Format.json:
        common.out.print_json(result.model_dump_json())
    else:  # jsonl: one group a line
        for group in result.groups:
            typer.echo(json.dumps(group.model_dump(), ensure_ascii=False))


def _pipeline(settings: Settings, no_model: bool) -> Pipeline:
    if not no_model:
        return common.pipeline(settings)
    from wirebrief.llm.fake import FakeBackend, brief_reply
    from wirebrief.pipeline import build_pipeline

    return build_pipeline(settings, backend=FakeBackend([brief_reply("(no model)", "(no model)")]))


def sources_of(path: Path, pipeline: Pipeline) -> list[Source]:
    """The articles a path holds: a file, a folder (recursive, sorted), or a JSONL of brief records."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        return [_brief(p, pipeline, p.relative_to(path).with_suffix("").as_posix()) for p in files]
    if path.suffix.lower() == ".jsonl":
        records = [BriefRecord.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines()
                   if line.strip()]
        return [Source(r.id, r.brief.figures) for r in records if r.brief is not None]
    return [_brief(path, pipeline, path.stem)]


def _brief(path: Path, pipeline: Pipeline, name: str) -> Source:
    data = path.read_bytes()
    job = pipeline.prepare(data, kind=SUFFIXES.get(path.suffix.lower()))
    return Source(name, pipeline.run(job).figures, job.doc.text)
