"""/relations: relations filtered by subject, predicate and object, with evidence."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from kg.api.deps import check_text, get_settings, get_snapshot, page_bounds, resolve_name
from kg.api.errors import error_responses
from kg.api.schemas import EntityRef, RelationPage, entity_ref, relation_out
from kg.api.settings import HARD_MAX_OFFSET, HARD_MAX_PAGE_SIZE, HARD_MAX_TEXT_LENGTH, Settings
from kg.api.snapshot import Snapshot
from kg.lookup import find_relations
from kg.types import Predicate

router = APIRouter(tags=["relations"])

Snap = Annotated[Snapshot, Depends(get_snapshot)]
Conf = Annotated[Settings, Depends(get_settings)]
_NAME = "entity id or name (any case, aliases accepted)"


@router.get("/relations", response_model=RelationPage, responses=error_responses(400, 404))
def list_relations(
    snap: Snap,
    settings: Conf,
    subject: Annotated[str | None, Query(max_length=HARD_MAX_TEXT_LENGTH, description=_NAME)] = None,
    predicate: Annotated[Predicate | None, Query(description="one of the six relations")] = None,
    object: Annotated[str | None, Query(max_length=HARD_MAX_TEXT_LENGTH, description=_NAME)] = None,
    limit: Annotated[int | None, Query(ge=1, le=HARD_MAX_PAGE_SIZE)] = None,
    offset: Annotated[int, Query(ge=0, le=HARD_MAX_OFFSET)] = 0,
) -> RelationPage:
    """Relations matching every given filter, ordered by subject, predicate, object."""
    check_text("subject", subject, settings)
    check_text("object", object, settings)
    size, start = page_bounds(limit, offset, settings)
    resolved: dict[str, list[EntityRef]] = {}
    subjects = objects = None
    if subject:
        found = resolve_name(snap, subject, settings, param="subject")
        resolved["subject"] = [entity_ref(e) for e in found]
        subjects = {e.key for e in found}
    if object:
        found = resolve_name(snap, object, settings, param="object")
        resolved["object"] = [entity_ref(e) for e in found]
        objects = {e.key for e in found}
    matching = find_relations(snap, subjects=subjects, predicate=predicate, objects=objects)
    items = [relation_out(snap, edge) for edge in matching[start : start + size]]
    return RelationPage(resolved=resolved, predicate=predicate, total=len(matching), limit=size, offset=start, items=items)
