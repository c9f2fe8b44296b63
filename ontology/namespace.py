"""The aikg vocabulary as Python names, and the deterministic IRI scheme.

``ontology/aikg.ttl`` is the source of truth; ``tests/test_ontology.py``
checks that every term named here is declared there and vice versa.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/aikg/"
ID = Namespace(BASE + "id/")
DOC = Namespace(BASE + "doc/")
EVIDENCE = Namespace(BASE + "evidence/")
WD = Namespace("http://www.wikidata.org/entity/")
SDO = Namespace("https://schema.org/")


class AIKG(DefinedNamespace):
    """Terms of the aikg ontology (``https://w3id.org/aikg/ontology#``)."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes: the six entity types and their common superclass
    Entity: URIRef
    Organization: URIRef
    Model: URIRef
    Paper: URIRef
    Person: URIRef
    Country: URIRef
    Benchmark: URIRef
    # classes: provenance
    Document: URIRef
    Section: URIRef
    Evidence: URIRef
    Build: URIRef

    # the six relations
    released: URIRef
    outperforms: URIRef
    funded: URIRef
    worksFor: URIRef
    basedIn: URIRef
    authored: URIRef

    # entity -> document
    mentionedIn: URIRef
    mentionCount: URIRef
    # document structure
    hasSection: URIRef
    issueNumber: URIRef
    sourceLocation: URIRef
    sourceFormat: URIRef
    sectionIndex: URIRef
    isFiction: URIRef
    # evidence (an rdf:Statement with rdf:subject / rdf:predicate / rdf:object)
    inDocument: URIRef
    inSection: URIRef
    sentence: URIRef
    startChar: URIRef
    endChar: URIRef
    extractor: URIRef
    confidence: URIRef
    # build metadata
    pipelineVersion: URIRef
    modelName: URIRef
    modelVersion: URIRef
    builtAt: URIRef
    documentCount: URIRef


ONTOLOGY_IRI = URIRef(BASE + "ontology")

#: The prefixes of the aikg model: bound in assembled graphs, written into
#: Turtle/TriG/JSON-LD exports and usable undeclared in SPARQL queries.
PREFIXES: dict[str, str] = {
    "aikg": BASE + "ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": str(SDO),
    "wd": str(WD),
    "id": str(ID),
    "doc": str(DOC),
    "ev": str(EVIDENCE),
}

TYPE_CLASS: dict[str, URIRef] = {
    "Organization": AIKG.Organization,
    "Model": AIKG.Model,
    "Paper": AIKG.Paper,
    "Person": AIKG.Person,
    "Country": AIKG.Country,
    "Benchmark": AIKG.Benchmark,
}
PREDICATE_PROPERTY: dict[str, URIRef] = {
    "released": AIKG.released,
    "outperforms": AIKG.outperforms,
    "funded": AIKG.funded,
    "worksFor": AIKG.worksFor,
    "basedIn": AIKG.basedIn,
    "authored": AIKG.authored,
}
CLASS_TYPE = {v: k for k, v in TYPE_CLASS.items()}
PROPERTY_PREDICATE = {v: k for k, v in PREDICATE_PROPERTY.items()}


def slug(name: str) -> str:
    """A stable, readable IRI segment for a name: NFKC, case-folded, dashes."""
    s = unicodedata.normalize("NFKC", name).casefold()
    s = s.replace("\u2019", "'").replace("+", " plus ")
    s = re.sub(r"[\W_]+", "-", s).strip("-")
    return s or "x" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def entity_key(etype: str, name: str) -> str:
    """Deterministic key ``<type>/<slug>`` of an entity (its IRI's path)."""
    return f"{etype.lower()}/{slug(name)}"


def entity_iri(key: str) -> URIRef:
    return ID[key]


def document_iri(doc_id: str) -> URIRef:
    return DOC[slug(doc_id)]


def section_iri(doc_id: str, index: int) -> URIRef:
    return URIRef(f"{document_iri(doc_id)}/section/{index}")


def evidence_iri(subject: str, predicate: str, obj: str, doc_id: str, start: int) -> URIRef:
    digest = hashlib.sha1("\x1f".join([subject, predicate, obj, doc_id, str(start)]).encode("utf-8"))
    return EVIDENCE[digest.hexdigest()[:20]]
