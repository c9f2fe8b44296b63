"""`kg` starts without the query, serve and plot machinery: each command imports what it needs when it runs."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.cli import query as query_cli

#: what the query, serve and plot commands need, and `import kg.cli` must not load
HEAVY = ("kg.sparql", "kg.store", "kg.lookup", "rdflib", "pyoxigraph", "fastapi", "uvicorn", "matplotlib", "networkx",
         "spacy", "pandas")


def test_importing_the_cli_loads_none_of_the_heavy_modules() -> None:
    probe = f"import sys, kg.cli; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_query_defaults_agree_with_kg_sparql() -> None:
    import kg.sparql

    assert query_cli.DEFAULT_TIMEOUT == kg.sparql.DEFAULT_TIMEOUT
    assert query_cli.DEFAULT_MAX_RESULTS == kg.sparql.DEFAULT_MAX_RESULTS


@pytest.mark.parametrize("command", ["query", "export", "push", "serve", "plot", "build", "validate", "ask", "entities", "relations"])
def test_help_of_every_command_still_works(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_query_help_shows_the_sparql_defaults() -> None:
    import kg.sparql

    result = CliRunner().invoke(app, ["query", "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert result.exit_code == 0, result.output
    assert f"default: {kg.sparql.DEFAULT_TIMEOUT}" in result.output
    assert f"default: {kg.sparql.DEFAULT_MAX_RESULTS}" in result.output
