"""/entities: ranked, fuzzy, alias-aware search, and one entity with its relations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from kg.api.deps import check_text, get_settings, get_snapshot, page_bounds, unknown_entity
from kg.api.errors import ApiError, error_responses
from kg.api.schemas import EntityDetail, EntityPage, document_ref, relation_out, search_hit
from kg.api.settings import HARD_MAX_OFFSET, HARD_MAX_PAGE_SIZE, HARD_MAX_TEXT_LENGTH, Settings
from kg.api.snapshot import Snapshot
from kg.errors import UnknownEntityError
from kg.lookup import entity_by_id, search_entities as find_entities
from kg.types import EntityType

router = APIRouter(tags=["entities"])

Snap = Annotated[Snapshot, Depends(get_snapshot)]
Conf = Annotated[Settings, Depends(get_settings)]


@router.get("/entities", response_model=EntityPage, responses=error_responses(400))
def search_entities(
    snap: Snap,
    settings: Conf,
    q: Annotated[
        str | None,
        Query(max_length=HARD_MAX_TEXT_LENGTH, description="name or alias, any case, typos tolerated; empty lists all"),
    ] = None,
    type: Annotated[EntityType | None, Query(description="keep only entities of this type")] = None,
    limit: Annotated[int | None, Query(ge=1, le=HARD_MAX_PAGE_SIZE)] = None,
    offset: Annotated[int, Query(ge=0, le=HARD_MAX_OFFSET)] = 0,
) -> EntityPage:
    """Search entities by name: exact names first, then aliases, prefixes, substrings, fuzzy matches."""
    check_text("q", q, settings)
    size, start = page_bounds(limit, offset, settings)
    hits = find_entities(snap, q, type=type, cutoff=settings.search_cutoff)
    items = [search_hit(e, hit) for e, hit in hits[start : start + size]]
    return EntityPage(q=q, type=type, total=len(hits), limit=size, offset=start, items=items)


@router.get("/entities/{id:path}", response_model=EntityDetail, responses=error_responses(400, 404))
def get_entity(
    snap: Snap,
    settings: Conf,
    id: Annotated[str, Path(max_length=HARD_MAX_TEXT_LENGTH, description="entity key, e.g. organization/deepseek")],
    relations: Annotated[int | None, Query(ge=1, description="relations listed per direction (default 100; "
                                           "outgoing_total and incoming_total count them all)")] = None,
) -> EntityDetail:
    """One entity: names, Wikidata link, documents, and its relations in and out with evidence.

    A hub of the graph can take part in thousands of relations: the first ``relations`` of each
    direction are listed (by subject, predicate, object names), with the totals; /relations
    pages through the rest."""
    check_text("id", id, settings)
    if relations is not None and relations > settings.max_entity_relations:
        raise ApiError(400, "bad_request", f"relations={relations} is too large; the maximum is "
                       f"{settings.max_entity_relations} per direction (page through /relations for more)")
    try:
        entity = entity_by_id(snap, id, suggestions=settings.suggestions)
    except UnknownEntityError as exc:
        raise unknown_entity(exc) from None
    cap = relations or settings.entity_relations
    out_edges = snap.outgoing.get(id, ())
    in_edges = snap.incoming.get(id, ())
    return EntityDetail(
        id=entity.key,
        iri=entity.iri,
        name=entity.name,
        type=entity.type,  # type: ignore[arg-type]
        aliases=list(entity.aliases),
        wikidata=entity.wikidata,
        mentions=entity.mentions,
        documents=[document_ref(d) for d in entity.documents],
        outgoing=[relation_out(snap, snap.edges[i]) for i in out_edges[:cap]],
        incoming=[relation_out(snap, snap.edges[i]) for i in in_edges[:cap]],
        outgoing_total=len(out_edges),
        incoming_total=len(in_edges),
    )
