"""Query results as bytes, their serializations, and in-process execution."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import QueryError, ResultTooLarge
from kg.sparql.vet import DEFAULT_PREFIXES, QueryKind, VettedQuery

if TYPE_CHECKING:
    from rdflib.term import Node

#: Media types of SELECT/ASK results, the first one being the default.
SOLUTION_MEDIA_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
#: Media types of CONSTRUCT/DESCRIBE results, the first one being the default.
GRAPH_MEDIA_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
}

@dataclass(frozen=True, slots=True)
class QueryResult:
    """The answer to a query, as bytes: SPARQL TSV (solutions) or N-Triples (graphs)."""

    kind: QueryKind
    variables: tuple[str, ...] = ()
    payload: bytes = b""
    boolean: bool | None = None
    count: int = 0

    @property
    def default_media_type(self) -> str:
        return next(iter(GRAPH_MEDIA_TYPES if self.kind in ("CONSTRUCT", "DESCRIBE") else SOLUTION_MEDIA_TYPES))

    def media_types(self) -> tuple[str, ...]:
        table = GRAPH_MEDIA_TYPES if self.kind in ("CONSTRUCT", "DESCRIBE") else SOLUTION_MEDIA_TYPES
        return tuple(table)

    def serialize(self, media_type: str | None = None) -> bytes:
        """The result in ``media_type`` (default: SPARQL JSON, or Turtle for graphs)."""
        media_type = _ALIASES.get(media_type or "", media_type) or self.default_media_type
        if self.kind in ("CONSTRUCT", "DESCRIBE"):
            rdf_format = GRAPH_MEDIA_TYPES.get(media_type)
            if rdf_format is None:
                raise QueryError(f"cannot serialize a {self.kind} result as {media_type!r}; use one of {list(GRAPH_MEDIA_TYPES)}")
            triples = ox.parse(self.payload, format=ox.RdfFormat.N_TRIPLES)
            prefixes = DEFAULT_PREFIXES if rdf_format != ox.RdfFormat.N_TRIPLES else None
            return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""
        results_format = SOLUTION_MEDIA_TYPES.get(media_type)
        if results_format is None:
            raise QueryError(f"cannot serialize a {self.kind} result as {media_type!r}; use one of {list(SOLUTION_MEDIA_TYPES)}")
        return _ox_results(self).serialize(format=results_format) or b""

    def rows(self) -> list[dict[str, Node]]:
        """SELECT solutions as dicts of rdflib terms (unbound variables left out)."""
        if self.kind != "SELECT":
            raise QueryError(f"a {self.kind} query has no solution rows")
        solutions = _ox_results(self)
        return [
            {v: to_rdflib(sol[v]) for v in self.variables if sol[v] is not None}
            for sol in solutions
        ]

    def triples(self) -> list[tuple[Node, Node, Node]]:
        """CONSTRUCT/DESCRIBE triples as rdflib terms."""
        if self.kind not in ("CONSTRUCT", "DESCRIBE"):
            raise QueryError(f"a {self.kind} query has no triples")
        return [
            (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
            for t in ox.parse(self.payload, format=ox.RdfFormat.N_TRIPLES)
        ]


def _ox_results(result: QueryResult) -> Any:
    if result.kind == "ASK":
        body = b'{"head":{},"boolean":%s}' % (b"true" if result.boolean else b"false")
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return ox.parse_query_results(result.payload, format=ox.QueryResultsFormat.TSV)


@functools.cache
def _rdflib_terms() -> tuple[Any, Any, Any]:
    from rdflib import BNode, Literal, URIRef  # imported on first use: workers never need rdflib

    return BNode, Literal, URIRef


def to_rdflib(term: Any) -> Node:
    """A pyoxigraph term as the equal rdflib term."""
    BNode, RLiteral, URIRef = _rdflib_terms()  # noqa: N806
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RLiteral(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return RLiteral(term.value)
        return RLiteral(term.value, datatype=URIRef(datatype))
    raise QueryError(f"unsupported RDF term in a result: {term!r}")


def negotiate(kind: QueryKind, accept: str | None) -> str | None:
    """The media type to answer ``accept`` with, or None if none is acceptable."""
    table = GRAPH_MEDIA_TYPES if kind in ("CONSTRUCT", "DESCRIBE") else SOLUTION_MEDIA_TYPES
    default = next(iter(table))
    if not accept or not accept.strip():
        return default
    ranges: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if fields[0] and q > 0:
            ranges.append((-q, i, fields[0].lower()))
    for _, _, media in sorted(ranges):
        media = _ALIASES.get(media, media)
        if media in table:
            return media
        if media in ("*/*", default.split("/")[0] + "/*"):
            return default
        if media.endswith("/*"):
            match = next((m for m in table if m.startswith(media[:-1])), None)
            if match:
                return match
    return None


def execute(store: ox.Store, query: VettedQuery, *, max_results: int) -> QueryResult:
    """Run a vetted query in this process, reading at most ``max_results`` results."""
    try:
        answer = store.query(query.text, prefixes=DEFAULT_PREFIXES)
    except SyntaxError as exc:
        raise QueryError(f"malformed SPARQL query: {exc}") from None
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from None
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(kind="ASK", boolean=bool(answer), count=1)
    lines: list[str] = []
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        lines.append("\t".join("?" + v for v in variables))
        for n, sol in enumerate(answer, 1):
            if n > max_results:
                raise ResultTooLarge(f"the query returned more than {max_results} solutions; add a LIMIT")
            lines.append("\t".join("" if sol[v] is None else str(sol[v]) for v in variables))
        return QueryResult(kind="SELECT", variables=variables, payload=("\n".join(lines) + "\n").encode(), count=len(lines) - 1)
    for n, t in enumerate(answer, 1):
        if n > max_results:
            raise ResultTooLarge(f"the query returned more than {max_results} triples; add a LIMIT")
        lines.append(f"{t.subject} {t.predicate} {t.object} .")
    text = "\n".join(lines) + ("\n" if lines else "")
    return QueryResult(kind=query.kind, payload=text.encode(), count=len(lines))
