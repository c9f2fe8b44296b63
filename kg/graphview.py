"""An aikg RDF graph seen as a networkx graph, for Gephi, GraphML and plots.

:func:`to_networkx` is pure: it reads an :class:`rdflib.Graph` in the aikg RDF
model (docs/ARCHITECTURE.md) and returns a :class:`networkx.MultiDiGraph` with
one node per entity (keyed by entity key), one edge per relation triple
(``kind="relation"``, keyed ``subject|predicate|object``) and, on request,
co-mention edges (``kind="comention"``). Values are native Python (tuples,
``None``); :func:`flat_attributes` makes them writer-safe. The attributes and
the palette are documented in docs/GEPHI.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

import networkx as nx
from rdflib import Graph, Literal as RDFLiteral, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.plugins.stores.memory import Memory

from kg.ontology.namespace import AIKG, ID, PREDICATE_PROPERTY, PROPERTY_PREDICATE, TYPE_CLASS, WD
from kg.types import ENTITY_TYPES, PREDICATES

#: One fixed colour per entity type (Okabe-Ito, safe for colour-blind readers).
TYPE_COLORS: dict[str, str] = {
    "Organization": "#0072B2",
    "Model": "#E69F00",
    "Paper": "#009E73",
    "Person": "#CC79A7",
    "Country": "#D55E00",
    "Benchmark": "#56B4E9",
}
OTHER_COLOR = "#999999"
COMENTION_COLOR = "#BBBBBB"
ALIAS_SEPARATOR = "; "
MIN_SIZE = 4.0
MAX_SIZE = 40.0

SizeBy = Literal["degree", "mentions"]
Comention = Literal["section", "document"]
Spell = tuple[int | str, int | str]


@dataclass(frozen=True, slots=True)
class ViewOptions:
    """What to keep and add when turning the RDF graph into a networkx graph.

    Attributes:
        types: entity types to keep (all when ``None``).
        predicates: relation predicates to keep (all when ``None``).
        min_confidence: drop relations whose confidence is below this.
        comention: add co-mention edges between entities named in the same
            ``"section"`` or ``"document"``; ``None`` adds none.
        drop_isolates: drop nodes left without any edge.
        size_by: node ``size`` from ``"degree"`` or ``"mentions"``.
        cumulative: one spell from the first mention to the last issue of the
            corpus (the graph only grows) instead of one spell per run of
            consecutive issues with a mention.
    """

    types: frozenset[str] | None = None
    predicates: frozenset[str] | None = None
    min_confidence: float = 0.0
    comention: Comention | None = None
    drop_isolates: bool = False
    size_by: SizeBy = "degree"
    cumulative: bool = False

    def __post_init__(self) -> None:
        _check_names("type", self.types, ENTITY_TYPES)
        _check_names("predicate", self.predicates, PREDICATES)
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence={self.min_confidence!r}: expected a number in [0, 1]")
        if self.comention not in (None, "section", "document"):
            raise ValueError(f"comention={self.comention!r}: expected 'section', 'document' or None")
        if self.size_by not in ("degree", "mentions"):
            raise ValueError(f"size_by={self.size_by!r}: expected 'degree' or 'mentions'")


def _check_names(what: str, given: frozenset[str] | None, valid: tuple[str, ...]) -> None:
    if given is None:
        return
    unknown = sorted(set(given) - set(valid))
    if unknown:
        raise ValueError(f"unknown {what} {', '.join(map(repr, unknown))}: expected one of {', '.join(valid)}")


def view_options(**options: Any) -> ViewOptions:
    """:class:`ViewOptions` from keyword arguments, accepting any iterable of names."""
    for name in ("types", "predicates"):
        value = options.get(name)
        if value is not None:
            if isinstance(value, str):
                value = [value]
            options[name] = frozenset(value)
    try:
        return ViewOptions(**options)
    except TypeError as err:
        valid = ", ".join(ViewOptions.__dataclass_fields__)
        raise ValueError(f"{err}; valid view options are: {valid}") from None


# ---------------------------------------------------------------- reading RDF


@dataclass(frozen=True, slots=True)
class _Doc:
    ident: str
    issue: int | None
    date: str | None


@dataclass(frozen=True, slots=True)
class _Ev:
    doc: URIRef | None
    section: URIRef | None
    sentence: str
    start: int
    confidence: float


def _one(graph: Graph, s: URIRef, p: URIRef) -> Any:
    value = graph.value(s, p)
    return value.toPython() if isinstance(value, RDFLiteral) else value


def _documents(graph: Graph) -> dict[URIRef, _Doc]:
    docs: dict[URIRef, _Doc] = {}
    for d in graph.subjects(RDF.type, AIKG.Document):
        ident = _one(graph, d, DCTERMS.identifier) or str(d).rsplit("/", 1)[-1]
        issue = _one(graph, d, AIKG.issueNumber)
        date = _one(graph, d, DCTERMS.date)
        docs[d] = _Doc(
            ident=str(ident),
            issue=int(issue) if issue is not None else None,
            date=str(date)[:10] if date is not None else None,
        )
    return docs


def _time_points(docs: dict[URIRef, _Doc]) -> tuple[dict[URIRef, int | str], str]:
    """The time of each document and the GEXF timeformat: dates, issues or order."""
    order = sorted(docs, key=lambda d: (docs[d].issue or 0, docs[d].date or "", docs[d].ident))
    if docs and all(d.date for d in docs.values()):
        return {d: docs[d].date or "" for d in docs}, "date"
    if all(d.issue is not None for d in docs.values()):
        return {d: docs[d].issue or 0 for d in docs}, "integer"
    return {d: i + 1 for i, d in enumerate(order)}, "integer"


def _spells(points: Iterable[int | str], axis: list[int | str], cumulative: bool) -> tuple[Spell, ...]:
    """Runs of consecutive corpus time points as closed ``(start, end)`` spells."""
    present = sorted(set(points))
    if not present:
        return ()
    if cumulative:
        return ((present[0], axis[-1]),)
    position = {t: i for i, t in enumerate(axis)}
    spells: list[Spell] = []
    start = prev = present[0]
    for t in present[1:]:
        if position[t] != position[prev] + 1:
            spells.append((start, prev))
            start = t
        prev = t
    spells.append((start, prev))
    return tuple(spells)


def _evidence(graph: Graph) -> dict[tuple[URIRef, str, URIRef], list[_Ev]]:
    found: dict[tuple[URIRef, str, URIRef], list[_Ev]] = defaultdict(list)
    for ev in graph.subjects(RDF.type, AIKG.Evidence):
        s, p, o = (graph.value(ev, RDF.subject), graph.value(ev, RDF.predicate), graph.value(ev, RDF.object))
        if s is None or o is None or p not in PROPERTY_PREDICATE:
            continue
        conf = _one(graph, ev, AIKG.confidence)
        start = _one(graph, ev, AIKG.startChar)
        found[(s, PROPERTY_PREDICATE[p], o)].append(
            _Ev(
                doc=graph.value(ev, AIKG.inDocument),
                section=graph.value(ev, AIKG.inSection),
                sentence=str(_one(graph, ev, AIKG.sentence) or ""),
                start=int(start) if start is not None else 0,
                confidence=float(conf) if conf is not None else 1.0,
            )
        )
    return found


def _entity_type(graph: Graph, e: URIRef) -> str | None:
    classes = set(graph.objects(e, RDF.type))
    return next((t for t in ENTITY_TYPES if TYPE_CLASS[t] in classes), None)


def _key(e: URIRef) -> str:
    return str(e)[len(str(ID)) :] if str(e).startswith(str(ID)) else str(e)


def _noisy_or(confidences: Iterable[float]) -> float:
    miss = 1.0
    for c in confidences:
        miss *= 1.0 - c
    return round(1.0 - miss, 4)


# ---------------------------------------------------------------- the view


def to_networkx(graph: Graph, options: ViewOptions | None = None) -> nx.MultiDiGraph:
    """The entity-relation graph of ``graph`` as a networkx MultiDiGraph."""
    opts = options or ViewOptions()
    graph = _in_memory(graph)  # many small lookups follow
    docs = _documents(graph)
    time_of, timeformat = _time_points(docs)
    axis = sorted(set(time_of.values()))
    evidence = _evidence(graph)
    section_doc = {s: d for s in graph.subjects(RDF.type, AIKG.Section) if (d := graph.value(s, DCTERMS.isPartOf))}

    view = nx.MultiDiGraph(timeformat=timeformat, time_source=_time_source(docs, timeformat))
    built = next((b for b in graph.objects(None, AIKG.builtAt)), None)
    if built is not None:
        view.graph["built_at"] = str(built)
    entity_docs: dict[URIRef, set[URIRef]] = defaultdict(set)
    entity_sections: dict[URIRef, set[URIRef]] = defaultdict(set)
    for etype in ENTITY_TYPES:
        if opts.types is not None and etype not in opts.types:
            continue
        for e in graph.subjects(RDF.type, TYPE_CLASS[etype]):
            if _entity_type(graph, e) != etype:
                continue
            for place in graph.objects(e, AIKG.mentionedIn):
                if place in section_doc:
                    entity_sections[e].add(place)
                    entity_docs[e].add(section_doc[place])
                else:
                    entity_docs[e].add(place)
            view.add_node(_key(e), **_node_attributes(graph, e, etype))

    for (s, _, o), evs in evidence.items():  # an entity is also named where its evidence is
        for ev, e in ((ev, e) for ev in evs for e in (s, o)):
            entity_docs[e].update([ev.doc] if ev.doc is not None else [])
            entity_sections[e].update([ev.section] if ev.section is not None else [])

    for pred, prop in PREDICATE_PROPERTY.items():
        if opts.predicates is not None and pred not in opts.predicates:
            continue
        for s, o in graph.subject_objects(prop):
            if not (view.has_node(_key(s)) and view.has_node(_key(o))):
                continue
            attrs = _edge_attributes(pred, evidence.get((s, pred, o), []), docs, time_of, axis, opts)
            if attrs["confidence"] < opts.min_confidence:
                continue
            view.add_edge(_key(s), _key(o), key=f"{_key(s)}|{pred}|{_key(o)}", **attrs)

    for e, places in entity_docs.items():
        node = _key(e)
        if view.has_node(node):
            view.nodes[node].update(_time_attributes(places, docs, time_of, axis, opts))
            view.nodes[node]["documents"] = len(places)
    for node, data in view.nodes(data=True):
        if "spells" not in data:
            data.update(_time_attributes(set(), docs, time_of, axis, opts))

    if opts.comention is not None:
        places = entity_sections if opts.comention == "section" else entity_docs
        _add_comentions(view, places, section_doc, docs, time_of, axis, opts)
    if opts.drop_isolates:
        view.remove_nodes_from([n for n in list(view) if view.degree(n) == 0])
    _set_sizes(view, opts.size_by)
    return view


def _time_source(docs: dict[URIRef, _Doc], timeformat: str) -> str:
    if timeformat == "date":
        return "dcterms:date"
    return "aikg:issueNumber" if all(d.issue is not None for d in docs.values()) else "document order"


def _in_memory(graph: Graph) -> Graph:
    """``graph`` itself, or an in-memory copy when it sits on another store (Oxigraph)."""
    if isinstance(graph.store, Memory):
        return graph
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _node_attributes(graph: Graph, e: URIRef, etype: str) -> dict[str, Any]:
    label = _one(graph, e, RDFS.label)
    wikidata = next(
        (str(o)[len(str(WD)) :] for o in graph.objects(e, OWL.sameAs) if str(o).startswith(str(WD))), None
    )
    mentions = _one(graph, e, AIKG.mentionCount)
    return {
        "label": str(label) if label is not None else _key(e),
        "type": etype,
        "iri": str(e),
        "aliases": tuple(sorted(str(a) for a in graph.objects(e, SKOS.altLabel))),
        "wikidata": wikidata,
        "mentions": int(mentions) if mentions is not None else 0,
        "documents": 0,
        "color": TYPE_COLORS.get(etype, OTHER_COLOR),
    }


def _time_attributes(
    places: set[URIRef], docs: dict[URIRef, _Doc], time_of: dict[URIRef, int | str], axis: list[int | str],
    opts: ViewOptions,
) -> dict[str, Any]:
    known = [d for d in places if d in docs]
    issues = sorted({docs[d].issue for d in known if docs[d].issue is not None})
    return {
        "issues": tuple(issues),
        "first_issue": issues[0] if issues else None,
        "last_issue": issues[-1] if issues else None,
        "spells": _spells((time_of[d] for d in known), axis, opts.cumulative),
    }


def _edge_attributes(
    pred: str, evs: list[_Ev], docs: dict[URIRef, _Doc], time_of: dict[URIRef, int | str], axis: list[int | str],
    opts: ViewOptions,
) -> dict[str, Any]:
    sentences: dict[tuple[URIRef | None, str], float] = {}
    for ev in evs:  # one sentence read by several rules is one piece of evidence
        key = (ev.doc, " ".join(ev.sentence.split()))
        sentences[key] = max(ev.confidence, sentences.get(key, 0.0))
    rank = sorted(evs, key=lambda ev: (-ev.confidence, str(time_of.get(ev.doc, "")) if ev.doc else "", ev.start))
    best = rank[0] if rank else None
    source = docs[best.doc].ident if best and best.doc in docs else (str(best.doc) if best and best.doc else "")
    attrs: dict[str, Any] = {
        "kind": "relation",
        "label": pred,
        "predicate": pred,
        "weight": len(sentences),
        "confidence": _noisy_or(sentences.values()),
        "evidence": best.sentence if best else "",
        "source": source,
    }
    attrs.update(_time_attributes({ev.doc for ev in evs if ev.doc is not None}, docs, time_of, axis, opts))
    return attrs


def _add_comentions(
    view: nx.MultiDiGraph, places: dict[URIRef, set[URIRef]], section_doc: dict[URIRef, URIRef],
    docs: dict[URIRef, _Doc], time_of: dict[URIRef, int | str], axis: list[int | str], opts: ViewOptions,
) -> None:
    """One ``comention`` edge per pair named together, weight = shared places."""
    named: dict[URIRef, set[str]] = defaultdict(set)
    for e, where in places.items():
        if view.has_node(_key(e)):
            for place in where:
                named[place].add(_key(e))
    shared: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    for place, keys in named.items():
        for a, b in combinations(sorted(keys), 2):
            shared[(a, b)].add(place)
    for (a, b), where in sorted(shared.items()):
        in_docs = {section_doc.get(p, p) for p in where}
        first = min(in_docs, key=lambda d: str(time_of.get(d, "")))
        attrs: dict[str, Any] = {
            "kind": "comention",
            "label": "co-mention",
            "predicate": "coMention",
            "weight": len(where),
            "confidence": 1.0,
            "evidence": "",
            "source": docs[first].ident if first in docs else str(first),
        }
        attrs.update(_time_attributes(in_docs, docs, time_of, axis, opts))
        view.add_edge(a, b, key=f"{a}|coMention|{b}", **attrs)


def _set_sizes(view: nx.MultiDiGraph, size_by: SizeBy) -> None:
    """``size`` in [MIN_SIZE, MAX_SIZE], by square root of degree or mentions."""
    def measure(node: str) -> float:
        if size_by == "mentions":
            return float(view.nodes[node].get("mentions", 0))
        return float(view.degree(node))

    values = {n: measure(n) for n in view}
    top = max(values.values(), default=0.0)
    for n, v in values.items():
        share = math.sqrt(v / top) if top > 0 else 0.0
        view.nodes[n]["size"] = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * share, 2)


# ---------------------------------------------------------------- for writers


def flat_value(value: Any) -> Any:
    """A value that GEXF and GraphML writers accept: tuples joined, ``None`` dropped."""
    if value is None:
        return None
    if isinstance(value, (tuple, list, set, frozenset)):
        return ALIAS_SEPARATOR.join(str(v) for v in value)
    return value


def flat_attributes(data: dict[str, Any], *, keep: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Copy of ``data`` with tuples joined into strings and ``None`` values left out.

    Keys in ``keep`` are copied unchanged (e.g. ``spells`` for the GEXF writer).
    """
    flat: dict[str, Any] = {}
    for name, value in data.items():
        out = value if name in keep else flat_value(value)
        if out is not None:
            flat[name] = out
    return flat
