"""/ask: plain-English questions answered from the graph, with evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kg.api.deps import check_text, get_settings, get_snapshot, unknown_entity
from kg.api.errors import ApiError, error_responses
from kg.api.schemas import AskResponse, ask_response
from kg.api.settings import HARD_MAX_TEXT_LENGTH, Settings
from kg.api.snapshot import Snapshot
from kg.ask import understood_shapes
from kg.errors import QuestionError, UnknownEntityError
from kg.lookup import answer

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
    return answer_question(snap, settings, q)


def answer_question(snap: Snapshot, settings: Settings, q: str) -> AskResponse:
    """The /ask answer to ``q`` for callers outside the route (the web explorer's search box):
    the same lookup, with the same :class:`ApiError` a request would get."""
    try:
        return ask_response(answer(snap, q, suggestions=settings.suggestions))
    except QuestionError as exc:
        raise ApiError(422, "unparsed_question", exc.reason, shapes=list(exc.shapes)) from None
    except UnknownEntityError as exc:
        raise unknown_entity(exc) from None
