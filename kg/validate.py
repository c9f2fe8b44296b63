"""Validate a build graph against the SHACL shapes of ``ontology/shapes.ttl``.

The ontology (``ontology/aikg.ttl``) is mixed into an in-memory copy of the
data graph, so ``sh:class`` constraints see the declared subclass links. No
inference is run by default; about 20 s for 50,000 triples on a shared
2-core machine (docs/MODEL.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, NamespaceManager
from rdflib.term import Node

from kg.errors import ValidationError
from kg.ontology.namespace import AIKG

AIKG_NS = str(AIKG._NS)

Inference = Literal["none", "rdfs"]

#: how many example offenders the report lists for each kind of problem
EXAMPLES_PER_PROBLEM = 5


@dataclass(frozen=True, slots=True)
class Problem:
    """One SHACL validation result, in plain words."""

    severity: str
    message: str
    focus: str
    path: str
    value: str


def ontology_graph() -> Graph:
    return _parse("aikg.ttl")


def shapes_graph() -> Graph:
    return _parse("shapes.ttl")


def validate(graph: Graph, *, inference: Inference = "none") -> tuple[bool, str]:
    """Check ``graph`` against the aikg shapes.

    Returns:
        ``(conforms, report)`` where ``report`` is a readable text that
        groups the problems by message, with a count and a few examples.
    """
    conforms, results, _ = shacl_validate(
        working_copy(graph),
        shacl_graph=shapes_graph(),
        inference=inference,
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
        meta_shacl=False,
    )
    if not isinstance(results, Graph):  # pyshacl's ValidationFailure: the shapes themselves are unusable
        raise ValidationError(f"SHACL validation could not run with ontology/shapes.ttl: {results}")
    problems = problems_of(results)
    return bool(conforms), report(problems, triples=len(graph))


def working_copy(graph: Graph) -> Graph:
    """The triples of ``graph`` plus the ontology in one in-memory graph.

    pyshacl runs thousands of small lookups and its SPARQL constraints on
    rdflib's own engine; both are far faster on the in-memory store than
    through a store adapter (e.g. an Oxigraph-backed build), and the copy is
    what pyshacl would otherwise make itself, triple by triple, to mix in
    the ontology.
    """
    copy = Graph()
    copy.addN((s, p, o, copy) for s, p, o in graph.triples((None, None, None)))
    copy.addN((s, p, o, copy) for s, p, o in ontology_graph())
    return copy


def require_valid(graph: Graph, *, inference: Inference = "none") -> None:
    """Raise :class:`ValidationError` with the report when ``graph`` does not conform."""
    conforms, text = validate(graph, inference=inference)
    if not conforms:
        raise ValidationError(text)


def problems_of(results: Graph) -> list[Problem]:
    """The distinct validation results of a pyshacl results graph, sorted."""
    problems = {
        Problem(
            severity=_short(results.value(r, SH.resultSeverity)),
            message=str(results.value(r, SH.resultMessage) or _short(results.value(r, SH.sourceConstraintComponent))),
            focus=_text(results.value(r, SH.focusNode)),
            path=_short(results.value(r, SH.resultPath)),
            value=_text(results.value(r, SH.value)),
        )
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }
    return sorted(problems, key=lambda p: (p.severity, p.message, p.focus, p.path, p.value))


def report(problems: list[Problem], *, triples: int) -> str:
    if not problems:
        return f"Conforms: yes ({triples} triples checked against ontology/shapes.ttl)"
    groups: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for p in problems:
        groups[(p.severity, p.message)].append(p)
    lines = [f"Conforms: no; {len(problems)} problem(s) of {len(groups)} kind(s) in {triples} triples"]
    for (severity, message), members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        lines.append(f"- {severity} x{len(members)}: {message}")
        for p in members[:EXAMPLES_PER_PROBLEM]:
            detail = f"    at {p.focus}"
            if p.path:
                detail += f" {p.path}"
            if p.value:
                detail += f" -> {p.value}"
            lines.append(detail)
        if len(members) > EXAMPLES_PER_PROBLEM:
            lines.append(f"    ... and {len(members) - EXAMPLES_PER_PROBLEM} more")
    return "\n".join(lines)


@cache
def _parse(name: str) -> Graph:
    resource = files("kg.ontology") / name
    return Graph().parse(data=resource.read_text(encoding="utf-8"), format="turtle")


@cache
def _names() -> NamespaceManager:
    g = Graph(bind_namespaces="none")
    for prefix, ns in (("aikg", AIKG_NS), ("rdf", RDF), ("rdfs", RDFS), ("owl", OWL), ("skos", SKOS),
                       ("dcterms", DCTERMS), ("sh", SH)):
        g.bind(prefix, ns)
    return g.namespace_manager


def _short(node: Node | None) -> str:
    """``sh:Violation``, ``aikg:released``: a prefixed name where one is known."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return _names().normalizeUri(node)
    return str(node)


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return node.n3()
    return repr(str(node))
