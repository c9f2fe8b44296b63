"""/ask: plain-English questions answered from the graph, with evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kg.api.deps import check_text, get_settings, get_snapshot, resolve_name
from kg.api.errors import ApiError, error_responses
from kg.api.schemas import Answer, AskResponse, EvidenceOut, Understood, entity_ref, evidence_out
from kg.api.settings import HARD_MAX_TEXT_LENGTH, Settings
from kg.api.snapshot import Edge, Snapshot
from kg.ask import ParseFailure, Question, parse_question, understood_shapes
from kg.types import SIGNATURES

router = APIRouter(tags=["ask"])

_DESCRIPTION = "a question such as: " + "; ".join(f"'{s}'" for s in understood_shapes())


@router.get("/ask", response_model=AskResponse, responses=error_responses(400, 404, 422))
def ask(
    snap: Annotated[Snapshot, Depends(get_snapshot)],
    settings: Annotated[Settings, Depends(get_settings)],
    q: Annotated[str, Query(min_length=1, max_length=HARD_MAX_TEXT_LENGTH, description=_DESCRIPTION)],
) -> AskResponse:
    """Answer a question of one of the understood shapes; say how it was understood."""
    check_text("q", q, settings)
    parsed = parse_question(q)
    if isinstance(parsed, ParseFailure):
        raise ApiError(422, "unparsed_question", parsed.reason, shapes=list(parsed.shapes))
    return answer_question(snap, settings, q, parsed)


def answer_question(snap: Snapshot, settings: Settings, q: str, parsed: Question) -> AskResponse:
    """The answers to a parsed question (a 404 :class:`ApiError` when its entity is unknown)."""
    side = 0 if parsed.direction == "out" else 1
    allowed = frozenset().union(*(SIGNATURES[p][side] for p in parsed.predicates))
    entity = resolve_name(snap, parsed.entity, settings, types=allowed, param="q")[0]
    answers = _answers(snap, parsed, entity.key)
    return AskResponse(
        question=q,
        understood=Understood(
            entity=entity_ref(entity),
            predicates=list(parsed.predicates),  # type: ignore[arg-type]
            direction=parsed.direction,
            answer_type=parsed.answer_type,  # type: ignore[arg-type]
            shape=parsed.shape,
        ),
        count=len(answers),
        answers=answers,
    )


def _answers(snap: Snapshot, question: Question, key: str) -> list[Answer]:
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
        evidence: list[EvidenceOut] = []
        seen: set[tuple[str, int | None, str]] = set()
        for edge in edges:
            for ev in edge.evidence:
                mark = (ev.document.id, ev.start, ev.sentence)
                if mark not in seen:
                    seen.add(mark)
                    evidence.append(evidence_out(ev))
        scores = [e.confidence for e in edges if e.confidence is not None]
        answers.append(
            Answer(
                entity=entity_ref(snap.entities[other]),
                predicates=sorted({e.predicate for e in edges}),  # type: ignore[arg-type]
                confidence=max(scores) if scores else None,
                evidence=evidence,
            )
        )
    answers.sort(key=lambda a: (a.confidence is None, -(a.confidence or 0.0), a.entity.name.casefold()))
    return answers
