"""assemble() on hand-built records (tests/data/mini_records.json)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.assemble import BUILD_IRI, assemble
from kg.errors import BuildError
from kg.ontology.namespace import AIKG, ID, WD, document_iri, evidence_iri, section_iri
from kg.testing import Records, read_records
from kg.types import Entity, Evidence, Relation

DATA = Path(__file__).parent / "data" / "mini_records.json"


@pytest.fixture(scope="module")
def records() -> Records:
    return read_records(DATA)


@pytest.fixture(scope="module")
def graph(records: Records) -> Graph:
    results, entities, relations, info = records
    return assemble(results, entities, relations, build_info=info)


ACME, ZEPHYR, FRANCE = ID["organization/acme-labs"], ID["model/zephyr-7"], ID["country/france"]
ISSUE1 = URIRef("https://w3id.org/aikg/doc/issue-1")


def test_entity_node(graph: Graph) -> None:
    assert set(graph.predicate_objects(ACME)) == {
        (RDF.type, AIKG.Organization),
        (RDFS.label, Literal("Acme Labs")),
        (SKOS.altLabel, Literal("Acme")),
        (AIKG.mentionCount, Literal(5)),
        (AIKG.mentionedIn, ISSUE1),
        (AIKG.mentionedIn, document_iri("issue-2")),
        (AIKG.released, ZEPHYR),
        (AIKG.released, ID["benchmark/mathbench"]),
        (AIKG.basedIn, FRANCE),
    }
    assert graph.value(FRANCE, OWL.sameAs) == WD.Q142


def test_relation_triples_are_plain(graph: Graph) -> None:
    rel = {(s, p, o) for p in (AIKG.released, AIKG.outperforms, AIKG.funded, AIKG.worksFor, AIKG.basedIn,
                                AIKG.authored) for s, o in graph.subject_objects(p)}
    assert len(rel) == 7
    assert (ID["person/ada-quill"], AIKG.worksFor, ACME) in rel


def test_one_evidence_node_per_sentence_with_deterministic_iri(graph: Graph) -> None:
    nodes = set(graph.subjects(RDF.predicate, AIKG.released))
    assert len(nodes) == 3
    node = evidence_iri("organization/acme-labs", "released", "model/zephyr-7", "issue-1", 10)
    assert node in nodes
    assert (node, RDF.type, AIKG.Evidence) in graph and (node, RDF.type, RDF.Statement) in graph
    assert graph.value(node, RDF.subject) == ACME
    assert graph.value(node, RDF.object) == ZEPHYR
    assert graph.value(node, AIKG.inDocument) == ISSUE1
    assert graph.value(node, AIKG.inSection) == section_iri("issue-1", 0)
    assert graph.value(node, AIKG.sentence).startswith("Acme Labs has released Zephyr-7")
    assert graph.value(node, AIKG.startChar) == Literal(10)
    assert graph.value(node, AIKG.extractor) == Literal("released:active-verb")
    conf = graph.value(node, AIKG.confidence)
    assert conf.datatype == rns.XSD.decimal and conf.toPython() == Decimal("0.9")


def test_documents_and_sections(graph: Graph) -> None:
    assert graph.value(ISSUE1, DCTERMS.identifier) == Literal("issue-1")
    assert graph.value(ISSUE1, AIKG.issueNumber) == Literal(1)
    assert graph.value(ISSUE1, DCTERMS.date) == Literal("2025-01-06", datatype=rns.XSD.date)
    assert graph.value(ISSUE1, AIKG.sourceFormat) == Literal("text")
    assert graph.value(document_iri("issue-2"), AIKG.sourceFormat) == Literal("html")
    assert graph.value(document_iri("issue-2"), AIKG.issueNumber) is None
    assert len(set(graph.objects(ISSUE1, AIKG.hasSection))) == 3
    tale = section_iri("issue-1", 2)
    assert graph.value(tale, DCTERMS.isPartOf) == ISSUE1
    assert graph.value(tale, AIKG.isFiction) == Literal(True)
    assert graph.value(tale, AIKG.sectionIndex) == Literal(2)


def test_build_node(graph: Graph) -> None:
    assert graph.value(BUILD_IRI, RDF.type) == AIKG.Build
    assert graph.value(BUILD_IRI, AIKG.builtAt) == Literal("2025-01-31T12:00:00+00:00", datatype=rns.XSD.dateTime)
    assert graph.value(BUILD_IRI, AIKG.documentCount) == Literal(2)


def test_deterministic_in_any_input_order(records: Records, graph: Graph) -> None:
    results, entities, relations, info = records
    again = assemble(results[::-1], entities[::-1], [replace(r, evidence=r.evidence[::-1]) for r in relations[::-1]],
                     build_info=info)
    assert set(again) == set(graph)


def test_fills_a_given_graph(records: Records) -> None:
    results, entities, relations, info = records
    target = Graph()
    out = assemble(results, entities, relations, build_info=info, graph=target)
    assert out is target and len(target) > 100


def test_turtle_round_trip_is_isomorphic(graph: Graph) -> None:
    back = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert isomorphic(graph, back)


def test_prefixes_are_bound(graph: Graph) -> None:
    prefixes = {p for p, _ in graph.namespaces()}
    assert {"aikg", "rdfs", "owl", "skos", "dcterms", "xsd", "prov", "schema", "wd"} <= prefixes


def test_duplicate_evidence_for_one_sentence_is_kept_once(records: Records) -> None:
    results, entities, relations, info = records
    ev = relations[1].evidence[0]
    doubled = [*relations[:1], replace(relations[1], evidence=(ev, replace(ev, rule="other", confidence=0.1))),
               *relations[2:]]
    g = assemble(results, entities, doubled, build_info=info)
    assert len(set(g.subjects(RDF.predicate, AIKG.outperforms))) == 1


def _broken(records: Records, **change: Any) -> Records:
    results, entities, relations, info = records
    return (change.get("results", results), change.get("entities", entities),
            change.get("relations", relations), change.get("info", info))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"relations": [Relation("organization/acme-labs", "released", "model/nope", (
            Evidence("issue-1", "", "s", 0, 1, "r", 0.5),))]}, "model/nope"),
        ({"relations": [Relation("organization/acme-labs", "acquired", "model/zephyr-7", ())]}, "acquired"),
        ({"relations": [Relation("organization/acme-labs", "released", "model/zephyr-7", ())]}, "no evidence"),
        ({"relations": [Relation("organization/acme-labs", "released", "model/zephyr-7", (
            Evidence("issue-9", "", "s", 0, 1, "r", 0.5),))]}, "issue-9"),
        ({"relations": [Relation("organization/acme-labs", "released", "model/zephyr-7", (
            Evidence("issue-1", "", "s", 0, 1, "r", 1.5),))]}, "1.5"),
        ({"entities": [Entity("organization/x", "X", "Org")]}, "'Org'"),
        ({"entities": [Entity("organization/x", "X", "Organization", wikidata="wd:Q1")]}, "wd:Q1"),
        ({"info": {"pipeline_version": "0.1.0"}}, "built_at"),
        ({"info": {"pipeline_version": "0", "model_name": "m", "model_version": "1", "built_at": "yesterday",
                   "document_count": 1}}, "yesterday"),
    ],
)
def test_inconsistent_records_raise_a_clear_error(records: Records, change: dict[str, Any], words: str) -> None:
    results, entities, relations, info = _broken(records, **change)
    with pytest.raises(BuildError, match=words):
        assemble(results, entities, relations, build_info=info)


def test_relations_with_evidence_query(graph: Graph) -> None:
    query = (Path(__file__).parents[1] / "queries" / "relations-with-evidence.rq").read_text(encoding="utf-8")
    rows = [tuple(None if v is None else str(v) for v in row) for row in graph.query(query)]
    assert len(rows) == 8  # seven relations, one of them with two sentences
    acme_zephyr = [r for r in rows if r[:3] == ("Acme Labs", "released", "Zephyr-7")]
    assert [(r[4], r[5]) for r in acme_zephyr] == [("issue-1", "Acme ships a tiny model"), ("issue-2", "Funding news")]
    assert acme_zephyr[0][3].startswith("Acme Labs has released Zephyr-7")
