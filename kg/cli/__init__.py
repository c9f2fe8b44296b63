"""The ``kg`` command line: one module per group of commands, all on one app."""

from __future__ import annotations

import sys

from kg.cli._app import app
from kg.cli import build as _build  # noqa: F401  (registers build, validate)
from kg.cli import query as _query  # noqa: F401  (registers query, export, push)
from kg.cli import serve as _serve  # noqa: F401  (registers serve)
from kg.cli import plot as _plot  # noqa: F401  (registers plot)
from kg.cli import lookup as _lookup  # noqa: F401  (registers ask, entities, relations)

__all__ = ["app", "main"]


def main() -> None:
    """The ``kg`` command (the ``app`` behind a look at the first word of its arguments)."""
    if sys.argv[1:2] == ["build"]:
        # a hint, not a parse: the build's worker starts importing spaCy while typer reads the options (~0.2 s);
        # the build kills it if its options make it useless (--jobs 1)
        from kg.build import prestart_worker

        prestart_worker()
    app()
