"""The ``kg`` command line: one module per group of commands, all on one app."""

from __future__ import annotations

from kg.cli._app import app
from kg.cli import build as _build  # noqa: F401  (registers build, validate)
from kg.cli import query as _query  # noqa: F401  (registers query, export, push)
from kg.cli import serve as _serve  # noqa: F401  (registers serve)
from kg.cli import plot as _plot  # noqa: F401  (registers plot)

__all__ = ["app"]
