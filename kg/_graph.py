"""``kg.open(out) -> KnowledgeGraph``: a finished build, for notebooks.

A :class:`KnowledgeGraph` answers from the same functions as the REST API and
the CLI (:mod:`kg.lookup` over the snapshot of :mod:`kg.api.snapshot`, the SPARQL
execution of :mod:`kg.sparql`, the view of :mod:`kg.graphview`), and returns
pandas DataFrames (:mod:`kg._frames`). The columns and dtypes are listed in
docs/PYTHON.md and checked by tests/test_python_api.py.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from kg import lookup
from kg._frames import frame, require_pandas, solutions_frame, triples_frame
from kg.query_limits import DEFAULT_MAX_RESULTS

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    import rdflib
    from rdflib.query import Result

    from kg.api.snapshot import Edge, EntityInfo, EvidenceInfo, Snapshot
    from kg.store import BuildStore

#: columns (name -> dtype) of :meth:`KnowledgeGraph.entities`
ENTITY_COLUMNS: dict[str, str] = {
    "id": "string", "name": "string", "type": "string", "aliases": "object", "wikidata": "string",
    "mentions": "int64", "score": "float64", "match": "string",
}
#: columns of :meth:`KnowledgeGraph.relations` (with ``evidence=False``)
RELATION_COLUMNS: dict[str, str] = {
    "subject": "string", "subject_name": "string", "subject_type": "string", "predicate": "string",
    "object": "string", "object_name": "string", "object_type": "string", "confidence": "float64",
    "evidence_count": "int64", "sentence": "string", "document": "string",
}
#: columns of one piece of evidence (``evidence=True`` adds them, one row per sentence)
EVIDENCE_COLUMNS: dict[str, str] = {
    "sentence": "string", "document": "string", "document_title": "string", "issue": "Int64", "date": "string",
    "section": "string", "start": "Int64", "end": "Int64", "extractor": "string", "evidence_confidence": "float64",
}
#: columns of :meth:`KnowledgeGraph.ask` (with ``evidence=False``)
ANSWER_COLUMNS: dict[str, str] = {
    "id": "string", "name": "string", "type": "string", "predicates": "object", "confidence": "float64",
    "evidence_count": "int64", "sentence": "string", "document": "string",
}

_RELATION_BASE = {k: v for k, v in RELATION_COLUMNS.items() if k not in ("evidence_count", "sentence", "document")}
_ANSWER_BASE = {k: v for k, v in ANSWER_COLUMNS.items() if k not in ("evidence_count", "sentence", "document")}


def _evidence_row(ev: EvidenceInfo | None) -> dict[str, Any]:
    if ev is None:
        return {}
    return {
        "sentence": ev.sentence, "document": ev.document.id, "document_title": ev.document.title,
        "issue": ev.document.issue, "date": ev.document.date, "section": ev.section, "start": ev.start,
        "end": ev.end, "extractor": ev.extractor, "evidence_confidence": ev.confidence,
    }


def _exploded(base: dict[str, Any], evidence: tuple[EvidenceInfo, ...]) -> list[dict[str, Any]]:
    """One row per piece of evidence (one row with no evidence columns when there is none)."""
    return [{**base, **_evidence_row(ev)} for ev in evidence] or [base]


class KnowledgeGraph:
    """A finished build, opened read-only: lookups and SPARQL into pandas, the graph into networkx or rdflib.

    Open one with :func:`kg.open`; it is cheap (the store opens lazily per query, the in-memory view the
    lookups answer from is read on the first lookup) and can be used as a context manager::

        >>> import kg
        >>> with kg.open("out") as graph:                               # doctest: +SKIP
        ...     graph.relations(subject="DeepSeek", predicate="released")
    """

    def __init__(self, store: BuildStore) -> None:
        self._store = store
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, out: str | os.PathLike[str]) -> KnowledgeGraph:
        """The build in ``out`` (see :func:`kg.open`)."""
        from kg.store import open_build

        return cls(open_build(Path(out)))

    # ------------------------------------------------------------ the build

    @property
    def path(self) -> Path:
        """The build folder (``OUT/builds/<id>``)."""
        return self._store.path

    @property
    def build_id(self) -> str:
        return self._store.build_id

    @property
    def manifest(self) -> dict[str, Any]:
        """The build's ``manifest.json``: versions, inputs, counts, timings."""
        return self._store.manifest

    @property
    def store(self) -> BuildStore:
        """The underlying :class:`kg.store.BuildStore` (pyoxigraph's store is ``.store.ox``)."""
        return self._store

    @property
    def rdflib(self) -> rdflib.Graph:
        """The graph through rdflib's API (read-only, backed by the build's Oxigraph store)::

            >>> graph.rdflib.value(URIRef("https://w3id.org/aikg/id/organization/deepseek"), RDFS.label)  # doctest: +SKIP
        """
        return self._store.graph

    @property
    def snapshot(self) -> Snapshot:
        """The in-memory view every lookup answers from (read from the store on first use)."""
        with self._lock:
            if self._snapshot is None:
                from kg.api.snapshot import load_snapshot

                self._snapshot = load_snapshot(self._store.ox)
            return self._snapshot

    def close(self) -> None:
        """Stop the query workers started by ``query(..., timeout=...)``, if any."""
        self._store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<KnowledgeGraph {self.build_id} at {self.path}>"

    # ------------------------------------------------------------ SPARQL

    def query(
        self,
        sparql: str,
        *,
        as_: Literal["pandas", "rdflib"] = "pandas",
        timeout: float | None = None,
        max_results: int = DEFAULT_MAX_RESULTS,
    ) -> Any:
        """Run a read-only SPARQL query (the ``aikg:``, ``rdfs:``, ... prefixes are predeclared).

        With ``as_="pandas"`` a SELECT gives a DataFrame with one column per variable (IRIs and text as
        ``string``, integers as ``int64``, decimals as ``float64``, booleans as ``boolean``), an ASK a
        ``bool`` and a CONSTRUCT or DESCRIBE a DataFrame of ``subject``, ``predicate``, ``object``.
        With ``as_="rdflib"`` the answer is rdflib's :class:`~rdflib.query.Result`.

        The query is vetted as for ``kg query`` and ``/sparql`` (no update, no SERVICE) and runs in this
        process, or, with a ``timeout`` in seconds, in a worker process that is killed when it overruns.
        Raises :class:`kg.errors.QueryError` for a malformed or refused query, or one with more than
        ``max_results`` results.

        >>> graph.query("SELECT ?type (COUNT(?e) AS ?n) WHERE { ?e a ?type } GROUP BY ?type")  # doctest: +SKIP
        """
        from kg.sparql import execute, vet

        if as_ not in ("pandas", "rdflib"):
            raise ValueError(f"as_={as_!r}: expected 'pandas' or 'rdflib'")
        vetted = vet(sparql)
        if as_ == "rdflib":
            from kg.sparql import DEFAULT_PREFIXES

            return self._rdflib_query(vetted.text, DEFAULT_PREFIXES)
        require_pandas()
        if timeout is None:
            result = execute(self._store.ox, vetted, max_results=max_results)
        else:
            result = self._store.query(vetted.text, timeout=timeout, max_results=max_results)
        if result.kind == "ASK":
            return bool(result.boolean)
        if result.kind == "SELECT":
            return solutions_frame(result)
        return triples_frame(result)

    def _rdflib_query(self, text: str, prefixes: dict[str, str]) -> Result:
        from kg.errors import QueryError

        try:
            return self.rdflib.query(text, initNs=prefixes)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL query: {exc}") from None

    # ------------------------------------------------------------ lookups

    def entities(
        self, type: str | None = None, q: str | None = None, *, limit: int | None = None
    ) -> pd.DataFrame:
        """Entities, best match first: with ``q``, those whose name or alias resembles it (case-, punctuation-
        and typo-tolerant, as ``/entities?q=``); without, all of them by mentions. ``type`` keeps one entity
        type (``"Organization"``, ``"Model"``, ...). Columns: :data:`ENTITY_COLUMNS`.

        >>> graph.entities(type="Model", q="phi")                      # doctest: +SKIP
        """
        require_pandas()
        hits = lookup.search_entities(self.snapshot, q, type=type)
        rows = [
            {"id": e.key, "name": e.name, "type": e.type, "aliases": list(e.aliases), "wikidata": e.wikidata,
             "mentions": e.mentions, "score": hit.score, "match": hit.tier}
            for e, hit in hits[:limit]
        ]
        return frame(rows, ENTITY_COLUMNS)

    def entity(self, id_or_name: str) -> pd.Series:
        """One entity, by key (``"organization/deepseek"``) or by name or alias (the best match), as a Series:
        ``id``, ``iri``, ``name``, ``type``, ``aliases``, ``wikidata``, ``mentions``, ``documents`` (the ids
        of the documents naming it), ``outgoing`` and ``incoming`` (its numbers of relations; list them with
        :meth:`relations`). Raises :class:`kg.errors.UnknownEntityError` naming the closest names.

        >>> graph.entity("DeepSeek")["type"]                           # doctest: +SKIP
        'Organization'
        """
        pd = require_pandas()
        snap = self.snapshot
        e = lookup.find_entity(snap, id_or_name)
        data = {
            "id": e.key, "iri": e.iri, "name": e.name, "type": e.type, "aliases": list(e.aliases),
            "wikidata": e.wikidata, "mentions": e.mentions, "documents": [d.id for d in e.documents],
            "outgoing": len(snap.outgoing.get(e.key, ())), "incoming": len(snap.incoming.get(e.key, ())),
        }
        return pd.Series(data, dtype=object, name=e.key)

    def relations(
        self,
        subject: str | None = None,
        predicate: str | None = None,
        object: str | None = None,
        min_confidence: float = 0.0,
        *,
        evidence: bool = False,
    ) -> pd.DataFrame:
        """Relations matching every given filter, ordered by subject, predicate and object names (as
        ``/relations``). ``subject`` and ``object`` are entity keys or names (every entity of that name
        matches); ``predicate`` is one of ``released``, ``funded``, ``outperforms``, ``worksFor``,
        ``basedIn``, ``authored``. One row per relation with its best sentence (:data:`RELATION_COLUMNS`),
        or, with ``evidence=True``, one row per supporting sentence (the relation's columns, then
        :data:`EVIDENCE_COLUMNS`).

        >>> graph.relations(subject="DeepSeek", predicate="released")  # doctest: +SKIP
        """
        require_pandas()
        snap = self.snapshot
        subjects = {e.key for e in lookup.resolve_name(snap, subject, param="subject")} if subject else None
        objects = {e.key for e in lookup.resolve_name(snap, object, param="object")} if object else None
        edges = lookup.find_relations(
            snap, subjects=subjects, predicate=predicate, objects=objects, min_confidence=min_confidence
        )
        if evidence:
            rows = [r for edge in edges for r in _exploded(self._relation_row(snap, edge), edge.evidence)]
            return frame(rows, {**_RELATION_BASE, **EVIDENCE_COLUMNS})
        rows = [
            {**self._relation_row(snap, edge), "evidence_count": len(edge.evidence),
             **_best(edge.evidence)}
            for edge in edges
        ]
        return frame(rows, RELATION_COLUMNS)

    @staticmethod
    def _relation_row(snap: Snapshot, edge: Edge) -> dict[str, Any]:
        s, o = snap.entities[edge.subject], snap.entities[edge.object]
        return {
            "subject": s.key, "subject_name": s.name, "subject_type": s.type, "predicate": edge.predicate,
            "object": o.key, "object_name": o.name, "object_type": o.type, "confidence": edge.confidence,
        }

    def ask(self, question: str, *, evidence: bool = False) -> pd.DataFrame:
        """Answer a plain-English question as ``/ask`` does ("what did DeepSeek release", "who funded
        Cohere", "which models outperform LLaMa-3.1 405B"; :func:`kg.ask.understood_shapes` lists the
        shapes): one row per answer, best supported first (:data:`ANSWER_COLUMNS`), or with
        ``evidence=True`` one row per supporting sentence. ``df.attrs["understood"]`` says how the question
        was read. Raises :class:`kg.errors.QuestionError` (with ``.shapes``) for a question of no known
        shape and :class:`kg.errors.UnknownEntityError` when the entity it names is not in the graph.

        >>> graph.ask("who funded Cohere")[["name", "confidence"]]     # doctest: +SKIP
        """
        require_pandas()
        result = lookup.answer(self.snapshot, question)
        rows: list[dict[str, Any]] = []
        for a in result.answers:
            base = {"id": a.entity.key, "name": a.entity.name, "type": a.entity.type,
                    "predicates": list(a.predicates), "confidence": a.confidence}
            if evidence:
                rows.extend(_exploded(base, a.evidence))
            else:
                rows.append({**base, "evidence_count": len(a.evidence), **_best(a.evidence)})
        df = frame(rows, {**_ANSWER_BASE, **EVIDENCE_COLUMNS} if evidence else ANSWER_COLUMNS)
        df.attrs["question"] = question
        df.attrs["understood"] = _understood(result.entity, result)
        return df

    # ------------------------------------------------------------ networkx

    def to_networkx(
        self,
        types: str | list[str] | None = None,
        predicates: str | list[str] | None = None,
        min_confidence: float = 0.0,
        **options: Any,
    ) -> nx.MultiDiGraph:
        """The entity-relation graph as a networkx MultiDiGraph: the view ``kg export --format gexf`` writes
        (:func:`kg.graphview.to_networkx`; nodes keyed by entity key, one edge per relation with its
        ``confidence``, ``weight``, best ``evidence`` sentence and ``source`` document). ``options`` are the
        other fields of :class:`kg.graphview.ViewOptions` (``comention``, ``drop_isolates``, ``size_by``,
        ``cumulative``). Raises ValueError naming the valid values for an unknown type, predicate or option.

        >>> g = graph.to_networkx(types=["Organization", "Model"], predicates="released")  # doctest: +SKIP
        """
        from kg.graphview import to_networkx, view_options

        opts = view_options(types=types, predicates=predicates, min_confidence=min_confidence, **options)
        return to_networkx(self.rdflib, opts)


def _best(evidence: tuple[EvidenceInfo, ...]) -> dict[str, Any]:
    """The sentence and document of the best piece of evidence (they are sorted best first)."""
    if not evidence:
        return {}
    return {"sentence": evidence[0].sentence, "document": evidence[0].document.id}


def _understood(entity: EntityInfo, result: lookup.AskResult) -> dict[str, Any]:
    return {
        "entity": entity.key, "name": entity.name, "type": entity.type,
        "predicates": list(result.parsed.predicates), "direction": result.parsed.direction,
        "answer_type": result.parsed.answer_type, "shape": result.parsed.shape,
    }
