"""The lookups every front end answers with: entity search, one entity, relations, questions.

Pure functions over a :class:`kg.api.snapshot.Snapshot`, the in-memory view of a
build. The REST routers (``kg.api``), the ``kg ask`` command and the Python API
(:class:`kg.KnowledgeGraph`) all call them, so a question gets one answer
whichever way it is asked; a front end only shapes the records (JSON, a table,
a DataFrame) and turns :class:`~kg.errors.UnknownEntityError` and
:class:`~kg.errors.QuestionError` into its own kind of error.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from kg.api.snapshot import Edge, EntityInfo, EvidenceInfo, Snapshot
from kg.ask import ParseFailure, Question, parse_question
from kg.errors import QuestionError, UnknownEntityError
from kg.index import Hit, lookup, search, suggest
from kg.types import ENTITY_TYPES, PREDICATES, SIGNATURES

#: closest names offered when a name is unknown
DEFAULT_SUGGESTIONS = 3
#: fuzzy similarity (0-100) a name needs to be a search hit
DEFAULT_SEARCH_CUTOFF = 70.0


@dataclass(frozen=True, slots=True)
class AnswerInfo:
    """One answer to a question: the entity at the other end, and why."""

    entity: EntityInfo
    predicates: tuple[str, ...]
    confidence: float | None  # the best of the edges' confidences
    evidence: tuple[EvidenceInfo, ...]  # each supporting sentence once


@dataclass(frozen=True, slots=True)
class AskResult:
    """A question, how it was understood, and its answers (best supported first)."""

    question: str
    parsed: Question
    entity: EntityInfo
    answers: tuple[AnswerInfo, ...]


def check_type(type: str | None) -> None:
    """Raise a ValueError naming the valid types when ``type`` is not an entity type."""
    if type is not None and type not in ENTITY_TYPES:
        raise ValueError(f"unknown entity type {type!r}: expected one of {', '.join(ENTITY_TYPES)}")


def check_predicate(predicate: str | None) -> None:
    """Raise a ValueError naming the valid predicates when ``predicate`` is not one."""
    if predicate is not None and predicate not in PREDICATES:
        raise ValueError(f"unknown predicate {predicate!r}: expected one of {', '.join(PREDICATES)}")


def search_entities(
    snap: Snapshot, q: str | None, *, type: str | None = None, cutoff: float = DEFAULT_SEARCH_CUTOFF
) -> list[tuple[EntityInfo, Hit]]:
    """Entities whose name or alias resembles ``q``, best first (all entities by mentions when ``q`` is empty)."""
    check_type(type)
    return [(snap.entities[hit.key], hit) for hit in search(snap.index, q or "", type=type, cutoff=cutoff)]


def entity_by_id(snap: Snapshot, id: str, *, suggestions: int = DEFAULT_SUGGESTIONS) -> EntityInfo:
    """The entity with key ``id`` (``organization/deepseek``); the error names the closest keys."""
    entity = snap.entities.get(id)
    if entity is not None:
        return entity
    close = tuple(snap.entities[k].key for k in closest_keys(snap, id, suggestions))
    hint = f" — did you mean {' or '.join(close)}?" if close else " (search with /entities?q=NAME)"
    raise UnknownEntityError(f"no entity with id '{id}'{hint}", name=id, suggestions=close)


def resolve_name(
    snap: Snapshot,
    name: str,
    *,
    types: Collection[str] | None = None,
    param: str = "name",
    suggestions: int = DEFAULT_SUGGESTIONS,
) -> list[EntityInfo]:
    """The entities an id or name (case-, punctuation- and alias-blind) refers to, best first.

    Raises :class:`UnknownEntityError` naming the closest known names when nothing matches.
    """
    keys = lookup(snap.index, name)
    typed = [k for k in keys if types is None or snap.entities[k].type in types]
    if typed:
        return [snap.entities[k] for k in typed]
    close = tuple(suggest(snap.index, name, types=sorted(types) if types else None, limit=suggestions))
    if keys:
        found = ", ".join(f"{snap.entities[k].name} ({snap.entities[k].type})" for k in keys)
        message = f"{param}: '{name}' is {found}, not one of {', '.join(sorted(types or ()))}"
    else:
        message = f"no entity named '{name}'"
    if close:
        message += " — did you mean " + " or ".join(close) + "?"
    raise UnknownEntityError(message, name=name, suggestions=close)


def find_entity(snap: Snapshot, id_or_name: str, *, suggestions: int = DEFAULT_SUGGESTIONS) -> EntityInfo:
    """The entity with this key, else the best entity of this name or alias."""
    entity = snap.entities.get(id_or_name)
    return entity if entity is not None else resolve_name(snap, id_or_name, suggestions=suggestions)[0]


def find_relations(
    snap: Snapshot,
    *,
    subjects: Collection[str] | None = None,
    predicate: str | None = None,
    objects: Collection[str] | None = None,
    min_confidence: float = 0.0,
) -> list[Edge]:
    """The relations whose subject is one of ``subjects`` (entity keys), whose predicate is ``predicate`` and
    whose object is one of ``objects`` (``None``: any), ordered by subject, predicate and object names.

    ``min_confidence`` drops relations whose confidence is below it (a relation without evidence has none and
    is kept only at 0).
    """
    check_predicate(predicate)
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence={min_confidence!r}: expected a number in [0, 1]")
    if subjects is not None:
        positions = sorted(i for k in set(subjects) for i in snap.outgoing.get(k, ()))
    elif objects is not None:
        positions = sorted(i for k in set(objects) for i in snap.incoming.get(k, ()))
    elif predicate is not None:
        positions = list(snap.by_predicate.get(predicate, ()))
    else:
        positions = list(range(len(snap.edges)))
    wanted = None if objects is None else set(objects)
    edges = []
    for i in positions:
        edge = snap.edges[i]
        if predicate is not None and edge.predicate != predicate:
            continue
        if wanted is not None and edge.object not in wanted:
            continue
        if min_confidence > 0 and (edge.confidence is None or edge.confidence < min_confidence):
            continue
        edges.append(edge)
    return edges


def answer(snap: Snapshot, question: str, *, suggestions: int = DEFAULT_SUGGESTIONS) -> AskResult:
    """Answer a plain-English question (one of :func:`kg.ask.understood_shapes`) from the graph.

    Raises :class:`QuestionError` for a question of no known shape and :class:`UnknownEntityError`
    when the entity it names (of a type the relation allows) is not in the graph.
    """
    parsed = parse_question(question)
    if isinstance(parsed, ParseFailure):
        raise QuestionError(question, parsed.reason, parsed.shapes)
    side = 0 if parsed.direction == "out" else 1
    allowed = frozenset().union(*(SIGNATURES[p][side] for p in parsed.predicates))
    entity = resolve_name(snap, parsed.entity, types=allowed, param="q", suggestions=suggestions)[0]
    return AskResult(question, parsed, entity, _answers(snap, parsed, entity.key))


def _answers(snap: Snapshot, question: Question, key: str) -> tuple[AnswerInfo, ...]:
    """The entities at the other end of the asked edges, merged, best supported first."""
    outward = question.direction == "out"
    positions = snap.outgoing.get(key, ()) if outward else snap.incoming.get(key, ())
    grouped: dict[str, list[Edge]] = {}
    for i in positions:
        edge = snap.edges[i]
        if edge.predicate not in question.predicates:
            continue
        other = edge.object if outward else edge.subject
        if question.answer_type is not None and snap.entities[other].type != question.answer_type:
            continue
        grouped.setdefault(other, []).append(edge)
    answers = []
    for other, edges in grouped.items():
        evidence: list[EvidenceInfo] = []
        seen: set[tuple[str, int | None, str]] = set()
        for edge in edges:
            for ev in edge.evidence:
                mark = (ev.document.id, ev.start, ev.sentence)
                if mark not in seen:
                    seen.add(mark)
                    evidence.append(ev)
        scores = [e.confidence for e in edges if e.confidence is not None]
        answers.append(
            AnswerInfo(
                entity=snap.entities[other],
                predicates=tuple(sorted({e.predicate for e in edges})),
                confidence=max(scores) if scores else None,
                evidence=tuple(evidence),
            )
        )
    answers.sort(key=lambda a: (a.confidence is None, -(a.confidence or 0.0), a.entity.name.casefold()))
    return tuple(answers)


def closest_keys(snap: Snapshot, id: str, limit: int) -> list[str]:
    """Keys of the entities whose names are closest to the last segment of ``id``."""
    wanted_type = id.split("/", 1)[0].capitalize() if "/" in id else None
    tail = id.rsplit("/", 1)[-1].replace("-", " ")
    known = {e.type for e in snap.entities.values()}
    types = [wanted_type] if wanted_type is not None and wanted_type in known else None
    names = suggest(snap.index, tail, types=types, limit=limit) or suggest(snap.index, tail, limit=limit)
    keys: list[str] = []
    for name in names:
        for hit in search(snap.index, name, cutoff=100.0):
            if hit.tier == "exact" and hit.key not in keys and (types is None or snap.entities[hit.key].type in types):
                keys.append(hit.key)
    return keys[:limit]


__all__ = [
    "AnswerInfo", "AskResult", "DEFAULT_SEARCH_CUTOFF", "DEFAULT_SUGGESTIONS", "answer", "check_predicate",
    "check_type", "entity_by_id", "find_entity", "find_relations", "resolve_name", "search_entities",
]
