"""GEXF 1.2draft export for Gephi, built on networkx's writer.

``serialize_gexf(graph, **options)`` turns an aikg :class:`rdflib.Graph` into
GEXF bytes that open ready to explore: node colours by entity type and sizes
by degree or mentions (``viz:``), one directed edge per relation weighted by
its evidence, and, with ``dynamic=True``, per-issue spells and a declared
``timeformat`` for Gephi's timeline. Options are those of
:class:`kg.graphview.ViewOptions` plus ``dynamic``.

networkx's writer cannot take tuple or ``None`` attribute values, writes the
non-standard ``timeformat="long"``, leaves ``timeformat`` out when a dynamic
graph has no spell, stamps today's date (so two exports of one build differ)
and adds a ``networkx_key`` column to multigraphs. :func:`generate_gexf`
flattens the values first and repairs the XML tree before writing it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, SubElement

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from rdflib import Graph

from kg.fsutil import atomic_write_bytes
from kg.graphview import COMENTION_COLOR, flat_attributes, to_networkx, view_options

GEXF_VERSION = "1.2draft"
NS_GEXF = "http://www.gexf.net/1.2draft"
NS_VIZ = "http://www.gexf.net/1.2draft/viz"
#: GEXF 1.2draft time formats (networkx's writer says "long", which is not one).
TIMEFORMATS = {"integer": "integer", "date": "date"}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def serialize_gexf(graph: Graph, *, dynamic: bool = False, **options: Any) -> bytes:
    """GEXF bytes of ``graph``; ``options`` are :class:`kg.graphview.ViewOptions` fields."""
    return generate_gexf(to_networkx(graph, view_options(**options)), dynamic=dynamic)


def write_gexf(graph: Graph, path: str | Path, *, dynamic: bool = False, **options: Any) -> Path:
    """Write :func:`serialize_gexf` to ``path`` and return it."""
    out = Path(path)
    atomic_write_bytes(out, serialize_gexf(graph, dynamic=dynamic, **options))
    return out


def generate_gexf(view: nx.MultiDiGraph, *, dynamic: bool = False) -> bytes:
    """GEXF bytes of a graph made by :func:`kg.graphview.to_networkx`."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version=GEXF_VERSION)
    writer.add_graph(gexf_ready(view, dynamic=dynamic))
    _repair(writer.xml, view, dynamic=dynamic)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def gexf_ready(view: nx.MultiDiGraph, *, dynamic: bool) -> nx.MultiDiGraph:
    """A copy with writer-safe values, ``viz`` dicts and sorted nodes and edges."""
    keep = frozenset({"spells"}) if dynamic else frozenset()
    ready = nx.MultiDiGraph(name=str(view.graph.get("name", "aikg")), mode="dynamic" if dynamic else "static")
    for node in sorted(view):
        data = _safe(flat_attributes(view.nodes[node], keep=keep))
        color = data.pop("color", None)
        size = data.pop("size", None)
        viz: dict[str, Any] = {}
        if color:
            viz["color"] = _rgba(color)
        if size is not None:
            viz["size"] = float(size)
        if viz:
            data["viz"] = viz
        _spells_or_drop(data, dynamic)
        ready.add_node(node, **data)
    for u, v, key, edata in sorted(view.edges(keys=True, data=True), key=lambda e: str(e[2])):
        data = _safe(flat_attributes(edata, keep=keep))
        data["id"] = str(key)
        if data.get("kind") == "comention":
            data["viz"] = {"color": _rgba(COMENTION_COLOR, alpha=0.5)}
        elif "color" in view.nodes[u]:
            data["viz"] = {"color": _rgba(view.nodes[u]["color"])}
        _spells_or_drop(data, dynamic)
        ready.add_edge(u, v, key=str(key), **data)
    return ready


def _spells_or_drop(data: dict[str, Any], dynamic: bool) -> None:
    spells = data.pop("spells", None)
    if dynamic and spells:
        data["spells"] = [(start, end) for start, end in spells]


def _safe(data: dict[str, Any]) -> dict[str, Any]:
    """Strip characters that XML 1.0 cannot carry from string values."""
    return {k: _NOT_XML.sub("", v) if isinstance(v, str) else v for k, v in data.items()}


def _rgba(hex_color: str, *, alpha: float = 1.0) -> dict[str, Any]:
    value = hex_color.lstrip("#")
    if not re.fullmatch(r"[0-9a-fA-F]{6}", value):
        raise ValueError(f"colour {hex_color!r}: expected #RRGGBB")
    return {"r": int(value[0:2], 16), "g": int(value[2:4], 16), "b": int(value[4:6], 16), "a": alpha}


def _repair(root: Element, view: nx.MultiDiGraph, *, dynamic: bool) -> None:
    """Fix the tree networkx built: meta, timeformat, mode and the key column."""
    meta = root.find("meta")
    if meta is not None:
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"aikg (networkx {nx.__version__})"
        SubElement(meta, "description").text = (
            "aikg knowledge graph: entities and relations with evidence; "
            f"time from {view.graph.get('time_source', 'issue numbers')}"
        )
        built = str(view.graph.get("built_at", ""))[:10]
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", built):
            meta.set("lastmodifieddate", built)
        else:
            meta.attrib.pop("lastmodifieddate", None)
    graph = root.find("graph")
    if graph is None:
        raise ValueError("networkx wrote no <graph> element")
    if dynamic:
        graph.set("mode", "dynamic")
        graph.set("timeformat", TIMEFORMATS[str(view.graph.get("timeformat", "integer"))])
    else:
        graph.set("mode", "static")
        graph.attrib.pop("timeformat", None)
    _drop_key_column(graph)


def _drop_key_column(graph: Element) -> None:
    """Remove networkx's ``networkx_key`` edge attribute (edge ids are the keys)."""
    dropped: set[str] = set()
    for attributes in graph.findall("attributes"):
        if attributes.get("class") != "edge":
            continue
        for attribute in list(attributes):
            if attribute.get("title") == "networkx_key":
                dropped.add(attribute.get("id", ""))
                attributes.remove(attribute)
    if not dropped:
        return
    for edge in graph.iter("edge"):
        for attvalues in edge.findall("attvalues"):
            for value in list(attvalues):
                if value.get("for") in dropped:
                    attvalues.remove(value)
