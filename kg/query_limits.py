"""Default limits of a SPARQL query (time, solutions, query length), shared by :mod:`kg.sparql`, the
``/sparql`` endpoint and ``kg query``'s options. Standard library only: the CLI reads them at start-up
without importing the query machinery (pyoxigraph, rdflib)."""

from __future__ import annotations

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULTS = 10_000
DEFAULT_MAX_QUERY_LENGTH = 100_000
