"""Vetting: parse a SPARQL query and refuse what must not run."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any, Literal

from kg.errors import QueryError, QueryRefused
from kg.ontology.namespace import PREFIXES
from kg.query_limits import DEFAULT_MAX_QUERY_LENGTH

QueryKind = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]

#: Prefixes every query may use without declaring them.
DEFAULT_PREFIXES = PREFIXES
_UPDATE_WORDS = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE
)
# Strings, IRIs and comments, removed before the lexical SERVICE check.
_NOT_CODE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|<[^<>\s]*>|#[^\n]*')
_SERVICE_WORD = re.compile(r"(?<![\w:?$])SERVICE(?![\w:-])", re.IGNORECASE)


class QueryTooLong(QueryRefused):
    """A query string longer than the configured maximum."""


@dataclass(frozen=True, slots=True)
class VettedQuery:
    """A query that parsed and that only reads the store."""

    text: str
    kind: QueryKind

    @property
    def is_graph(self) -> bool:
        return self.kind in ("CONSTRUCT", "DESCRIBE")


#: rdflib's SPARQL grammar (pyparsing) is not thread-safe: concurrent first
#: uses of a parse action corrupt it for the life of the process. The API
#: vets queries from a thread pool, so parsing is serialized (it takes
#: milliseconds; the query itself runs outside the lock, in a worker process).
_PARSER_LOCK = threading.Lock()


def vet(query: str, *, max_length: int = DEFAULT_MAX_QUERY_LENGTH) -> VettedQuery:
    """Parse ``query`` and refuse what must not run (see the module docstring)."""
    size = len(query.encode("utf-8"))
    if size > max_length:
        raise QueryTooLong(f"query is {size} bytes long; the limit is {max_length} bytes")
    if not query.strip():
        raise QueryError("empty query: expected a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    from rdflib.plugins.sparql import algebra, parser

    try:
        with _PARSER_LOCK:
            parsed = parser.parseQuery(query)
    except Exception as exc:  # pyparsing raises its own exception types
        if _parses_as_update(query):
            raise QueryRefused(
                "SPARQL Update is not allowed: this endpoint is read-only "
                "(use SELECT, ASK, CONSTRUCT or DESCRIBE)"
            ) from None
        raise QueryError(f"malformed SPARQL query: {exc}") from None
    try:
        with _PARSER_LOCK:
            translated = algebra.translateQuery(parsed, initNs=DEFAULT_PREFIXES)
    except Exception as exc:
        raise QueryError(f"malformed SPARQL query: {exc}") from None
    if _contains_service(parsed) or _contains_service(translated.algebra) or _SERVICE_WORD.search(
        _NOT_CODE.sub(" ", query)
    ):
        raise QueryRefused("SERVICE (federated query) is not allowed: queries run on this graph only")
    kinds: dict[str, QueryKind] = {
        "SelectQuery": "SELECT",
        "AskQuery": "ASK",
        "ConstructQuery": "CONSTRUCT",
        "DescribeQuery": "DESCRIBE",
    }
    kind = kinds.get(translated.algebra.name)
    if kind is None:
        raise QueryError(f"unsupported query form {translated.algebra.name!r}")
    return VettedQuery(text=query, kind=kind)


def _parses_as_update(query: str) -> bool:
    from rdflib.plugins.sparql import parser

    try:
        parser.parseUpdate(query)
    except Exception:
        return bool(_UPDATE_WORDS.search(_NOT_CODE.sub(" ", query))) and not re.search(
            r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", _NOT_CODE.sub(" ", query), re.IGNORECASE
        )
    return True


def _contains_service(node: Any, depth: int = 0) -> bool:
    """True if a parse tree or algebra node contains a SERVICE pattern."""
    if depth > 500:
        return True  # absurdly deep nesting: refuse rather than overflow
    name = getattr(node, "name", None)
    if isinstance(name, str) and name.startswith("Service"):
        return True
    if isinstance(node, dict):
        return any(_contains_service(v, depth + 1) for v in node.values())
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_contains_service(v, depth + 1) for v in node)
    return False


