"""`kg` commands: ask, entities, relations.

They answer from :mod:`kg.lookup`, the functions behind ``/ask``, ``/entities``
and ``/relations`` and the Python API, and print a table, or with ``--json``
what the REST API returns (``/ask``'s body; the ``items`` of ``/entities`` and
``/relations``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from kg.cli._app import app
from kg.errors import AikgError, QuestionError

if TYPE_CHECKING:
    from kg.api.snapshot import EvidenceInfo, Snapshot

console = Console(stderr=True)

_OUT = typer.Argument(..., help="Output folder of `kg build` (or a build folder).")


def _snapshot(out: Path) -> Snapshot:
    from kg.api.snapshot import load_snapshot
    from kg.store import open_build

    return load_snapshot(open_build(out).ox)


def _fail(message: str) -> typer.Exit:
    console.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(1)


def _evidence_text(evidence: tuple[EvidenceInfo, ...]) -> str:
    best = evidence[0] if evidence else None
    return escape(f"{best.sentence} [{best.document.id}]") if best else ""


def _confidence(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


@app.command("ask")
def ask_command(
    out: Path = _OUT,
    question: str = typer.Argument(..., help="A question such as 'what did DeepSeek release' or 'who funded Cohere'."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON body that GET /ask returns."),
) -> None:
    """Answer a plain-English question from a build, with the evidence of each answer."""
    from kg.api.schemas import ask_response
    from kg.lookup import answer

    try:
        result = answer(_snapshot(out), question)
    except QuestionError as exc:
        console.print(f"[red]error:[/red] {escape(exc.reason)}")
        console.print("questions understood, one example of each:")
        for shape in exc.shapes:
            console.print(f"  {escape(shape)}")
        raise typer.Exit(1) from None
    except AikgError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        _print_json(ask_response(result).model_dump(mode="json"))
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
        table.add_row(escape(a.entity.name), a.entity.type, _confidence(a.confidence), _evidence_text(a.evidence))
    Console().print(table)


@app.command("entities")
def entities_command(
    out: Path = _OUT,
    q: str | None = typer.Argument(None, help="A name or alias (any case, typos tolerated); none lists all."),
    type: str | None = typer.Option(None, "--type", help="Keep only this entity type, e.g. Organization or Model."),
    limit: int = typer.Option(20, "--limit", min=1, help="Show at most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print the items GET /entities returns."),
) -> None:
    """Search a build's entities by name, best match first (all of them by mentions without a name)."""
    from kg.api.schemas import search_hit
    from kg.lookup import search_entities

    try:
        hits = search_entities(_snapshot(out), q, type=type)[:limit]
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    except AikgError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        _print_json([search_hit(e, hit).model_dump(mode="json") for e, hit in hits])
        return
    from rich.table import Table

    table = Table(caption=f"{len(hits)} entit{'ies' if len(hits) != 1 else 'y'}", caption_justify="left")
    for column in ("id", "name", "type", "mentions", "match"):
        table.add_column(column, overflow="fold")
    for e, hit in hits:
        table.add_row(escape(e.key), escape(e.name), e.type, str(e.mentions), hit.tier)
    Console().print(table)


@app.command("relations")
def relations_command(
    out: Path = _OUT,
    subject: str | None = typer.Option(None, "--subject", help="Entity id or name."),
    predicate: str | None = typer.Option(None, "--predicate", help="released, funded, outperforms, worksFor, "
                                         "basedIn or authored."),
    object: str | None = typer.Option(None, "--object", help="Entity id or name."),
    min_confidence: float = typer.Option(0.0, "--min-confidence", min=0.0, max=1.0, help="Drop relations below this."),
    limit: int = typer.Option(50, "--limit", min=1, help="Show at most this many."),
    as_json: bool = typer.Option(False, "--json", help="Print the items GET /relations returns."),
) -> None:
    """List a build's relations matching every given filter, with their best evidence."""
    from kg.api.schemas import relation_out
    from kg.lookup import find_relations, resolve_name

    try:
        snap = _snapshot(out)
        subjects = {e.key for e in resolve_name(snap, subject, param="subject")} if subject else None
        objects = {e.key for e in resolve_name(snap, object, param="object")} if object else None
        edges = find_relations(snap, subjects=subjects, predicate=predicate, objects=objects,
                               min_confidence=min_confidence)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    except AikgError as exc:
        raise _fail(str(exc)) from None
    shown = edges[:limit]
    if as_json:
        _print_json([relation_out(snap, edge).model_dump(mode="json") for edge in shown])
        return
    from rich.table import Table

    table = Table(caption=f"{len(shown)} of {len(edges)} relation{'s' if len(edges) != 1 else ''}",
                  caption_justify="left")
    for column in ("subject", "predicate", "object", "confidence", "evidence"):
        table.add_column(column, overflow="fold")
    for edge in shown:
        table.add_row(escape(snap.entities[edge.subject].name), edge.predicate, escape(snap.entities[edge.object].name),
                      _confidence(edge.confidence), _evidence_text(edge.evidence))
    Console().print(table)
