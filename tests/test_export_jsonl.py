"""The JSON Lines export of a hand-built graph, in the gold format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from kg.assemble import assemble, graph_triples
from kg.exports.jsonl import noisy_or, serialize_jsonl, write_jsonl
from kg.testing import read_records

DATA = Path(__file__).parent / "data" / "mini_records.json"


@pytest.fixture(scope="module")
def graph() -> Graph:
    results, entities, relations, info = read_records(DATA)
    return assemble(results, entities, relations, build_info=info)


@pytest.fixture(scope="module")
def rows(graph: Graph) -> list[dict[str, Any]]:
    return [json.loads(line) for line in serialize_jsonl(graph).splitlines()]


def test_one_line_per_entity_then_per_relation(rows: list[dict[str, Any]]) -> None:
    kinds = [r["kind"] for r in rows]
    assert kinds == ["entity"] * 8 + ["relation"] * 7


def test_entity_row(rows: list[dict[str, Any]]) -> None:
    france = next(r for r in rows if r["kind"] == "entity" and r["name"] == "France")
    assert france == {
        "kind": "entity",
        "name": "France",
        "type": "Country",
        "aliases": ["French"],
        "id": "https://w3id.org/aikg/id/country/france",
        "wikidata": "Q142",
        "documents": ["issue-2"],
    }
    acme = next(r for r in rows if r["kind"] == "entity" and r["name"] == "Acme Labs")
    assert acme["wikidata"] is None and acme["documents"] == ["issue-1", "issue-2"] and acme["aliases"] == ["Acme"]


def test_relation_row_with_all_evidence(rows: list[dict[str, Any]]) -> None:
    rel = next(r for r in rows if r["kind"] == "relation" and r["object"] == "Zephyr-7")
    assert rel["subject"] == "Acme Labs" and rel["predicate"] == "released"
    assert rel["source"] == "issue-1"
    assert rel["evidence"].startswith("Acme Labs has released Zephyr-7")
    assert rel["confidence"] == pytest.approx(0.95)
    assert [(e["document"], e["start"], e["confidence"]) for e in rel["evidences"]] == [
        ("issue-1", 10, 0.9),
        ("issue-2", 130, 0.5),
    ]
    first = rel["evidences"][0]
    assert first["section"] == "Acme ships a tiny model"
    assert first["extractor"] == "released:active-verb"
    assert first["end"] - first["start"] == len(first["sentence"])


def test_relations_name_entity_lines(rows: list[dict[str, Any]]) -> None:
    names = {r["name"] for r in rows if r["kind"] == "entity"}
    rels = [r for r in rows if r["kind"] == "relation"]
    assert {(r["subject"], r["predicate"], r["object"]) for r in rels} >= {
        ("Zephyr-7", "outperforms", "Boreas"),
        ("Northwind Capital", "funded", "Acme Labs"),
        ("Ada Quill", "worksFor", "Acme Labs"),
        ("Acme Labs", "basedIn", "France"),
        ("Ada Quill", "authored", "Scaling Tiny Things"),
    }
    assert all(r["subject"] in names and r["object"] in names for r in rels)


def test_deterministic_and_sorted(graph: Graph) -> None:
    text = serialize_jsonl(graph)
    copy = Graph()
    for t in sorted(graph):
        copy.add(t)
    assert serialize_jsonl(copy) == text
    rows = [json.loads(line) for line in text.splitlines()]
    ents = [(r["type"], r["name"]) for r in rows if r["kind"] == "entity"]
    assert ents == sorted(ents)


def test_write_is_atomic_and_leaves_no_temp_files(graph: Graph, tmp_path: Path) -> None:
    target = tmp_path / "graph.jsonl"
    target.write_text("old\n", encoding="utf-8")
    assert write_jsonl(graph, target) == target
    assert target.read_text(encoding="utf-8") == serialize_jsonl(graph)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.jsonl"]


def test_failed_write_keeps_the_old_file(graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.jsonl"
    target.write_text("old\n", encoding="utf-8")

    def boom(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("kg.exports.jsonl.os.replace", boom)
    with pytest.raises(OSError, match="disk full"):
        assert write_jsonl(graph, target) == target
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.jsonl"]


@pytest.mark.parametrize(("confidences", "expected"), [([], 0.0), ([0.5], 0.5), ([0.5, 0.5], 0.75), ([1.0, 0.2], 1.0)])
def test_noisy_or(confidences: list[float], expected: float) -> None:
    assert noisy_or(confidences) == expected


def test_empty_graph_gives_empty_text() -> None:
    assert serialize_jsonl(Graph()) == ""


def test_triples_and_an_oxigraph_store_give_the_same_text_as_rdflib(graph: Graph) -> None:
    """The build writes graph.jsonl from its triple list; `kg export` reads the build's Oxigraph store; any
    rdflib graph can be exported too. All three must agree to the byte."""
    import pyoxigraph as ox

    results, entities, relations, info = read_records(DATA)
    triples = graph_triples(results, entities, relations, build_info=info)
    memory = ox.Store()
    memory.load(graph.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert len(memory) == len(graph)
    text = serialize_jsonl(graph)
    assert text.count("\n") > 5
    assert serialize_jsonl(memory) == text
    assert serialize_jsonl(triples) == text
    assert serialize_jsonl([*triples, *triples[:50]]) == text  # a repeated triple is one triple


def _records_variant() -> tuple[Any, ...]:
    """The test records with what the row readers must agree on: an alias equal to the name and a blank one,
    two readings of one sentence (one evidence node), evidence outside every section, a repeated document."""
    from dataclasses import replace

    records = read_records(DATA)
    results, entities, relations = list(records[0]), list(records[1]), list(records[2])
    entities[0] = replace(entities[0], aliases=(*entities[0].aliases, entities[0].name, "  ", "Zed alias"),
                          documents=(*entities[0].documents, *entities[0].documents))
    ev = relations[0].evidence[0]
    twice = replace(ev, rule="another_rule", sentence=ev.sentence + " (again)", confidence=0.33333)
    outside = replace(ev, start=10**6, end=10**6 + 5, section="no such section", confidence=0.123456)
    relations[0] = replace(relations[0], evidence=(*relations[0].evidence, twice, outside))
    return results, entities, relations, records[3]


def test_rows_from_records_are_the_rows_from_the_triples() -> None:
    from kg.exports.jsonl import generate_rows, record_rows

    results, entities, relations, info = _records_variant()
    from_triples = list(generate_rows(graph_triples(results, entities, relations, build_info=info)))
    assert record_rows(results, entities, relations) == from_triples
    assert any(e["section"] is None for row in from_triples if row["kind"] == "relation" for e in row["evidences"])


def test_rows_from_records_defer_to_the_triples_where_records_merge() -> None:
    from dataclasses import replace

    from kg.exports.jsonl import record_rows

    results, entities, relations, _ = _records_variant()
    assert record_rows(results, entities, relations) is not None
    assert record_rows(results, [*entities, entities[0]], relations) is None  # one key, two entities
    assert record_rows(results, entities, [*relations, relations[0]]) is None  # one triple, two relations
    doubled = replace(results[0], sections=(*results[0].sections, results[0].sections[0]))
    assert record_rows([doubled, *results[1:]], entities, relations) is None  # one section IRI, two sections
