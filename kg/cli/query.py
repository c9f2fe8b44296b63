"""`kg` commands: query, export, push."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from kg.cli._app import app
from kg.errors import AikgError
from kg.query_limits import DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from rich.table import Table

    from kg.sparql import QueryResult

console = Console(stderr=True)

#: --format of `kg query` -> media type, for solutions and for graphs
SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json"}


def _fail(exc: Exception, code: int = 1) -> typer.Exit:
    console.print(f"[red]error:[/red] {escape(str(exc))}")
    return typer.Exit(code)


def _read_query(sparql: str | None, file: Path | None) -> str:
    if (sparql is None) == (file is None):
        raise typer.BadParameter("give the query either as an argument or with --file, not both")
    if file is None:
        return sparql or ""
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"cannot read {file}: {exc}") from None


def _short(term: object) -> str:
    text = str(term)
    for prefix, iri in (
        ("aikg:", "https://w3id.org/aikg/ontology#"),
        ("id:", "https://w3id.org/aikg/id/"),
        ("doc:", "https://w3id.org/aikg/doc/"),
        ("ev:", "https://w3id.org/aikg/evidence/"),
    ):
        if text.startswith(iri):
            return prefix + text[len(iri):]
    return text


def render_table(result: QueryResult) -> Table:
    """A rich table of SELECT solutions (IRIs shortened with the aikg prefixes)."""
    from rich.table import Table

    table = Table(caption=f"{result.count} result{'s' if result.count != 1 else ''}", caption_justify="left")
    for var in result.variables:
        table.add_column(var, overflow="fold")
    for row in result.rows():
        table.add_row(*(escape(_short(row[v])) if v in row else "" for v in result.variables))
    return table


def _emit(data: bytes) -> None:
    sys.stdout.buffer.write(data)
    if data and not data.endswith(b"\n"):
        sys.stdout.buffer.write(b"\n")
    sys.stdout.flush()


@app.command("query")
def query_command(
    out: Path = typer.Argument(..., help="Output folder of `kg build` (or a build folder)."),
    sparql: str | None = typer.Argument(None, help="The SPARQL query (or use --file)."),
    file: Path | None = typer.Option(None, "--file", "-f", help="Read the query from this .rq file."),
    fmt: str = typer.Option(
        "table", "--format", help="table, or json|xml|csv|tsv (SELECT/ASK), turtle|ntriples|jsonld (CONSTRUCT/DESCRIBE)."
    ),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=0.1, help="Time limit in seconds."),
    max_results: int = typer.Option(DEFAULT_MAX_RESULTS, "--max-results", min=1, help="Result-size limit."),
) -> None:
    """Run a read-only SPARQL query on a build and print the results."""
    from kg.store import open_build

    text = _read_query(sparql, file)
    if fmt != "table" and fmt not in SOLUTION_FORMATS and fmt not in GRAPH_FORMATS:
        raise typer.BadParameter(f"unknown --format {fmt!r}; use table, {', '.join([*SOLUTION_FORMATS, *GRAPH_FORMATS])}")
    try:
        build = open_build(out)
        try:
            result = build.query(text, timeout=timeout, max_results=max_results)
        finally:
            build.close()
        graph = result.kind in ("CONSTRUCT", "DESCRIBE")
        if fmt == "table":
            if graph:
                _emit(result.serialize("text/turtle"))
            elif result.kind == "ASK":
                typer.echo("true" if result.boolean else "false")
            else:
                Console().print(render_table(result))
            return
        table = GRAPH_FORMATS if graph else SOLUTION_FORMATS
        if fmt not in table:
            raise typer.BadParameter(f"--format {fmt} does not fit a {result.kind} query; use one of {', '.join(table)}")
        _emit(result.serialize(table[fmt]))
    except AikgError as exc:
        raise _fail(exc) from None


@app.command("export")
def export_command(
    out: Path = typer.Argument(..., help="Output folder of `kg build` (or a build folder)."),
    fmt: str = typer.Option("turtle", "--format", help="turtle|trig|ntriples|nquads|jsonld|jsonl|csv|gexf|graphml."),
    target: Path | None = typer.Option(None, "--out", "-o", help="Write to this file (atomically) instead of stdout."),
    dynamic: bool = typer.Option(False, "--dynamic", help="gexf: per-issue spells for Gephi's timeline."),
    types: list[str] = typer.Option([], "--type", help="gexf/graphml: keep only this entity type (repeatable)."),
    predicates: list[str] = typer.Option([], "--predicate", help="gexf/graphml: keep only this predicate (repeatable)."),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0,
                                         help="gexf/graphml: drop relations below this confidence."),
    comention: str | None = typer.Option(None, "--comention", help="gexf/graphml: add co-mention edges: section|document."),
) -> None:
    """Export a build in another format."""
    from kg.exports import EXPORTERS, FORMATS
    from kg.store import open_build

    if fmt not in FORMATS:
        raise typer.BadParameter(f"unknown --format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt not in EXPORTERS:
        raise _fail(AikgError(f"the {fmt} exporter (kg.exports.{FORMATS[fmt][0]}) is not installed; available: {', '.join(EXPORTERS)}"))
    serialize, write = EXPORTERS[fmt]
    options: dict[str, Any] = {}
    if fmt in ("gexf", "graphml"):
        options = {"types": types or None, "predicates": predicates or None, "min_confidence": min_confidence,
                   "comention": comention}
        if fmt == "gexf":
            options["dynamic"] = dynamic
    elif dynamic or types or predicates or min_confidence or comention:
        raise typer.BadParameter("--dynamic, --type, --predicate, --min-confidence and --comention apply to gexf and graphml only")
    try:
        graph = open_build(out).graph
        if target is not None:
            write(graph, target, **options)
            console.print(f"wrote {target}")
            return
        data = serialize(graph, **options)
        _emit(data.encode("utf-8") if isinstance(data, str) else data)
    except ValueError as exc:  # a bad view option (type, predicate, comention)
        raise typer.BadParameter(str(exc)) from None
    except AikgError as exc:
        raise _fail(exc) from None


@app.command("push")
def push_command(
    out: Path = typer.Argument(..., help="Output folder of `kg build` (or a build folder)."),
    endpoint: str = typer.Option(..., "--endpoint", help="Graph Store Protocol URL, e.g. http://localhost:7878/store."),
    graph: str | None = typer.Option(None, "--graph", help="Named graph IRI (default: derived from the build id)."),
    timeout: float = typer.Option(300.0, "--timeout", min=1.0, help="HTTP timeout in seconds."),
) -> None:
    """Load a build into a SPARQL 1.1 Graph Store Protocol server (one named graph per build)."""
    from kg.push import push

    try:
        report = push(out, endpoint, graph=graph, timeout=timeout)
    except AikgError as exc:
        raise _fail(exc) from None
    console.print(f"pushed {report.triples} triples to <{report.graph}> at {report.endpoint} (HTTP {report.status})")
