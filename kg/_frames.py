"""pandas DataFrames for :class:`kg.KnowledgeGraph`: the optional import, column dtypes, SPARQL solutions.

pandas is the optional extra ``aikg[pandas]``; :func:`require_pandas` is the only
place that imports it, and says how to install it when it is missing. Text
columns are pandas' ``string`` dtype (missing values are ``<NA>``), counts are
``int64``, nullable integers ``Int64``, scores ``float64`` (``NaN`` when
missing), and list-valued columns hold Python lists (``object``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import MissingDependency

if TYPE_CHECKING:
    import pandas as pd

    from kg.sparql import QueryResult

INSTALL_HINT = "pip install 'aikg[pandas]'"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = frozenset(
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
        "nonPositiveInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte",
    )
)
_REALS = frozenset(_XSD + t for t in ("decimal", "float", "double"))
_BOOLEAN = _XSD + "boolean"


def require_pandas() -> ModuleType:
    """The pandas module, or :class:`MissingDependency` saying how to install it."""
    try:
        import pandas
    except ImportError:
        raise MissingDependency(
            f"pandas is not installed, and this method returns a pandas DataFrame: {INSTALL_HINT}"
        ) from None
    return pandas


def frame(rows: Sequence[Mapping[str, Any]], columns: Mapping[str, str]) -> pd.DataFrame:
    """A DataFrame of ``rows`` with exactly ``columns`` (name -> dtype), also when there are no rows."""
    pd = require_pandas()
    data = {}
    for name, dtype in columns.items():
        values = [row.get(name) for row in rows]
        if dtype == "object":
            series = pd.Series(values, dtype=object)
        elif dtype == "float64":
            series = pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
        else:
            series = pd.Series(values, dtype=dtype)
        data[name] = series
    return pd.DataFrame(data, columns=list(columns))


# ---------------------------------------------------------------- SPARQL solutions


def _cell(term: Any) -> tuple[str, Any]:
    """(kind, Python value) of one RDF term of a solution."""
    if isinstance(term, ox.NamedNode):
        return "text", term.value
    if isinstance(term, ox.BlankNode):
        return "text", f"_:{term.value}"
    datatype = term.datatype.value if term.datatype is not None else ""
    try:
        if datatype in _INTEGERS:
            return "int", int(term.value)
        if datatype in _REALS:
            return "real", float(term.value)
        if datatype == _BOOLEAN and term.value in ("true", "false", "1", "0"):
            return "bool", term.value in ("true", "1")
    except ValueError:  # an ill-typed literal ("x"^^xsd:integer) stays text
        pass
    return "text", term.value


def _text(term: Any) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term.value)


def _column(values: Iterable[tuple[str, Any] | None]) -> tuple[list[Any], str]:
    """The values of one variable and the dtype they fit."""
    cells = list(values)
    kinds = {c[0] for c in cells if c is not None}
    plain = [None if c is None else c[1] for c in cells]
    missing = any(c is None for c in cells)
    if not kinds or kinds == {"text"}:
        return plain, "string"
    if kinds == {"int"}:
        return plain, "Int64" if missing else "int64"
    if kinds <= {"int", "real"}:
        return [float("nan") if v is None else float(v) for v in plain], "float64"
    if kinds == {"bool"}:
        return plain, "boolean"
    return plain, "object"


def solutions_frame(result: QueryResult) -> pd.DataFrame:
    """SELECT solutions as a DataFrame: one column per variable, IRIs and text as ``string``, integers as
    ``int64`` (``Int64`` when some are unbound), decimals and doubles as ``float64``, booleans as
    ``boolean``; a column mixing kinds holds Python values (``object``)."""
    pd = require_pandas()
    parsed = ox.parse_query_results(result.payload, format=ox.QueryResultsFormat.TSV)
    assert isinstance(parsed, ox.QuerySolutions)  # a SELECT's payload is solutions
    rows = [[None if sol[v] is None else _cell(sol[v]) for v in result.variables] for sol in parsed]
    data = {}
    for i, name in enumerate(result.variables):
        values, dtype = _column(row[i] for row in rows)
        data[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(data, columns=list(result.variables))


def triples_frame(result: QueryResult) -> pd.DataFrame:
    """CONSTRUCT/DESCRIBE triples as a DataFrame of ``subject``, ``predicate``, ``object`` (``string``)."""
    pd = require_pandas()
    triples = list(ox.parse(result.payload, format=ox.RdfFormat.N_TRIPLES))
    columns = {
        "subject": [_text(t.subject) for t in triples],
        "predicate": [t.predicate.value for t in triples],
        "object": [_text(t.object) for t in triples],
    }
    return pd.DataFrame({k: pd.Series(v, dtype="string") for k, v in columns.items()})
