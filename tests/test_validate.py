"""validate(): assembled graphs conform; broken graphs fail with a message naming the problem."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.assemble import BUILD_IRI, assemble
from kg.errors import ValidationError
from kg.ontology.namespace import AIKG, ID, WD, document_iri
from kg.testing import read_records
from kg.validate import require_valid, validate

DATA = Path(__file__).parent / "data" / "mini_records.json"
ACME, ZEPHYR, BOREAS = ID["organization/acme-labs"], ID["model/zephyr-7"], ID["model/boreas"]
ADA, FRANCE = ID["person/ada-quill"], ID["country/france"]


def fresh_graph() -> Graph:
    results, entities, relations, info = read_records(DATA)
    return assemble(results, entities, relations, build_info=info)


def an_evidence(g: Graph, predicate: URIRef) -> URIRef:
    node = next(iter(sorted(g.subjects(RDF.predicate, predicate))))
    assert isinstance(node, URIRef)
    return node


def test_assembled_graph_conforms() -> None:
    conforms, text = validate(fresh_graph())
    assert conforms, text
    assert text.startswith("Conforms: yes")


def _relation_without_evidence(g: Graph) -> None:
    g.add((ZEPHYR, AIKG.outperforms, ID["model/boreas-2"]))
    g.add((ID["model/boreas-2"], RDF.type, AIKG.Model))
    g.add((ID["model/boreas-2"], RDFS.label, Literal("Boreas 2")))


def _evidence_removed(g: Graph) -> None:
    node = an_evidence(g, AIKG.worksFor)
    g.remove((node, None, None))


def _entity_without_label(g: Graph) -> None:
    g.remove((ADA, RDFS.label, None))


def _entity_with_two_types(g: Graph) -> None:
    g.add((BOREAS, RDF.type, AIKG.Paper))


def _wrong_subject_type(g: Graph) -> None:
    node = an_evidence(g, AIKG.basedIn)
    g.remove((ACME, AIKG.basedIn, FRANCE))
    g.add((ZEPHYR, AIKG.basedIn, FRANCE))
    g.set((node, RDF.subject, ZEPHYR))


def _wrong_object_type(g: Graph) -> None:
    node = an_evidence(g, AIKG.basedIn)
    g.remove((ACME, AIKG.basedIn, FRANCE))
    g.add((ACME, AIKG.basedIn, ADA))
    g.set((node, RDF.object, ADA))


def _confidence_out_of_range(g: Graph) -> None:
    g.set((an_evidence(g, AIKG.funded), AIKG.confidence, Literal("1.5", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#decimal"))))


def _start_after_end(g: Graph) -> None:
    g.set((an_evidence(g, AIKG.funded), AIKG.startChar, Literal(10_000)))


def _dangling_evidence(g: Graph) -> None:
    g.remove((ID["organization/northwind-capital"], AIKG.funded, ACME))


def _sameas_not_wikidata(g: Graph) -> None:
    g.add((ACME, URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef("https://example.org/acme")))


def _document_without_identifier(g: Graph) -> None:
    g.remove((document_iri("issue-1"), URIRef("http://purl.org/dc/terms/identifier"), None))


def _build_without_time(g: Graph) -> None:
    g.remove((BUILD_IRI, AIKG.builtAt, None))


@pytest.mark.parametrize(
    ("breakage", "words"),
    [
        (_relation_without_evidence, "has no aikg:Evidence node"),
        (_evidence_removed, "has no aikg:Evidence node"),
        (_entity_without_label, "exactly one rdfs:label"),
        (_entity_with_two_types, "exactly one of the six types"),
        (_wrong_subject_type, "subject of aikg:basedIn must be an aikg:Organization"),
        (_wrong_object_type, "object of aikg:basedIn must be an aikg:Country"),
        (_confidence_out_of_range, "between 0 and 1"),
        (_start_after_end, "not greater than aikg:endChar"),
        (_dangling_evidence, "reifies a triple that is not asserted"),
        (_sameas_not_wikidata, "Wikidata entity IRI"),
        (_document_without_identifier, "dcterms:identifier"),
        (_build_without_time, "aikg:builtAt"),
    ],
)
def test_broken_graph_fails_naming_the_problem(breakage: Callable[[Graph], None], words: str) -> None:
    g = fresh_graph()
    breakage(g)
    conforms, text = validate(g)
    assert not conforms
    assert text.startswith("Conforms: no")
    assert words in text, text


def test_report_names_the_offending_node() -> None:
    g = fresh_graph()
    _entity_without_label(g)
    _, text = validate(g)
    assert "<https://w3id.org/aikg/id/person/ada-quill> rdfs:label" in text


def test_require_valid_raises_with_the_report() -> None:
    g = fresh_graph()
    g.add((FRANCE, AIKG.mentionCount, Literal(-1)))
    with pytest.raises(ValidationError, match="mentionCount"):
        require_valid(g)
    require_valid(fresh_graph())


def test_wikidata_sameas_conforms() -> None:
    g = fresh_graph()
    g.add((ACME, URIRef("http://www.w3.org/2002/07/owl#sameAs"), WD.Q95))
    assert validate(g)[0]


def test_validates_an_oxigraph_backed_graph() -> None:
    g = Graph(store="Oxigraph")
    g += fresh_graph()
    assert validate(g)[0]
    g.remove((ADA, RDFS.label, None))
    conforms, text = validate(g)
    assert not conforms and "exactly one rdfs:label" in text
