"""/graph/neighbourhood: a bounded neighbourhood of one entity, for the web explorer's graph view.

The view never asks for the whole graph: at most ``limit`` nodes within one or
two hops, optionally only along some predicates and through some types, with
``truncated`` saying whether more were left out (the page's "more" control asks
again with a larger limit). Colours are those of the GEXF export.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
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
) -> Neighbourhood:
    """Breadth-first from ``center`` along relations in both directions, stopping at ``limit`` nodes."""
    hop_of: dict[str, int] = {center: 0}
    edge_positions: list[int] = []
    seen_edges: set[int] = set()
    truncated = False
    frontier = [center]
    for hop in range(1, hops + 1):
        following: list[str] = []
        for key in frontier:
            for positions in (snap.outgoing.get(key, ()), snap.incoming.get(key, ())):
                for pos in positions:
                    edge = snap.edges[pos]
                    if predicates is not None and edge.predicate not in predicates:
                        continue
                    other = edge.object if edge.subject == key else edge.subject
                    if other not in hop_of:
                        if types is not None and snap.entities[other].type not in types:
                            continue
                        if len(hop_of) >= limit:
                            truncated = True
                            continue
                        hop_of[other] = hop
                        following.append(other)
                    if pos not in seen_edges:
                        seen_edges.add(pos)
                        edge_positions.append(pos)
        frontier = following
    nodes = []
    for key, hop in hop_of.items():
        e = snap.entities[key]
        degree = len(snap.outgoing.get(key, ())) + len(snap.incoming.get(key, ()))
        nodes.append(GraphNode(id=key, name=e.name, type=e.type, color=TYPE_COLORS.get(e.type, OTHER_COLOR),  # type: ignore[arg-type]
                               degree=degree, hop=hop))
    edges = []
    for pos in edge_positions:
        edge = snap.edges[pos]
        if edge.subject in hop_of and edge.object in hop_of:
            edges.append(GraphEdge(id=f"e{pos}", source=edge.subject, target=edge.object,
                                   predicate=edge.predicate, confidence=edge.confidence))  # type: ignore[arg-type]
    return Neighbourhood(center=center, hops=hops, limit=limit, truncated=truncated, nodes=nodes, edges=edges)


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
    return neighbourhood(
        snap, id, hops=hops, limit=limit,
        predicates=frozenset(predicate) if predicate else None,
        types=frozenset(type) if type else None,
    )
