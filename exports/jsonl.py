"""JSON Lines export in the gold format of the evaluation guidelines.

One ``"kind": "entity"`` line per entity node, then one ``"kind": "relation"``
line per relation triple, with all its evidence. Lines are sorted, so the
same graph always gives the same text. The graph is read one predicate at a
time into dictionaries (a handful of index scans): from the triples of
:func:`kg.assemble.graph_triples` (what a build does), from an Oxigraph store
(a build's store, or an oxrdflib-backed graph), else through rdflib's API.
Each stays fast on a million triples.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg.assemble import Lit, Triple
from kg.fsutil import atomic_write_text
from kg.ontology.namespace import AIKG, CLASS_TYPE, PROPERTY_PREDICATE, WD
from kg.store import ox_store_of
from kg.types import DocResult, Entity, Relation

Row = dict[str, Any]
#: (subject IRI, object IRI or lexical form, whether the object is a literal)
Pair = tuple[str, str, bool]
Pairs = Callable[[str], Iterable[Pair]]
Source = Graph | ox.Store | Sequence[Triple]


#: one encoder for every row (``json.dumps`` with an option builds a new one per call)
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def serialize_jsonl(graph: Source) -> str:
    return _lines(generate_rows(graph))


def write_jsonl(graph: Source, path: str | os.PathLike[str]) -> Path:
    """Write the export atomically (see :func:`kg.fsutil.atomic_write_text`)."""
    return write_jsonl_rows(generate_rows(graph), path)


def _lines(rows: Iterable[Row]) -> str:
    return "".join([_ENCODE(row) + "\n" for row in rows])


def generate_rows(graph: Source) -> Iterator[Row]:
    """Entity rows sorted by (type, name, id), then relation rows sorted by names and predicate."""
    pairs = _pair_reader(graph)
    doc_ids = _literal_map(pairs, DCTERMS.identifier)
    titles = _literal_map(pairs, DCTERMS.title)
    labels = _literal_map(pairs, RDFS.label)
    types = _multi_map(pairs, RDF.type)
    yield from _ordered(_entity_rows(pairs, types, labels, doc_ids), _relation_rows(pairs, types, labels, doc_ids, titles))


def _ordered(entity_rows: Iterable[Row], relation_rows: Iterable[Row]) -> Iterator[Row]:
    yield from sorted(entity_rows, key=lambda r: (r["type"], r["name"], r["id"]))
    yield from sorted(relation_rows, key=lambda r: (r["subject"], r["predicate"], r["object"], r["subject_id"], r["object_id"]))


def write_jsonl_rows(rows: Iterable[Row], path: str | os.PathLike[str]) -> Path:
    """Write rows (from :func:`generate_rows` or :func:`record_rows`) atomically."""
    target = Path(path)
    atomic_write_text(target, _lines(rows))
    return target


def record_rows(results: Sequence[DocResult], entities: Sequence[Entity], relations: Sequence[Relation]) -> list[Row] | None:
    """The rows of :func:`generate_rows` over ``graph_triples(results, entities, relations, ...)``, read from the
    records that function turns into triples: what a build writes, about seven times faster than going through
    every triple. The records must be ones ``graph_triples`` accepts (a build assembles them first).

    None when the records hold something that only the graph settles: two entities with one key, two relations
    with one subject, predicate and object, two sections of a document with one index (their triples merge).
    ``generate_rows`` then reads the triples. tests/test_export_jsonl.py checks that both give the same rows.
    """
    from kg.assemble import _doc_indexes, _entity_iri, decimal_confidence, entity_aliases, relation_evidence

    if len({e.key for e in entities}) != len(entities):
        return None
    if len({(r.subject, r.predicate, r.object) for r in relations}) != len(relations):
        return None
    if any(len({s.index for s in r.sections}) != len(r.sections) for r in results):
        return None
    docs = _doc_indexes(results)
    section_titles = {index.section_iris[s.index]: s.title for index in docs.values() for s in index.sections}
    by_key = {e.key: e for e in entities}
    entity_rows = [
        {
            "kind": "entity",
            "name": e.name,
            "type": e.type,
            "aliases": entity_aliases(e),
            "id": str(_entity_iri(e.key)),
            "wikidata": e.wikidata or None,
            "documents": sorted(set(e.documents)),
        }
        for e in entities
    ]
    confidences: dict[float, float] = {}
    relation_rows = []
    for rel in relations:
        evs: list[Row] = []
        for ev in relation_evidence(rel):
            index = docs[ev.doc_id]
            section = index.section_of(ev)
            confidence = confidences.get(ev.confidence)
            if confidence is None:
                confidence = confidences[ev.confidence] = float(decimal_confidence(ev.confidence))
            evs.append({
                "document": ev.doc_id,
                "section": None if section is None else section_titles[section],
                "sentence": ev.sentence,
                "start": ev.start,
                "end": ev.end,
                "extractor": ev.rule,
                "confidence": confidence,
            })
        evs.sort(key=lambda e: (e["document"], e["start"], e["end"], e["extractor"], e["sentence"]))
        subject, obj = by_key[rel.subject], by_key[rel.object]
        relation_rows.append({
            "kind": "relation",
            "subject": subject.name,
            "predicate": rel.predicate,
            "object": obj.name,
            "subject_id": str(_entity_iri(rel.subject)),
            "object_id": str(_entity_iri(rel.object)),
            "evidence": evs[0]["sentence"] if evs else None,
            "source": evs[0]["document"] if evs else None,
            "confidence": noisy_or([e["confidence"] for e in evs]),
            "evidences": evs,
        })
    return list(_ordered(entity_rows, relation_rows))


def _pair_reader(graph: Source) -> Pairs:
    """``pairs(predicate IRI)``: the (subject, object) pairs of one predicate, as strings."""
    if not isinstance(graph, (Graph, ox.Store)):
        return _triple_list_reader(graph)
    store = graph if isinstance(graph, ox.Store) else ox_store_of(graph)
    if store is not None:
        default = ox.DefaultGraph()

        def ox_pairs(prop: str) -> Iterator[Pair]:
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, default):
                yield q.subject.value, q.object.value, type(q.object) is ox.Literal

        return ox_pairs

    def rdflib_pairs(prop: str) -> Iterator[Pair]:
        for s, o in graph.subject_objects(URIRef(prop)):
            yield str(s), str(o), isinstance(o, Literal)

    return rdflib_pairs


def _triple_list_reader(triples: Iterable[Triple]) -> Pairs:
    # grouped by predicate in one cheap pass; a predicate's pairs are made when first asked for
    by_predicate: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for s, p, o in triples:
        by_predicate[str(p)].append((s, o))
    made: dict[str, Iterable[Pair]] = {}

    def pairs(prop: str) -> Iterable[Pair]:
        key = str(prop)
        if key not in made:
            made[key] = _pair_set(by_predicate.get(key, ()))
        return made[key]

    return pairs


def _pair_set(subject_objects: Iterable[tuple[str, object]]) -> Iterable[Pair]:
    """The distinct pairs in their first order (a repeated triple is one triple)."""
    lit = Lit
    return dict.fromkeys(
        (str(s), o.lexical, True) if type(o) is lit else (str(s), str(o), False)  # type: ignore[attr-defined]
        for s, o in subject_objects
    ).keys()


def noisy_or(confidences: list[float]) -> float:
    """The chance that at least one independent piece of evidence is right."""
    miss = 1.0
    for c in confidences:
        miss *= 1.0 - c
    return round(1.0 - miss, 4)


def _entity_rows(pairs: Pairs, types: dict[str, list[str]], labels: dict[str, str], doc_ids: dict[str, str]) -> Iterator[Row]:
    aliases = _multi_map(pairs, SKOS.altLabel)
    docs = _multi_map(pairs, AIKG.mentionedIn)
    same = _multi_map(pairs, OWL.sameAs)
    classes = {str(cls): etype for cls, etype in CLASS_TYPE.items()}
    wd = str(WD)
    for node, node_types in types.items():
        for cls in dict.fromkeys(node_types):
            etype = classes.get(cls)
            if etype is None:
                continue
            wikidata = sorted(s[len(wd):] for s in same.get(node, ()) if s.startswith(wd))
            yield {
                "kind": "entity",
                "name": labels.get(node, node),
                "type": etype,
                "aliases": sorted(set(aliases.get(node, ()))),
                "id": node,
                "wikidata": wikidata[0] if wikidata else None,
                "documents": sorted({doc_ids.get(d, d) for d in docs.get(node, ())}),
            }


def _relation_rows(
    pairs: Pairs, types: dict[str, list[str]], labels: dict[str, str], doc_ids: dict[str, str], titles: dict[str, str]
) -> Iterator[Row]:
    evidence = _evidence_by_triple(pairs, types, doc_ids, titles)
    for prop, predicate in PROPERTY_PREDICATE.items():
        for s, o, _ in pairs(prop):
            evs = sorted(
                evidence.get((s, str(prop), o), []),
                key=lambda e: (e["document"], e["start"], e["end"], e["extractor"], e["sentence"]),
            )
            yield {
                "kind": "relation",
                "subject": labels.get(s, s),
                "predicate": predicate,
                "object": labels.get(o, o),
                "subject_id": s,
                "object_id": o,
                "evidence": evs[0]["sentence"] if evs else None,
                "source": evs[0]["document"] if evs else None,
                "confidence": noisy_or([e["confidence"] for e in evs]),
                "evidences": evs,
            }


def _evidence_by_triple(
    pairs: Pairs, types: dict[str, list[str]], doc_ids: dict[str, str], titles: dict[str, str]
) -> dict[tuple[str, str, str], list[Row]]:
    evidence_class = str(AIKG.Evidence)
    nodes = {s for s, ts in types.items() if evidence_class in ts}
    field = {
        name: {s: o for s, o, _ in pairs(prop) if s in nodes}
        for name, prop in (
            ("s", RDF.subject),
            ("p", RDF.predicate),
            ("o", RDF.object),
            ("doc", AIKG.inDocument),
            ("section", AIKG.inSection),
            ("sentence", AIKG.sentence),
            ("start", AIKG.startChar),
            ("end", AIKG.endChar),
            ("extractor", AIKG.extractor),
            ("confidence", AIKG.confidence),
        )
    }
    out: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for node in nodes:
        s, p, o = field["s"].get(node), field["p"].get(node), field["o"].get(node)
        if s is None or p is None or o is None:
            continue
        doc, section = field["doc"].get(node), field["section"].get(node)
        out[(s, p, o)].append(
            {
                "document": doc_ids.get(doc, doc) if doc is not None else None,
                "section": titles.get(section) if section is not None else None,
                "sentence": _py(field["sentence"].get(node), str, ""),
                "start": _py(field["start"].get(node), int, -1),
                "end": _py(field["end"].get(node), int, -1),
                "extractor": _py(field["extractor"].get(node), str, ""),
                "confidence": _py(field["confidence"].get(node), float, 0.0),
            }
        )
    return out


def _literal_map(pairs: Pairs, prop: str) -> dict[str, str]:
    return {s: o for s, o, literal in pairs(prop) if literal}


def _multi_map(pairs: Pairs, prop: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for s, o, _ in pairs(prop):
        out[s].append(o)
    return out


def _py(value: str | None, kind: type, default: Any) -> Any:
    return default if value is None else kind(value)
