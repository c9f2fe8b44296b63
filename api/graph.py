"""/graph/neighbourhood: a bounded neighbourhood of one entity, for the web explorer's graph view.

The view never asks for the whole graph: at most ``limit`` nodes within one or
two hops, optionally only along some predicates and through some types, with
``truncated`` saying whether more were left out (the page's "more" control asks
again with a larger limit). Colours are those of the GEXF export.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kg.api.deps import check_text, get_settings, get_snapshot
from kg.api.errors import ApiError, error_responses
from kg.api.settings import HARD_MAX_TEXT_LENGTH, Settings
from kg.api.snapshot import Snapshot
from kg.graphview import OTHER_COLOR, TYPE_COLORS
from kg.types import EntityType, Predicate

router = APIRouter(tags=["graph"])

#: the most nodes one neighbourhood may hold
MAX_NODES = 500
DEFAULT_NODES = 60
#: the most relations one request looks at: bounds the time of a two-hop request around hubs
#: (on the million-triple graph a hub's 500 nearest neighbours hold ~50,000 relations)
VISIT_BUDGET = 20_000


class GraphNode(BaseModel):
    id: str = Field(description="entity key, as in /entities/{id}")
    name: str
    type: EntityType
    color: str = Field(description="the colour of the type in the GEXF export")
    degree: int = Field(description="relations in and out, in the whole graph")
    hop: int = Field(description="0 for the centre, 1 or 2 for neighbours")


class GraphEdge(BaseModel):
    id: str
    source: str
    target: str
    predicate: Predicate
    confidence: float | None = None


class Neighbourhood(BaseModel):
    center: str
    hops: int
    limit: int
    truncated: bool = Field(description="true when neighbours were left out to stay within limit")
    nodes: list[GraphNode]
    edges: list[GraphEdge]


def neighbourhood(
    snap: Snapshot,
    center: str,
    *,
    hops: int = 1,
    limit: int = DEFAULT_NODES,
    predicates: frozenset[str] | None = None,
    types: frozenset[str] | None = None,
) -> dict[str, Any]:
    """Breadth-first from ``center`` along relations in both directions, stopping at ``limit`` nodes.

    At most :data:`VISIT_BUDGET` relations are looked at; ``truncated`` says when either bound
    left something out. Returns the :class:`Neighbourhood` document as plain data: on a hub of
    the million-triple graph a model object per node and edge cost more than the search itself.
    """
    edges, entities = snap.edges, snap.entities
    hop_of: dict[str, int] = {center: 0}
    edge_positions: list[int] = []
    seen_edges: set[int] = set()
    truncated = False
    frontier = [center]
    budget = VISIT_BUDGET
    for hop in range(1, hops + 1):
        following: list[str] = []
        for key in frontier:
            for positions in (snap.outgoing.get(key, ()), snap.incoming.get(key, ())):
                if len(positions) > budget:
                    positions = positions[:budget]
                    truncated = True
                budget -= len(positions)
                for pos in positions:
                    if pos in seen_edges:
                        continue
                    edge = edges[pos]
                    if predicates is not None and edge.predicate not in predicates:
                        continue
                    other = edge.object if edge.subject == key else edge.subject
                    if other not in hop_of:
                        if types is not None and entities[other].type not in types:
                            continue
                        if len(hop_of) >= limit:
                            truncated = True
                            continue
                        hop_of[other] = hop
                        following.append(other)
                    seen_edges.add(pos)
                    edge_positions.append(pos)
        frontier = following
    nodes = []
    for key, hop in hop_of.items():
        e = entities[key]
        degree = len(snap.outgoing.get(key, ())) + len(snap.incoming.get(key, ()))
        nodes.append({"id": key, "name": e.name, "type": e.type, "color": TYPE_COLORS.get(e.type, OTHER_COLOR),
                      "degree": degree, "hop": hop})
    found = []
    for pos in edge_positions:
        edge = edges[pos]
        found.append({"id": f"e{pos}", "source": edge.subject, "target": edge.object, "predicate": edge.predicate,
                      "confidence": edge.confidence})
    return {"center": center, "hops": hops, "limit": limit, "truncated": truncated, "nodes": nodes, "edges": found}


@router.get("/graph/neighbourhood", response_model=Neighbourhood, responses=error_responses(400, 404))
def get_neighbourhood(
    snap: Annotated[Snapshot, Depends(get_snapshot)],
    settings: Annotated[Settings, Depends(get_settings)],
    id: Annotated[str, Query(max_length=HARD_MAX_TEXT_LENGTH, description="entity key, e.g. model/phi-4")],
    hops: Annotated[int, Query(ge=1, le=2, description="1 or 2")] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_NODES, description="most nodes returned, the centre included")] = DEFAULT_NODES,
    predicate: Annotated[list[Predicate] | None, Query(description="follow only these predicates")] = None,
    type: Annotated[list[EntityType] | None, Query(description="keep only neighbours of these types")] = None,
) -> Neighbourhood:
    """The entities within ``hops`` of one entity and the relations between them, at most ``limit`` nodes."""
    check_text("id", id, settings)
    if id not in snap.entities:
        raise ApiError(404, "unknown_entity", f"no entity with id '{id}' (search with /entities?q=NAME)")
    found = neighbourhood(
        snap, id, hops=hops, limit=limit,
        predicates=frozenset(predicate) if predicate else None,
        types=frozenset(type) if type else None,
    )
    return JSONResponse(found)  # type: ignore[return-value]  # the shape of Neighbourhood, without re-validation
