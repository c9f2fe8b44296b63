"""Assemble resolved entities and relations into the aikg RDF graph.

The model is the one drawn in ``docs/ARCHITECTURE.md`` and explained in
``docs/MODEL.md``: entity nodes, plain relation triples, one reified
``aikg:Evidence`` node per supporting sentence, ``aikg:Document`` and
``aikg:Section`` nodes, and a single ``aikg:Build`` node. There are no blank
nodes and every IRI is derived from the records, so the same inputs always
give the same triples.

:func:`graph_triples` gives the triples with literals as plain :class:`Lit`
records (lexical form + datatype), so that a build writes them straight into
its Oxigraph store (:func:`kg.store.save_triples`) without creating rdflib
terms at all; :func:`assemble` gives the same triples as an rdflib graph, added
with one ``Graph.addN`` call (into any rdflib store, including an
Oxigraph-backed one passed in as ``graph``).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePath
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from kg.errors import BuildError
from kg.ingest import SUFFIX_FORMATS
from kg.ontology.namespace import (
    AIKG,
    BASE,
    PREDICATE_PROPERTY,
    PREFIXES,
    TYPE_CLASS,
    WD,
    document_iri,
    entity_iri,
    evidence_iri,
    section_iri,
)
from kg.types import DocResult, Entity, Evidence, Relation, Section



class Lit(NamedTuple):
    """A literal object of a triple: its lexical form and datatype IRI (None: a plain string)."""

    lexical: str
    datatype: str | None = None


Triple = tuple[URIRef, URIRef, URIRef | Lit]

BUILD_IRI = URIRef(BASE + "build")
BUILD_KEYS: tuple[str, ...] = ("pipeline_version", "model_name", "model_version", "built_at", "document_count")
_QID = re.compile(r"Q[1-9][0-9]*")
_XSD_INTEGER, _XSD_BOOLEAN, _XSD_DECIMAL = str(XSD.integer), str(XSD.boolean), str(XSD.decimal)
# the terms of the per-entity and per-evidence triples, looked up once: rdflib's namespace attribute access is
# slow enough to matter when a build writes a hundred thousand evidence nodes
_TYPE, _LABEL, _ALT_LABEL, _SAME_AS = RDF.type, RDFS.label, SKOS.altLabel, OWL.sameAs
_MENTION_COUNT, _MENTIONED_IN = AIKG.mentionCount, AIKG.mentionedIn
_EVIDENCE, _STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = AIKG.Evidence, RDF.Statement, RDF.subject, RDF.predicate, RDF.object
_IN_DOCUMENT, _IN_SECTION, _SENTENCE = AIKG.inDocument, AIKG.inSection, AIKG.sentence
_START, _END, _EXTRACTOR, _CONFIDENCE = AIKG.startChar, AIKG.endChar, AIKG.extractor, AIKG.confidence


@dataclass(frozen=True, slots=True)
class _DocIndex:
    """Sections of one document, sorted by start offset, for evidence lookup."""

    iri: URIRef
    starts: tuple[int, ...]
    sections: tuple[Section, ...]
    by_title: Mapping[str, Section]
    section_iris: Mapping[int, URIRef]

    def section_of(self, evidence: Evidence) -> URIRef | None:
        """The section the evidence sentence starts in (by offset, else by title)."""
        i = bisect.bisect_right(self.starts, evidence.start) - 1
        if i >= 0 and evidence.start < self.sections[i].end:
            return self.section_iris[self.sections[i].index]
        section = self.by_title.get(evidence.section)
        return None if section is None else self.section_iris[section.index]


def assemble(
    results: Sequence[DocResult],
    entities: Sequence[Entity],
    relations: Sequence[Relation],
    *,
    build_info: Mapping[str, object],
    graph: Graph | None = None,
) -> Graph:
    """Build the aikg graph of a corpus (into ``graph`` when one is given).

    Raises:
        BuildError: when the records are inconsistent (a relation naming an
            unknown entity, evidence from an unknown document, a malformed
            Wikidata id, date or confidence, missing build_info keys).
    """
    g = graph if graph is not None else Graph()
    bind_prefixes(g)
    triples = graph_triples(results, entities, relations, build_info=build_info)
    g.addN((s, p, rdflib_term(o), g) for s, p, o in triples)
    return g


def graph_triples(
    results: Sequence[DocResult],
    entities: Sequence[Entity],
    relations: Sequence[Relation],
    *,
    build_info: Mapping[str, object],
) -> list[Triple]:
    """The triples of the corpus graph, in a deterministic order (see :func:`assemble` for the errors)."""
    docs = _doc_indexes(results)
    keys = {e.key for e in entities}
    triples: list[Triple] = [*_build_triples(build_info)]
    for result in sorted(results, key=lambda r: r.doc_id):
        triples.extend(document_triples(result))
    for entity in sorted(entities, key=lambda e: e.key):
        triples.extend(entity_triples(entity, docs))
    for relation in sorted(relations, key=lambda r: (r.subject, r.predicate, r.object)):
        triples.extend(relation_triples(relation, keys, docs))
    return triples


def rdflib_term(term: URIRef | Lit) -> URIRef | Literal:
    """The rdflib term of a triple's object (an IRI is one already)."""
    if type(term) is Lit:
        return Literal(term.lexical) if term.datatype is None else Literal(term.lexical, datatype=URIRef(term.datatype))
    return term  # type: ignore[return-value]


def _int(value: object) -> Lit:
    return Lit(str(int(value)), _XSD_INTEGER)  # type: ignore[call-overload]


def _bool(value: object) -> Lit:
    return Lit("true" if value else "false", _XSD_BOOLEAN)


def bind_prefixes(graph: Graph) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def document_triples(result: DocResult) -> Iterator[Triple]:
    doc = document_iri(result.doc_id)
    yield doc, RDF.type, AIKG.Document
    yield doc, DCTERMS.identifier, Lit(result.doc_id)
    yield doc, DCTERMS.title, Lit(result.title or result.doc_id)
    if result.issue is not None:
        yield doc, AIKG.issueNumber, _int(result.issue)
    if result.date:
        yield doc, DCTERMS.date, Lit(_iso_date(result.date, result.doc_id), str(XSD.date))
    if result.source:
        yield doc, AIKG.sourceLocation, Lit(result.source)
        # aikg:sourceFormat: the format ingest reads a file of this suffix as
        fmt = SUFFIX_FORMATS.get(PurePath(result.source.split("?", 1)[0]).suffix.lower())
        if fmt is not None:
            yield doc, AIKG.sourceFormat, Lit(fmt)
    for section in result.sections:
        sec = section_iri(result.doc_id, section.index)
        yield doc, AIKG.hasSection, sec
        yield sec, RDF.type, AIKG.Section
        yield sec, DCTERMS.title, Lit(section.title)
        yield sec, AIKG.sectionIndex, _int(section.index)
        yield sec, DCTERMS.isPartOf, doc
        yield sec, AIKG.isFiction, _bool(section.fiction)


def entity_triples(entity: Entity, docs: Mapping[str, _DocIndex]) -> Iterator[Triple]:
    cls = TYPE_CLASS.get(entity.type)
    if cls is None:
        raise BuildError(f"entity {entity.key!r} has type {entity.type!r}; expected one of {sorted(TYPE_CLASS)}")
    if not entity.name.strip():
        raise BuildError(f"entity {entity.key!r} has an empty name; every entity needs a label")
    node = _entity_iri(entity.key)
    yield node, _TYPE, cls
    yield node, _LABEL, Lit(entity.name)
    for alias in entity_aliases(entity):
        yield node, _ALT_LABEL, Lit(alias)
    if entity.wikidata:
        if not _QID.fullmatch(entity.wikidata):
            raise BuildError(
                f"entity {entity.key!r} has Wikidata id {entity.wikidata!r}; expected a Q-id such as 'Q2283'"
            )
        yield node, _SAME_AS, WD[entity.wikidata]
    yield node, _MENTION_COUNT, _int(entity.mentions)
    for doc_id in sorted(set(entity.documents)):
        yield node, _MENTIONED_IN, _require_doc(docs, doc_id, f"entity {entity.key!r}").iri


def relation_triples(relation: Relation, keys: Container[str], docs: Mapping[str, _DocIndex]) -> Iterator[Triple]:
    prop = PREDICATE_PROPERTY.get(relation.predicate)
    if prop is None:
        raise BuildError(
            f"relation {relation.subject} {relation.predicate} {relation.object}: "
            f"unknown predicate {relation.predicate!r}; expected one of {sorted(PREDICATE_PROPERTY)}"
        )
    for key in (relation.subject, relation.object):
        if key not in keys:
            raise BuildError(
                f"relation {relation.subject} {relation.predicate} {relation.object} names entity {key!r}, "
                "which is not among the assembled entities"
            )
    if not relation.evidence:
        raise BuildError(
            f"relation {relation.subject} {relation.predicate} {relation.object} has no evidence; "
            "every relation needs at least one supporting sentence"
        )
    subj, obj = _entity_iri(relation.subject), _entity_iri(relation.object)
    yield subj, prop, obj
    for ev in relation_evidence(relation):
        node = evidence_iri(relation.subject, relation.predicate, relation.object, ev.doc_id, ev.start)
        yield from _evidence_triples(node, subj, prop, obj, ev, docs)


def entity_aliases(entity: Entity) -> list[str]:
    """The alternative labels of an entity's node: its aliases other than its name and not blank, sorted."""
    return sorted(a for a in set(entity.aliases) - {entity.name} if a.strip())


def relation_evidence(relation: Relation) -> Iterator[Evidence]:
    """The evidence of a relation that gets a node, in order: one per document and start offset (the node's
    IRI is made of them), the first when a sentence was read twice (e.g. by two rules)."""
    seen: set[tuple[str, int]] = set()
    for ev in sorted(relation.evidence, key=lambda e: (e.doc_id, e.start, e.end, e.rule, e.sentence)):
        if (ev.doc_id, ev.start) not in seen:
            seen.add((ev.doc_id, ev.start))
            yield ev


def _evidence_triples(
    node: URIRef, subj: URIRef, prop: URIRef, obj: URIRef, ev: Evidence, docs: Mapping[str, _DocIndex]
) -> Iterator[Triple]:
    index = docs.get(ev.doc_id)
    if index is None or not 0 <= ev.start <= ev.end or not 0.0 <= ev.confidence <= 1.0:
        where = f"evidence of {subj} {prop} {obj} in {ev.doc_id!r} at {ev.start}"  # only when there is an error
        index = _require_doc(docs, ev.doc_id, where)
        if not 0 <= ev.start <= ev.end:
            raise BuildError(f"{where}: span [{ev.start}, {ev.end}) is not 0 <= start <= end")
        raise BuildError(f"{where}: confidence {ev.confidence} is outside [0, 1]")
    yield node, _TYPE, _EVIDENCE
    yield node, _TYPE, _STATEMENT
    yield node, _SUBJECT, subj
    yield node, _PREDICATE, prop
    yield node, _OBJECT, obj
    yield node, _IN_DOCUMENT, index.iri
    section = index.section_of(ev)
    if section is not None:
        yield node, _IN_SECTION, section
    yield node, _SENTENCE, Lit(ev.sentence)
    yield node, _START, _int(ev.start)
    yield node, _END, _int(ev.end)
    yield node, _EXTRACTOR, Lit(ev.rule)
    yield node, _CONFIDENCE, _decimal_lit(ev.confidence)


@functools.lru_cache(maxsize=4096)
def _decimal_lit(confidence: float) -> Lit:
    """The xsd:decimal literal of a confidence (a corpus has few distinct values, so each is written once)."""
    return Lit(str(decimal_confidence(confidence)), _XSD_DECIMAL)


#: an entity's IRI, made once per key (an entity's relations and evidence name it again and again)
_entity_iri = functools.lru_cache(maxsize=1 << 16)(entity_iri)


def decimal_confidence(value: float) -> Decimal:
    """A confidence as an exact xsd:decimal, rounded to 4 places (0.9 -> 0.9)."""
    return Decimal(repr(round(float(value), 4)))


def _build_triples(build_info: Mapping[str, object]) -> Iterator[Triple]:
    missing = [k for k in BUILD_KEYS if build_info.get(k) is None]
    if missing:
        raise BuildError(f"build_info is missing {missing}; it needs all of {list(BUILD_KEYS)}")
    built_at = build_info["built_at"]
    stamp = built_at.isoformat() if isinstance(built_at, datetime) else str(built_at)
    try:
        datetime.fromisoformat(stamp)
    except ValueError:
        raise BuildError(
            f"build_info built_at {stamp!r} is not an ISO 8601 date-time such as '2025-01-31T12:00:00+00:00'"
        ) from None
    count = build_info["document_count"]
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise BuildError(f"build_info document_count {count!r} is not a non-negative integer")
    yield BUILD_IRI, RDF.type, AIKG.Build
    yield BUILD_IRI, AIKG.pipelineVersion, Lit(str(build_info["pipeline_version"]))
    yield BUILD_IRI, AIKG.modelName, Lit(str(build_info["model_name"]))
    yield BUILD_IRI, AIKG.modelVersion, Lit(str(build_info["model_version"]))
    yield BUILD_IRI, AIKG.builtAt, Lit(stamp, str(XSD.dateTime))
    yield BUILD_IRI, AIKG.documentCount, _int(count)


def _doc_indexes(results: Sequence[DocResult]) -> dict[str, _DocIndex]:
    out: dict[str, _DocIndex] = {}
    iris: dict[URIRef, str] = {}
    for r in results:
        iri = document_iri(r.doc_id)
        if iri in iris:
            raise BuildError(
                f"documents {iris[iri]!r} and {r.doc_id!r} map to the same IRI {iri}; document ids must be distinct"
            )
        iris[iri] = r.doc_id
        secs = tuple(sorted(r.sections, key=lambda s: (s.start, s.index)))
        out[r.doc_id] = _DocIndex(
            iri=iri,
            starts=tuple(s.start for s in secs),
            sections=secs,
            by_title={s.title: s for s in reversed(secs)},
            section_iris={s.index: section_iri(r.doc_id, s.index) for s in secs},
        )
    return out


def _require_doc(docs: Mapping[str, _DocIndex], doc_id: str, where: str) -> _DocIndex:
    index = docs.get(doc_id)
    if index is None:
        raise BuildError(f"{where} refers to document {doc_id!r}, which is not among the assembled documents")
    return index


def _iso_date(value: str, doc_id: str) -> str:
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise BuildError(f"document {doc_id!r} has date {value!r}; expected an ISO date such as '2024-12-23'") from None
