"""GraphML export (yEd, Cytoscape, igraph), built on networkx's writer.

Same graph as the GEXF export (:mod:`kg.graphview`): nodes are entities,
edges are relations (and optional co-mention edges), with the attribute names
of docs/GEPHI.md. GraphML has no viz or timeline elements, so the colour is a
``color`` attribute (``#RRGGBB``), the size a ``size`` attribute and the time
an ``issues`` string (plus ``first_issue``/``last_issue``); tuples are joined
into strings and ``None`` values are left out, because the writer accepts
only plain scalars.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Graph

from kg.fsutil import atomic_write_bytes
from kg.graphview import flat_attributes, to_networkx, view_options


def serialize_graphml(graph: Graph, **options: Any) -> bytes:
    """GraphML bytes of ``graph``; ``options`` are :class:`kg.graphview.ViewOptions` fields."""
    return generate_graphml(to_networkx(graph, view_options(**options)))


def write_graphml(graph: Graph, path: str | Path, **options: Any) -> Path:
    """Write :func:`serialize_graphml` to ``path`` and return it."""
    out = Path(path)
    atomic_write_bytes(out, serialize_graphml(graph, **options))
    return out


def generate_graphml(view: nx.MultiDiGraph) -> bytes:
    """GraphML bytes of a graph made by :func:`kg.graphview.to_networkx`."""
    buffer = io.BytesIO()
    nx.write_graphml_xml(graphml_ready(view), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def graphml_ready(view: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with scalar attribute values only, nodes and edges sorted."""
    ready = nx.MultiDiGraph(**flat_attributes(dict(view.graph)))
    for node in sorted(view):
        ready.add_node(node, **_without_spells(view.nodes[node]))
    for u, v, key, data in sorted(view.edges(keys=True, data=True), key=lambda e: str(e[2])):
        ready.add_edge(u, v, key=str(key), **_without_spells(data))
    return ready


def _without_spells(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in flat_attributes(data).items() if k != "spells"}
