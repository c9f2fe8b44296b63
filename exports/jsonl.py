"""JSON Lines export in the gold format of the evaluation guidelines.

One ``"kind": "entity"`` line per entity node, then one ``"kind": "relation"``
line per relation triple, with all its evidence. Lines are sorted, so the
same graph always gives the same text. The graph is read by walking the
triples of one predicate at a time into dictionaries (a handful of index
scans), which stays fast on a million-triple graph and on any rdflib store.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from kg.fsutil import atomic_write_text
from kg.ontology.namespace import AIKG, CLASS_TYPE, PROPERTY_PREDICATE, WD

Row = dict[str, Any]


def serialize_jsonl(graph: Graph) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in generate_rows(graph))


def write_jsonl(graph: Graph, path: str | os.PathLike[str]) -> Path:
    """Write the export atomically (see :func:`kg.fsutil.atomic_write_text`)."""
    target = Path(path)
    atomic_write_text(target, serialize_jsonl(graph))
    return target


def generate_rows(graph: Graph) -> Iterator[Row]:
    """Entity rows sorted by (type, name, id), then relation rows sorted by names and predicate."""
    doc_ids = _literal_map(graph, DCTERMS.identifier)
    titles = _literal_map(graph, DCTERMS.title)
    labels = _literal_map(graph, RDFS.label)
    yield from sorted(_entity_rows(graph, labels, doc_ids), key=lambda r: (r["type"], r["name"], r["id"]))
    yield from sorted(
        _relation_rows(graph, labels, doc_ids, titles),
        key=lambda r: (r["subject"], r["predicate"], r["object"], r["subject_id"], r["object_id"]),
    )


def noisy_or(confidences: list[float]) -> float:
    """The chance that at least one independent piece of evidence is right."""
    miss = 1.0
    for c in confidences:
        miss *= 1.0 - c
    return round(1.0 - miss, 4)


def _entity_rows(graph: Graph, labels: dict[Node, str], doc_ids: dict[Node, str]) -> Iterator[Row]:
    aliases = _multi_map(graph, SKOS.altLabel)
    docs = _multi_map(graph, AIKG.mentionedIn)
    same = _multi_map(graph, OWL.sameAs)
    for cls, etype in CLASS_TYPE.items():
        for node in graph.subjects(RDF.type, cls):
            wikidata = sorted(str(s)[len(WD):] for s in same.get(node, ()) if str(s).startswith(str(WD)))
            yield {
                "kind": "entity",
                "name": labels.get(node, str(node)),
                "type": etype,
                "aliases": sorted({str(a) for a in aliases.get(node, ())}),
                "id": str(node),
                "wikidata": wikidata[0] if wikidata else None,
                "documents": sorted({doc_ids.get(d, str(d)) for d in docs.get(node, ())}),
            }


def _relation_rows(
    graph: Graph, labels: dict[Node, str], doc_ids: dict[Node, str], titles: dict[Node, str]
) -> Iterator[Row]:
    evidence = _evidence_by_triple(graph, doc_ids, titles)
    for prop, predicate in PROPERTY_PREDICATE.items():
        for s, o in graph.subject_objects(prop):
            evs = sorted(
                evidence.get((s, prop, o), []),
                key=lambda e: (e["document"], e["start"], e["end"], e["extractor"], e["sentence"]),
            )
            yield {
                "kind": "relation",
                "subject": labels.get(s, str(s)),
                "predicate": predicate,
                "object": labels.get(o, str(o)),
                "subject_id": str(s),
                "object_id": str(o),
                "evidence": evs[0]["sentence"] if evs else None,
                "source": evs[0]["document"] if evs else None,
                "confidence": noisy_or([e["confidence"] for e in evs]),
                "evidences": evs,
            }


def _evidence_by_triple(
    graph: Graph, doc_ids: dict[Node, str], titles: dict[Node, str]
) -> dict[tuple[Node, Node, Node], list[Row]]:
    nodes = set(graph.subjects(RDF.type, AIKG.Evidence))
    field = {
        name: {s: o for s, o in graph.subject_objects(prop) if s in nodes}
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
    out: dict[tuple[Node, Node, Node], list[Row]] = defaultdict(list)
    for node in nodes:
        triple = (field["s"].get(node), field["p"].get(node), field["o"].get(node))
        if None in triple:
            continue
        doc, section = field["doc"].get(node), field["section"].get(node)
        out[triple].append(  # type: ignore[index]
            {
                "document": doc_ids.get(doc, str(doc)) if doc is not None else None,
                "section": titles.get(section) if section is not None else None,
                "sentence": _py(field["sentence"].get(node), str, ""),
                "start": _py(field["start"].get(node), int, -1),
                "end": _py(field["end"].get(node), int, -1),
                "extractor": _py(field["extractor"].get(node), str, ""),
                "confidence": _py(field["confidence"].get(node), float, 0.0),
            }
        )
    return out


def _literal_map(graph: Graph, prop: URIRef) -> dict[Node, str]:
    return {s: str(o) for s, o in graph.subject_objects(prop) if isinstance(o, Literal)}


def _multi_map(graph: Graph, prop: URIRef) -> dict[Node, list[Node]]:
    out: dict[Node, list[Node]] = defaultdict(list)
    for s, o in graph.subject_objects(prop):
        out[s].append(o)
    return out


def _py(node: Node | None, kind: type, default: Any) -> Any:
    if node is None:
        return default
    value = node.toPython() if isinstance(node, Literal) else node
    return kind(value)
