"""`kg` commands: ask (the question /ask and KnowledgeGraph.ask answer, from the same kg.lookup.answer)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from kg.cli._app import app
from kg.errors import AikgError, QuestionError

console = Console(stderr=True)


@app.command("ask")
def ask_command(
    out: Path = typer.Argument(..., help="Output folder of `kg build` (or a build folder)."),
    question: str = typer.Argument(..., help="A question such as 'what did DeepSeek release' or 'who funded Cohere'."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON body that GET /ask returns."),
) -> None:
    """Answer a plain-English question from a build, with the evidence of each answer."""
    from kg.api.schemas import ask_response
    from kg.api.snapshot import load_snapshot
    from kg.lookup import answer
    from kg.store import open_build

    try:
        result = answer(load_snapshot(open_build(out).ox), question)
    except QuestionError as exc:
        console.print(f"[red]error:[/red] {escape(exc.reason)}")
        console.print("questions understood, one example of each:")
        for shape in exc.shapes:
            console.print(f"  {escape(shape)}")
        raise typer.Exit(1) from None
    except AikgError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(ask_response(result).model_dump_json(indent=2))
        return
    from rich.table import Table

    parsed = result.parsed
    table = Table(
        title=f"{result.entity.name} ({result.entity.type}): {', '.join(parsed.predicates)}, "
        f"{'outgoing' if parsed.direction == 'out' else 'incoming'}",
        caption=f"{len(result.answers)} answer{'s' if len(result.answers) != 1 else ''}",
        caption_justify="left",
    )
    for column in ("answer", "type", "confidence", "evidence"):
        table.add_column(column, overflow="fold")
    for a in result.answers:
        best = a.evidence[0] if a.evidence else None
        evidence = f"{best.sentence} [{best.document.id}]" if best else ""
        confidence = "" if a.confidence is None else f"{a.confidence:.2f}"
        table.add_row(escape(a.entity.name), a.entity.type, confidence, escape(evidence))
    Console().print(table)
