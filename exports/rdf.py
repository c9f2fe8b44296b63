"""RDF exports: Turtle, TriG, N-Triples, N-Quads and JSON-LD.

Serialization goes through pyoxigraph's streaming serializers, which are
fast on large graphs; a graph backed by the build's Oxigraph store (see
:mod:`kg.store`) is read straight from the store. Everything is in the default
graph, so TriG and N-Quads carry the triples without a graph name. Every
export parses back to an isomorphic graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from kg.ontology.namespace import PREFIXES
from rdflib import Graph

from kg.fsutil import atomic_write_bytes

#: export format name -> pyoxigraph format
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _quads(graph: Graph) -> Iterator[Any]:
    from kg.store import ox_store_of, to_ox

    inner = ox_store_of(graph)
    if inner is not None:
        yield from inner.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return

    default = ox.DefaultGraph()
    for s, p, o in graph:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), default)


def _triples(graph: Graph) -> Iterator[Any]:
    for q in _quads(graph):
        yield q.triple


def serialize_rdf(graph: Graph, fmt: str) -> bytes:
    """``graph`` in the export format ``fmt`` (a key of :data:`RDF_FORMATS`)."""
    rdf_format = RDF_FORMATS.get(fmt)
    if rdf_format is None:
        raise ValueError(f"unknown RDF export format {fmt!r}; expected one of {sorted(RDF_FORMATS)}")
    source = _quads(graph) if rdf_format.supports_datasets else _triples(graph)
    prefixes = None if fmt in ("ntriples", "nquads") else PREFIXES
    return ox.serialize(source, format=rdf_format, prefixes=prefixes) or b""


def write_rdf(graph: Graph, path: str | Path, fmt: str) -> Path:
    """Write :func:`serialize_rdf` to ``path`` atomically and return the path."""
    out = Path(path)
    atomic_write_bytes(out, serialize_rdf(graph, fmt))
    return out


def serialize_turtle(graph: Graph) -> bytes:
    return serialize_rdf(graph, "turtle")


def write_turtle(graph: Graph, path: str | Path) -> Path:
    return write_rdf(graph, path, "turtle")


def serialize_trig(graph: Graph) -> bytes:
    return serialize_rdf(graph, "trig")


def write_trig(graph: Graph, path: str | Path) -> Path:
    return write_rdf(graph, path, "trig")


def serialize_ntriples(graph: Graph) -> bytes:
    return serialize_rdf(graph, "ntriples")


def write_ntriples(graph: Graph, path: str | Path) -> Path:
    return write_rdf(graph, path, "ntriples")


def serialize_nquads(graph: Graph) -> bytes:
    return serialize_rdf(graph, "nquads")


def write_nquads(graph: Graph, path: str | Path) -> Path:
    return write_rdf(graph, path, "nquads")


def serialize_jsonld(graph: Graph) -> bytes:
    return serialize_rdf(graph, "jsonld")


def write_jsonld(graph: Graph, path: str | Path) -> Path:
    return write_rdf(graph, path, "jsonld")
