"""`kg` commands: plot."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

from kg.cli._app import app
from kg.errors import AikgError, StoreError

if TYPE_CHECKING:
    import rdflib

console = Console(stderr=True)
out_console = Console()

#: Suffixes read as a graph file instead of a build folder.
GRAPH_SUFFIXES = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".rdf": "xml"}


def load_graph(source: Path) -> rdflib.Graph:
    """The graph of a build folder (``kg build --out``) or of one RDF file, in memory."""
    import rdflib

    if source.is_file():
        fmt = GRAPH_SUFFIXES.get(source.suffix.lower())
        if fmt is None:
            raise StoreError(f"{source}: not an RDF file; expected a build folder or a file ending in "
                             f"{', '.join(GRAPH_SUFFIXES)}")
        try:
            return rdflib.Graph().parse(source, format=fmt)
        except Exception as exc:  # rdflib raises many parser-specific types
            raise StoreError(f"{source}: cannot parse as {fmt}: {exc}") from None
    from kg.store import open_build

    graph = rdflib.Graph()
    for triple in open_build(source).graph:  # one pass; lookups are then in memory
        graph.add(triple)
    return graph


@app.command()
def plot(
    build: Path = typer.Argument(Path("out"), help="A build folder (kg build --out) or a Turtle file."),
    out: Path = typer.Option(Path("graph.png"), "--out", "-o", help="Image to write: .png or .svg."),
    types: list[str] = typer.Option([], "--type", "-t", help="Keep only these entity types (repeatable)."),
    predicates: list[str] = typer.Option([], "--predicate", "-p", help="Keep only these relations (repeatable)."),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0, help="Drop weaker relations."),
    comention: str = typer.Option("", "--comention", help="Add co-mention edges: 'section' or 'document'."),
    drop_isolates: bool = typer.Option(False, "--drop-isolates", help="Leave out entities without edges."),
    size_by: str = typer.Option("degree", "--size-by", help="Node size from 'degree' or 'mentions'."),
    labels: int = typer.Option(25, "--labels", min=0, help="Label this many of the largest nodes."),
    width: int = typer.Option(1600, "--width", min=50, help="Image width in pixels."),
    height: int = typer.Option(1200, "--height", min=50, help="Image height in pixels."),
    dpi: int = typer.Option(100, "--dpi", min=50, help="Dots per inch (text scale)."),
    title: str = typer.Option("", "--title", help="Title above the picture."),
) -> None:
    """Draw the entity graph as a PNG or SVG, coloured by entity type like the GEXF export."""
    from kg.graphview import to_networkx, view_options
    from kg.plot import PlotOptions, render

    try:
        view_opts = view_options(
            types=types or None, predicates=predicates or None, min_confidence=min_confidence,
            comention=comention or None, drop_isolates=drop_isolates, size_by=size_by,
        )
        plot_opts = PlotOptions(width=width, height=height, dpi=dpi, labels=labels, title=title or None)
        if out.suffix.lower() not in (".png", ".svg"):
            raise ValueError(f"--out {out}: expected a file name ending in .png or .svg")
        view = to_networkx(load_graph(build), view_opts)
        render(view, out, plot_opts)
    except (AikgError, ValueError, OSError) as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True, highlight=False)
        raise typer.Exit(2) from None
    out_console.print(f"wrote {escape(str(out))} ({view.number_of_nodes()} entities, {view.number_of_edges()} edges)",
                      soft_wrap=True, highlight=False)
