"""The typer application that every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="kg",
    help="Build, query and serve a knowledge graph of AI-industry newsletters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
