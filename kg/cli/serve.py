"""`kg` commands: serve."""

from __future__ import annotations

from kg.cli._app import app  # noqa: F401
