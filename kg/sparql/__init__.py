"""Safe SPARQL execution, shared by ``kg query`` and the ``/sparql`` endpoint.

A query goes through three steps:

1. :func:`vet` parses it (rdflib's SPARQL parser and algebra) and refuses
   anything that is not a read-only query: SPARQL Update (INSERT, DELETE,
   LOAD, CLEAR, DROP, CREATE, ...) and every ``SERVICE`` clause, so that a
   query can never make the process open a network connection. Over-long
   query strings are refused before parsing.
2. :class:`QueryPool` runs it on Oxigraph in a separate worker process with a
   time limit; pyoxigraph cannot cancel a running query, so a worker that
   overruns is killed and replaced, and the next query is served normally.
   The worker stops reading solutions past the result limit.
3. :class:`QueryResult` carries the answer as plain bytes (SPARQL TSV for
   solutions, N-Triples for graphs) and serializes it with pyoxigraph into any
   standard format (:meth:`QueryResult.serialize`).

This module imports only the standard library, pyoxigraph and ``kg.errors``
at import time, so that worker processes start fast; rdflib is imported lazily.
"""

from __future__ import annotations

from kg.sparql.pool import QueryPool, StoreSource, run_query
from kg.sparql.results import (
    GRAPH_MEDIA_TYPES,
    SOLUTION_MEDIA_TYPES,
    QueryResult,
    execute,
    negotiate,
    to_rdflib,
)
from kg.query_limits import DEFAULT_MAX_QUERY_LENGTH, DEFAULT_MAX_RESULTS, DEFAULT_TIMEOUT
from kg.sparql.vet import (
    DEFAULT_PREFIXES,
    QueryKind,
    QueryTooLong,
    VettedQuery,
    vet,
)

__all__ = [
    "DEFAULT_MAX_QUERY_LENGTH",
    "DEFAULT_MAX_RESULTS",
    "DEFAULT_PREFIXES",
    "DEFAULT_TIMEOUT",
    "GRAPH_MEDIA_TYPES",
    "QueryKind",
    "SOLUTION_MEDIA_TYPES",
    "QueryPool",
    "QueryResult",
    "QueryTooLong",
    "StoreSource",
    "VettedQuery",
    "execute",
    "negotiate",
    "run_query",
    "to_rdflib",
    "vet",
]
