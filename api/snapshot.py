"""The in-memory view of a built graph that the REST API answers from.

:func:`load_snapshot` reads a pyoxigraph store with a handful of bulk SPARQL
queries, once, at startup: the entity table, the name index, the relations
with their evidence, and the adjacency lists in both directions.  After that
no request touches the store (except /sparql and /export).
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kg.index import IndexEntry, NameIndex, build_index
from kg.ontology.namespace import AIKG, BASE, CLASS_TYPE, ID, PROPERTY_PREDICATE, WD
from kg.types import ENTITY_TYPES, PREDICATES

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_OWL = "http://www.w3.org/2002/07/owl#"
_DCT = "http://purl.org/dc/terms/"
_A = f"{BASE}ontology#"

_PREFIXES = f"PREFIX aikg: <{_A}>\nPREFIX rdf: <{_RDF}>\n"
_CLASSES = " ".join(f"aikg:{t}" for t in ENTITY_TYPES)
_PROPS = " ".join(f"aikg:{p}" for p in PREDICATES)
_ENTITY_PROPS = f"<{_RDFS}label> <{_SKOS}altLabel> <{_OWL}sameAs> aikg:mentionCount aikg:mentionedIn"

#: string-keyed copies (rdflib terms do not hash like plain strings)
_CLASS_TYPE: dict[str, str] = {str(k): v for k, v in CLASS_TYPE.items()}
_PREDICATE: dict[str, str] = {str(k): v for k, v in PROPERTY_PREDICATE.items()}

Q_TYPES = _PREFIXES + f"SELECT ?e ?cls WHERE {{ VALUES ?cls {{ {_CLASSES} }} ?e a ?cls }}"
Q_ENTITY_PROPS = _PREFIXES + f"SELECT ?e ?p ?v WHERE {{ VALUES ?p {{ {_ENTITY_PROPS} }} ?e ?p ?v }}"
Q_RELATIONS = _PREFIXES + f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_PROPS} }} ?s ?p ?o }}"
Q_EVIDENCE = _PREFIXES + """SELECT ?s ?p ?o ?doc ?sec ?sentence ?start ?end ?extractor ?confidence WHERE {
  ?ev a aikg:Evidence ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?ev aikg:inDocument ?doc } OPTIONAL { ?ev aikg:inSection ?sec }
  OPTIONAL { ?ev aikg:sentence ?sentence } OPTIONAL { ?ev aikg:startChar ?start }
  OPTIONAL { ?ev aikg:endChar ?end } OPTIONAL { ?ev aikg:extractor ?extractor }
  OPTIONAL { ?ev aikg:confidence ?confidence }
}"""
Q_DOCUMENTS = _PREFIXES + "SELECT ?d ?p ?v WHERE { ?d a aikg:Document ; ?p ?v }"
Q_SECTIONS = _PREFIXES + "SELECT ?s ?p ?v WHERE { ?s a aikg:Section ; ?p ?v }"
Q_BUILD = _PREFIXES + "SELECT ?p ?v WHERE { ?b a aikg:Build ; ?p ?v }"


@dataclass(frozen=True, slots=True)
class DocInfo:
    iri: str
    id: str
    title: str | None = None
    issue: int | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceInfo:
    document: DocInfo
    section: str | None  # section title
    section_index: int | None
    sentence: str
    start: int | None
    end: int | None
    extractor: str | None
    confidence: float | None


@dataclass(frozen=True, slots=True)
class EntityInfo:
    key: str
    iri: str
    name: str
    type: str
    aliases: tuple[str, ...]
    wikidata: str | None  # full Wikidata IRI
    mentions: int
    documents: tuple[DocInfo, ...]


@dataclass(frozen=True, slots=True)
class Edge:
    subject: str  # entity key
    predicate: str
    object: str  # entity key
    evidence: tuple[EvidenceInfo, ...]
    confidence: float | None  # noisy-or of the evidence, None without evidence


@dataclass(frozen=True, slots=True)
class BuildInfo:
    pipeline_version: str | None = None
    model_name: str | None = None
    model_version: str | None = None
    built_at: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the lookups need, indexed for constant-time access."""

    entities: dict[str, EntityInfo]
    documents: dict[str, DocInfo]  # by IRI
    edges: tuple[Edge, ...]
    outgoing: dict[str, tuple[int, ...]]  # entity key -> edge positions
    incoming: dict[str, tuple[int, ...]]
    by_predicate: dict[str, tuple[int, ...]]
    type_counts: dict[str, int]
    index: NameIndex
    build: BuildInfo
    triples: int
    evidence_count: int


def _rows(store: ox.Store, query: str) -> Iterator[list[str | None]]:
    """The solutions of a SELECT as lexical values (None when unbound).

    Serialized to SPARQL CSV inside Oxigraph and read back with the csv
    module: several times faster than touching a Python term per cell, which
    matters on a graph of a million triples.
    """
    data = store.query(query).serialize(format=ox.QueryResultsFormat.CSV)  # type: ignore[union-attr]
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(reader, None)  # header
    for row in reader:
        yield [cell if cell != "" else None for cell in row]


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def entity_key(iri: str) -> str:
    """The key ``<type>/<slug>`` of an entity IRI (the IRI itself if foreign)."""
    return iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri


def _grouped(store: ox.Store, query: str) -> dict[str, dict[str, list[str]]]:
    """``node -> property -> values`` from a ``SELECT ?node ?p ?v`` query."""
    groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for node, prop, value in _rows(store, query):
        if node is not None and prop is not None and value is not None:
            groups[node][prop].append(value)
    return groups


def _first(props: dict[str, list[str]], prop: str) -> str | None:
    values = props.get(prop)
    return values[0] if values else None


def _load_documents(store: ox.Store) -> dict[str, DocInfo]:
    docs: dict[str, DocInfo] = {}
    for iri, props in _grouped(store, Q_DOCUMENTS).items():
        docs[iri] = DocInfo(
            iri=iri,
            id=_first(props, f"{_DCT}identifier") or iri.rsplit("/", 1)[-1],
            title=_first(props, f"{_DCT}title"),
            issue=_int(_first(props, str(AIKG.issueNumber))),
            date=_first(props, f"{_DCT}date"),
        )
    return docs


def _doc(docs: dict[str, DocInfo], iri: str) -> DocInfo:
    return docs.get(iri) or DocInfo(iri=iri, id=iri.rsplit("/", 1)[-1])


def _load_evidence(store: ox.Store, docs: dict[str, DocInfo]) -> dict[tuple[str, str, str], list[EvidenceInfo]]:
    sections = {
        iri: (_first(p, f"{_DCT}title"), _int(_first(p, str(AIKG.sectionIndex))))
        for iri, p in _grouped(store, Q_SECTIONS).items()
    }
    found: dict[tuple[str, str, str], list[EvidenceInfo]] = defaultdict(list)
    for s, p, o, doc_iri, section_iri, sentence, start, end, extractor, confidence in _rows(store, Q_EVIDENCE):
        predicate = _PREDICATE.get(p or "")
        if s is None or o is None or predicate is None:
            continue
        title, index = sections.get(section_iri or "", (None, None))
        if doc_iri is None and section_iri is not None:
            doc_iri = section_iri.split("/section/")[0]
        found[(entity_key(s), predicate, entity_key(o))].append(
            EvidenceInfo(
                document=_doc(docs, doc_iri or ""),
                section=title,
                section_index=index,
                sentence=sentence or "",
                start=_int(start),
                end=_int(end),
                extractor=extractor,
                confidence=_float(confidence),
            )
        )
    return found


def _load_entities(store: ox.Store, docs: dict[str, DocInfo]) -> dict[str, EntityInfo]:
    types: dict[str, str] = {}
    for e, cls in _rows(store, Q_TYPES):
        if e is not None and cls in _CLASS_TYPE:
            types.setdefault(e, _CLASS_TYPE[cls])
    props = _grouped(store, Q_ENTITY_PROPS)
    entities: dict[str, EntityInfo] = {}
    for iri, etype in types.items():
        p = props.get(iri, {})
        key = entity_key(iri)
        name = _first(p, f"{_RDFS}label") or key.rsplit("/", 1)[-1]
        aliases = sorted(set(p.get(f"{_SKOS}altLabel", ())) - {name})
        wikidata = next((v for v in p.get(f"{_OWL}sameAs", ()) if v.startswith(str(WD))), None)
        mentioned = sorted(
            {_doc(docs, d) for d in p.get(str(AIKG.mentionedIn), ())},
            key=lambda d: (d.issue is None, d.issue or 0, d.id),
        )
        entities[key] = EntityInfo(
            key=key,
            iri=iri,
            name=name,
            type=etype,
            aliases=tuple(aliases),
            wikidata=wikidata,
            mentions=_int(_first(p, str(AIKG.mentionCount))) or len(mentioned),
            documents=tuple(mentioned),
        )
    return entities


def _noisy_or(evidence: list[EvidenceInfo]) -> float | None:
    scores = [e.confidence for e in evidence if e.confidence is not None]
    if not scores:
        return None
    miss = 1.0
    for c in scores:
        miss *= 1.0 - max(0.0, min(1.0, c))
    return round(1.0 - miss, 4)


def _evidence_order(e: EvidenceInfo) -> tuple[Any, ...]:
    return (-(e.confidence or 0.0), e.document.id, e.start or 0)


def _load_build(store: ox.Store) -> BuildInfo:
    values = {p: v for p, v in _rows(store, Q_BUILD) if p is not None}
    return BuildInfo(
        pipeline_version=values.get(str(AIKG.pipelineVersion)),
        model_name=values.get(str(AIKG.modelName)),
        model_version=values.get(str(AIKG.modelVersion)),
        built_at=values.get(str(AIKG.builtAt)),
    )


def load_snapshot(store: ox.Store) -> Snapshot:
    """Read the whole graph view the API needs, with a few bulk queries."""
    docs = _load_documents(store)
    entities = _load_entities(store, docs)
    evidence = _load_evidence(store, docs)
    triples = {
        (entity_key(s), _PREDICATE[p], entity_key(o))
        for s, p, o in _rows(store, Q_RELATIONS)
        if s is not None and p in _PREDICATE and o is not None
    }
    keys = [k for k in triples | set(evidence) if k[0] in entities and k[2] in entities]
    keys.sort(key=lambda k: (entities[k[0]].name.casefold(), k[1], entities[k[2]].name.casefold(), k))
    edges = tuple(
        Edge(s, p, o, tuple(sorted(evidence.get((s, p, o), []), key=_evidence_order)), _noisy_or(evidence.get((s, p, o), [])))
        for s, p, o in keys
    )
    outgoing: dict[str, list[int]] = defaultdict(list)
    incoming: dict[str, list[int]] = defaultdict(list)
    by_predicate: dict[str, list[int]] = defaultdict(list)
    for pos, edge in enumerate(edges):
        outgoing[edge.subject].append(pos)
        incoming[edge.object].append(pos)
        by_predicate[edge.predicate].append(pos)
    index = build_index(
        IndexEntry(e.key, e.name, e.type, e.aliases, e.mentions) for e in entities.values()
    )
    return Snapshot(
        entities=entities,
        documents=docs,
        edges=edges,
        outgoing={k: tuple(v) for k, v in outgoing.items()},
        incoming={k: tuple(v) for k, v in incoming.items()},
        by_predicate={k: tuple(v) for k, v in by_predicate.items()},
        type_counts=dict(Counter(e.type for e in entities.values())),
        index=index,
        build=_load_build(store),
        triples=len(store),
        evidence_count=sum(len(v) for v in evidence.values()),
    )
