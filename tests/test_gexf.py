"""kg.exports.gexf and kg.exports.graphml: round trips, namespaces, spells."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from kg.exports.gexf import NS_GEXF, NS_VIZ, generate_gexf, serialize_gexf, write_gexf
from kg.exports.graphml import serialize_graphml, write_graphml
from kg.graphview import TYPE_COLORS, flat_attributes, to_networkx, view_options
from kg.ontology.namespace import AIKG

DATA = Path(__file__).parent / "data" / "graphview" / "small.ttl"
G = f"{{{NS_GEXF}}}"
VIZ = f"{{{NS_VIZ}}}"


@pytest.fixture(scope="module")
def rdf() -> Graph:
    return Graph().parse(DATA)


@pytest.fixture(scope="module")
def undated(rdf: Graph) -> Graph:
    g = Graph()
    for t in rdf:
        g.add(t)
    g.remove((None, DCTERMS.date, None))
    return g


def read(data: bytes) -> nx.Graph:
    return nx.read_gexf(io.BytesIO(data))


def hex_of(color: dict[str, Any]) -> str:
    return "#{:02X}{:02X}{:02X}".format(color["r"], color["g"], color["b"])


def test_static_export_round_trips_every_attribute(rdf: Graph) -> None:
    view = to_networkx(rdf, view_options(comention="section"))
    back = read(serialize_gexf(rdf, comention="section"))
    assert set(back) == set(view)
    for node, data in view.nodes(data=True):
        expected = flat_attributes(data)
        expected.pop("spells")
        color, size = expected.pop("color"), expected.pop("size")
        got = dict(back.nodes[node])
        viz = got.pop("viz")
        assert got == expected
        assert hex_of(viz["color"]) == color == TYPE_COLORS[data["type"]]
        assert viz["size"] == pytest.approx(size)
    assert back.number_of_edges() == view.number_of_edges()
    by_id = {d["id"]: d for _, _, d in back.edges(data=True)}
    for u, v, key, data in view.edges(keys=True, data=True):
        expected = flat_attributes(data)
        expected.pop("spells")
        got = dict(by_id[key])
        assert got.pop("id") == key
        assert got == expected
    assert by_id["organization/acme-labs|released|model/widget-7"]["weight"] == 2.0


def test_lists_and_none_become_strings_or_absent(rdf: Graph) -> None:
    back = read(serialize_gexf(rdf))
    assert back.nodes["organization/acme-labs"]["aliases"] == "ACME; Acme"
    assert back.nodes["organization/acme-labs"]["issues"] == "101; 102; 104"
    assert "wikidata" not in back.nodes["model/widget-6"]


def test_declares_gexf_and_viz_namespaces_and_version(rdf: Graph) -> None:
    data = serialize_gexf(rdf)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(data)
    assert root.tag == f"{G}gexf"
    assert root.get("version") == "1.2"
    assert f'xmlns="{NS_GEXF}"'.encode() in data
    assert f'xmlns:viz="{NS_VIZ}"'.encode() in data
    node = root.find(f"{G}graph/{G}nodes/{G}node")
    assert node is not None and node.find(f"{VIZ}color") is not None and node.find(f"{VIZ}size") is not None
    graph = root.find(f"{G}graph")
    assert graph is not None and graph.get("defaultedgetype") == "directed"


def test_static_export_has_no_time(rdf: Graph) -> None:
    root = ET.fromstring(serialize_gexf(rdf))
    graph = root.find(f"{G}graph")
    assert graph is not None and graph.get("mode") == "static" and graph.get("timeformat") is None
    assert not list(root.iter(f"{G}spell"))


def test_no_networkx_key_column_and_stable_output(rdf: Graph) -> None:
    data = serialize_gexf(rdf, dynamic=True)
    assert b"networkx_key" not in data
    assert data == serialize_gexf(rdf, dynamic=True)  # no export-day stamp


def check_spells(data: bytes, timeformat: str) -> ET.Element:
    root = ET.fromstring(data)
    graph = root.find(f"{G}graph")
    assert graph is not None
    assert graph.get("mode") == "dynamic"
    assert graph.get("timeformat") == timeformat
    cast = int if timeformat == "integer" else str
    for kind in ("node", "edge"):
        for element in root.iter(f"{G}{kind}"):
            spells = element.findall(f"{G}spells/{G}spell")
            assert spells, f"{kind} {element.get('id')} has no spell"
            for spell in spells:
                assert cast(spell.get("start")) <= cast(spell.get("end"))
    return root


def test_dynamic_export_with_issue_numbers(undated: Graph) -> None:
    data = serialize_gexf(undated, dynamic=True, comention="section")
    check_spells(data, "integer")
    back = read(data)
    assert back.graph["mode"] == "dynamic"
    assert back.nodes["model/widget-7"]["spells"] == [(101, 101), (104, 104)]
    assert back.nodes["organization/acme-labs"]["spells"] == [(101, 104)]


def test_dynamic_export_with_dates(rdf: Graph) -> None:
    data = serialize_gexf(rdf, dynamic=True)
    check_spells(data, "date")
    assert read(data).nodes["model/widget-6"]["spells"] == [("2031-03-02", "2031-03-02")]


def test_dynamic_empty_graph_still_declares_timeformat() -> None:
    view = nx.MultiDiGraph(timeformat="integer")
    graph = ET.fromstring(generate_gexf(view, dynamic=True)).find(f"{G}graph")
    assert graph is not None and graph.get("timeformat") == "integer" and graph.get("mode") == "dynamic"


def test_filters_reach_the_file(rdf: Graph) -> None:
    back = read(serialize_gexf(rdf, types=["Organization", "Model"], min_confidence=0.5))
    assert {d["type"] for _, d in back.nodes(data=True)} == {"Organization", "Model"}
    assert {d["predicate"] for _, _, d in back.edges(data=True)} == {"released"}


def test_control_characters_are_removed(rdf: Graph) -> None:
    g = Graph()
    for t in rdf:
        g.add(t)
    ev = next(g.subjects(AIKG.confidence, None))
    g.set((ev, AIKG.sentence, Literal("bad\x0bchar and \x01 more")))
    read(serialize_gexf(g))  # parses: no character XML 1.0 forbids


def test_write_gexf_and_graphml(tmp_path: Path, rdf: Graph) -> None:
    gexf = write_gexf(rdf, tmp_path / "g.gexf", dynamic=True)
    assert read(gexf.read_bytes()).number_of_nodes() == 8
    graphml = write_graphml(rdf, tmp_path / "g.graphml")
    assert nx.read_graphml(graphml).number_of_nodes() == 8


def test_graphml_round_trips(rdf: Graph) -> None:
    view = to_networkx(rdf, view_options(comention="document"))
    back = nx.read_graphml(io.BytesIO(serialize_graphml(rdf, comention="document")), force_multigraph=True)
    assert back.graph["timeformat"] == "date"
    assert set(back) == set(view)
    for node, data in view.nodes(data=True):
        expected = flat_attributes(data)
        expected.pop("spells")
        assert dict(back.nodes[node]) == expected
    got_edges = {(u, v, k): d for u, v, k, d in back.edges(keys=True, data=True)}
    assert len(got_edges) == view.number_of_edges()
    for u, v, key, data in view.edges(keys=True, data=True):
        expected = flat_attributes(data)
        expected.pop("spells")
        assert got_edges[(u, v, key)] == expected
