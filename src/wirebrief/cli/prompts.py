"""`wirebrief prompts list | show`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from wirebrief.cli import common
from wirebrief.errors import WirebriefError

prompts_app = typer.Typer(help="List and show the prompt files.", no_args_is_help=True)


@prompts_app.command("list")
def prompts_list() -> None:
    """Every prompt: id, version, hash, description."""
    from wirebrief.llm.prompts import list_prompts

    table = Table("id", "version", "hash", "description")
    for p in list_prompts(common.get_settings().prompts_dir):
        table.add_row(p.id, p.version, p.hash, p.description)
    common.out.print(table)


@prompts_app.command("show")
def prompts_show(prompt_id: Annotated[str, typer.Argument(help="The prompt id.")]) -> None:
    """Print a prompt's file."""
    from wirebrief.llm.prompts import load_prompt

    try:
        common.out.print(load_prompt(prompt_id, common.get_settings().prompts_dir).path.read_text(), markup=False,
                  highlight=False)
    except WirebriefError as exc:
        raise common.fail(exc) from None
