"""CSV export: one row per relation and piece of evidence.

Columns: the relation (subject, predicate, object, with labels), then the
evidence sentence and where it was read (document id, source file, section,
character offsets, extractor rule, confidence). A relation with several
supporting sentences has one row per sentence; a relation without evidence
has one row with empty evidence columns. Rows are sorted, so two exports of
one graph are identical.
"""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from kg.fsutil import atomic_write_bytes
from kg.ontology.namespace import AIKG, PREDICATE_PROPERTY, PROPERTY_PREDICATE


@dataclass(frozen=True, slots=True, order=True)
class CsvRow:
    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    sentence: str = ""
    document: str = ""
    source: str = ""
    section: str = ""
    start: str = ""
    end: str = ""
    extractor: str = ""
    confidence: str = ""


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(CsvRow))


def _text(graph: Graph, node: Node | None, prop: URIRef) -> str:
    if node is None:
        return ""
    value = graph.value(node, prop)
    return "" if value is None else str(value)


def _evidence(graph: Graph) -> dict[tuple[Node, Node, Node], list[Node]]:
    found: dict[tuple[Node, Node, Node], list[Node]] = {}
    for ev in graph.subjects(RDF.type, AIKG.Evidence):
        key = (graph.value(ev, RDF.subject), graph.value(ev, RDF.predicate), graph.value(ev, RDF.object))
        if None not in key:
            found.setdefault(key, []).append(ev)  # type: ignore[arg-type]
    return found


def relation_rows(graph: Graph) -> list[CsvRow]:
    """The rows of the CSV export, sorted."""
    evidence = _evidence(graph)
    rows: list[CsvRow] = []
    for prop in PREDICATE_PROPERTY.values():
        for s, _, o in graph.triples((None, prop, None)):
            base = (str(s), _text(graph, s, RDFS.label), PROPERTY_PREDICATE[prop], str(o), _text(graph, o, RDFS.label))
            pieces = evidence.get((s, prop, o), [])
            if not pieces:
                rows.append(CsvRow(*base))
            for ev in pieces:
                doc = graph.value(ev, AIKG.inDocument)
                rows.append(
                    CsvRow(
                        *base,
                        sentence=_text(graph, ev, AIKG.sentence),
                        document=_text(graph, doc, DCTERMS.identifier) or ("" if doc is None else str(doc)),
                        source=_text(graph, doc, AIKG.sourceLocation),
                        section=_text(graph, graph.value(ev, AIKG.inSection), DCTERMS.title),
                        start=_text(graph, ev, AIKG.startChar),
                        end=_text(graph, ev, AIKG.endChar),
                        extractor=_text(graph, ev, AIKG.extractor),
                        confidence=_text(graph, ev, AIKG.confidence),
                    )
                )
    return sorted(rows)


def serialize_csv(graph: Graph) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(astuple(r) for r in relation_rows(graph))
    return buffer.getvalue()


def write_csv(graph: Graph, path: str | Path) -> Path:
    out = Path(path)
    atomic_write_bytes(out, serialize_csv(graph).encode("utf-8"))
    return out
