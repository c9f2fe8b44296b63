"""/stats: what the build holds, and which build it is."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from kg.api.deps import StoreLike, get_snapshot, get_store
from kg.api.errors import error_responses
from kg.api.schemas import Stats
from kg.api.snapshot import Snapshot
from kg.types import ENTITY_TYPES, PREDICATES

router = APIRouter(tags=["stats"])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@router.get("/stats", response_model=Stats, responses=error_responses(400))
def stats(snap: Annotated[Snapshot, Depends(get_snapshot)], store: Annotated[StoreLike, Depends(get_store)]) -> Stats:
    """Counts by entity type and predicate, documents, build time and pipeline version."""
    manifest: dict[str, Any] = getattr(store, "manifest", None) or {}
    return Stats(
        entities=len(snap.entities),
        relations=len(snap.edges),
        evidence=snap.evidence_count,
        documents=len(snap.documents),
        triples=snap.triples,
        entities_by_type={t: snap.type_counts.get(t, 0) for t in ENTITY_TYPES},
        relations_by_predicate={p: len(snap.by_predicate.get(p, ())) for p in PREDICATES},
        built_at=_text(manifest.get("built_at")) or snap.build.built_at,
        pipeline_version=_text(manifest.get("pipeline_version")) or snap.build.pipeline_version,
        model_name=_text(manifest.get("model_name")) or snap.build.model_name,
        model_version=_text(manifest.get("model_version")) or snap.build.model_version,
    )
