"""/export/{format}: the graph in one of the export formats of kg.exports."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import StreamingResponse

from kg.api.deps import StoreLike, get_store
from kg.api.errors import ApiError, error_responses

router = APIRouter(tags=["export"])

#: media type and file extension per known format name (others: octet-stream)
MEDIA: dict[str, tuple[str, str]] = {
    "gexf": ("application/gexf+xml", "gexf"),
    "graphml": ("application/graphml+xml", "graphml"),
    "turtle": ("text/turtle", "ttl"),
    "ttl": ("text/turtle", "ttl"),
    "nt": ("application/n-triples", "nt"),
    "ntriples": ("application/n-triples", "nt"),
    "nquads": ("application/n-quads", "nq"),
    "trig": ("application/trig", "trig"),
    "jsonld": ("application/ld+json", "jsonld"),
    "json-ld": ("application/ld+json", "jsonld"),
    "rdfxml": ("application/rdf+xml", "rdf"),
    "xml": ("application/rdf+xml", "rdf"),
    "csv": ("text/csv", "csv"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "json": ("application/json", "json"),
    "cypher": ("text/plain", "cypher"),
}
FALLBACK_MEDIA = "application/octet-stream"
CHUNK = 64 * 1024

_lock = threading.Lock()


def exporters() -> dict[str, tuple[Callable[..., Any], Callable[..., Any]]]:
    """kg.exports.EXPORTERS, or nothing while the exporters are not installed."""
    try:
        from kg.exports import EXPORTERS
    except ImportError:
        return {}
    return dict(EXPORTERS)


def _chunks(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


def _content() -> dict[str, dict[str, Any]]:
    types = {media for media, _ in MEDIA.values()} | {FALLBACK_MEDIA}
    return {media: {"schema": {"type": "string", "format": "binary"}} for media in sorted(types)}


@router.get(
    "/export/{format}",
    response_class=StreamingResponse,
    responses={200: {"description": "the serialized graph", "content": _content()}, **error_responses(400, 404)},
)
def export(
    request: Request,
    store: Annotated[StoreLike, Depends(get_store)],
    format: Annotated[str, Path(max_length=40, description="an export format name, e.g. gexf")],
) -> StreamingResponse:
    """The whole graph in ``format`` (serialized once per process, then served from memory)."""
    table = exporters()
    if format not in table:
        valid = sorted(table)
        listed = ", ".join(valid) if valid else "none installed"
        raise ApiError(404, "unknown_format", f"no export format '{format}'; valid formats: {listed}", valid=valid)
    cache: dict[str, bytes] = request.app.state.export_cache
    with _lock:
        data = cache.get(format)
        if data is None:
            serialize = table[format][0]
            out = serialize(store.graph)
            data = out.encode("utf-8") if isinstance(out, str) else bytes(out)
            cache[format] = data
    media, ext = MEDIA.get(format, (FALLBACK_MEDIA, format))
    headers = {"Content-Disposition": f'attachment; filename="graph.{ext}"', "Content-Length": str(len(data))}
    return StreamingResponse(_chunks(data), media_type=media, headers=headers)
