"""The ontology and the shapes parse, and aikg.ttl declares exactly the terms of namespace.AIKG."""

from __future__ import annotations

from importlib.resources import files

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg.ontology.namespace import AIKG, ONTOLOGY_IRI, PREDICATE_PROPERTY, TYPE_CLASS
from kg.types import SIGNATURES

DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(data=(files("kg.ontology") / "aikg.ttl").read_text(encoding="utf-8"), format="turtle")


def declared_terms(g: Graph) -> set[str]:
    ns = str(AIKG._NS)
    return {
        str(s)[len(ns):]
        for kind in DECLARATIONS
        for s in g.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(ns)
    }


def used_terms(g: Graph) -> set[str]:
    ns = str(AIKG._NS)
    return {str(t)[len(ns):] for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(ns)}


def test_every_namespace_term_is_declared_and_vice_versa(ontology: Graph) -> None:
    assert declared_terms(ontology) == set(AIKG.__annotations__)


def test_the_ontology_uses_no_undeclared_aikg_term(ontology: Graph) -> None:
    assert used_terms(ontology) <= declared_terms(ontology)


def test_every_term_has_a_label(ontology: Graph) -> None:
    unlabelled = {t for t in AIKG.__annotations__ if ontology.value(AIKG[t], RDFS.label) is None}
    assert unlabelled == set()


def test_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None


def test_entity_classes_are_subclasses_of_entity(ontology: Graph) -> None:
    for cls in TYPE_CLASS.values():
        assert (cls, RDFS.subClassOf, AIKG.Entity) in ontology, cls


def _classes(g: Graph, node: object) -> frozenset[str]:
    """The aikg type names of a domain/range: one class or an owl:unionOf."""
    union = g.value(node, OWL.unionOf)
    members = list(Collection(g, union)) if union is not None else [node]
    return frozenset(str(m).rsplit("#", 1)[1] for m in members)


@pytest.mark.parametrize("predicate", sorted(PREDICATE_PROPERTY))
def test_domains_and_ranges_match_the_guidelines(ontology: Graph, predicate: str) -> None:
    prop = PREDICATE_PROPERTY[predicate]
    domain, rng = SIGNATURES[predicate]
    assert (prop, RDF.type, OWL.ObjectProperty) in ontology
    assert _classes(ontology, ontology.value(prop, RDFS.domain)) == domain
    assert _classes(ontology, ontology.value(prop, RDFS.range)) == rng


def test_evidence_is_a_prov_entity(ontology: Graph) -> None:
    prov = "http://www.w3.org/ns/prov#"
    assert (AIKG.Evidence, RDFS.subClassOf, URIRef(prov + "Entity")) in ontology
    assert (AIKG.inDocument, RDFS.subPropertyOf, URIRef(prov + "wasDerivedFrom")) in ontology


def test_shapes_parse_and_cover_every_relation() -> None:
    shapes = Graph().parse(data=(files("kg.ontology") / "shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    targeted = set(shapes.objects(None, SH.targetSubjectsOf))
    assert targeted == set(PREDICATE_PROPERTY.values())
    assert len(set(shapes.subjects(RDF.type, SH.NodeShape))) >= 10
