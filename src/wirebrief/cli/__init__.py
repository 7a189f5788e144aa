"""The command line: parse, call the pipeline, shape the output. No business logic here.

One module per command group; what they share (consoles, formats, errors, the pipeline) is in ``common``.
"""

from __future__ import annotations

import logging
import sys

import typer
from rich.markup import escape

from wirebrief.cli.cache import cache_app
from wirebrief.cli.common import err
from wirebrief.cli.doctor import doctor
from wirebrief.cli.eval import eval_app
from wirebrief.cli.prompts import prompts_app
from wirebrief.cli.reconcile import reconcile_command
from wirebrief.cli.serve import serve, serve_model
from wirebrief.cli.summarize import summarize
from wirebrief.errors import WirebriefError

app = typer.Typer(help="Verified briefs of news articles: every figure found in the text by code.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
app.command()(summarize)
app.command()(doctor)
app.command("reconcile")(reconcile_command)
app.command("serve-model")(serve_model)
app.command()(serve)
app.add_typer(cache_app, name="cache")
app.add_typer(prompts_app, name="prompts")
app.add_typer(eval_app, name="eval")


def main() -> None:
    # warnings from the library (a cache that cannot be used, a model that failed to load) on stderr, once each
    logging.basicConfig(format="%(levelname)s: %(message)s", level=logging.WARNING, stream=sys.stderr)
    try:
        app()
    except WirebriefError as exc:  # a last net: a clear message, never a traceback
        err.print(f"[bold red]error:[/] {escape(str(exc))}", soft_wrap=True)  # one line, the fix included
        sys.exit(2)

