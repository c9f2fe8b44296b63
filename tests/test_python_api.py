"""The Python API: kg.build, kg.open and every KnowledgeGraph method, their errors and DataFrame dtypes."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
import rdflib

import kg
from kg._graph import ANSWER_COLUMNS, ENTITY_COLUMNS, EVIDENCE_COLUMNS, RELATION_COLUMNS, KnowledgeGraph
from kg.errors import (
    AikgError,
    BuildError,
    MissingDependency,
    QueryError,
    QueryRefused,
    QuestionError,
    ResultTooLarge,
    StoreError,
    UnknownEntityError,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
#: what `import kg` must not load: the API imports each when a method first needs it
HEAVY = ("kg.store", "kg.lookup", "kg._graph", "kg.build", "rdflib", "pyoxigraph", "pandas", "networkx", "spacy",
         "fastapi")


@pytest.fixture(scope="module")
def graph(example_build: Path) -> KnowledgeGraph:
    return kg.open(example_build)


def dtypes(df: pd.DataFrame) -> dict[str, str]:
    return {name: str(dtype) for name, dtype in df.dtypes.items()}


def expected(columns: dict[str, str]) -> dict[str, str]:
    """pandas' names of the dtypes the columns are documented with."""
    return {name: str(pd.Series([], dtype=dtype).dtype) for name, dtype in columns.items()}


# ---------------------------------------------------------------- the package


def test_import_kg_loads_nothing_heavy() -> None:
    bare = f"import sys, kg; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", bare], capture_output=True, text=True, check=True).stdout.split() == []
    # the class itself needs the store's modules, but not pandas, spaCy, FastAPI or the builder
    probe = f"import sys, kg; kg.KnowledgeGraph; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert "kg._graph" in loaded
    assert not {"pandas", "spacy", "fastapi", "kg.build"} & set(loaded)


def test_kg_build_is_a_function_and_still_the_module() -> None:
    probe = (
        "import types, kg; f = kg.build; from kg.build import BuildOptions, BuildReport, build; import kg.build as m; "
        "print(callable(f), isinstance(f, types.ModuleType), f is m, m.build is build, m.BuildOptions is BuildOptions)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["True"] * 5


def test_kg_build_builds_like_the_module_function(tmp_path: Path) -> None:
    from kg.build import BuildOptions, build

    source = EXAMPLES / "frontier-notes.md"
    report = kg.build(source, tmp_path / "a", include_fiction=False, use_cache=False)
    same = build([source], tmp_path / "b", BuildOptions(use_cache=False))
    assert report.ok and report.documents == 1
    assert (report.entities_by_type, report.relations_by_predicate, report.triples) == (
        same.entities_by_type, same.relations_by_predicate, same.triples)
    opened = kg.open(tmp_path / "a")
    assert opened.build_id == report.build_dir.name  # type: ignore[union-attr]
    assert len(opened.entities()) == sum(report.entities_by_type.values())


def test_kg_build_names_the_valid_options(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="unknown build option 'job'.*jobs.*include_fiction"):
        kg.build(EXAMPLES, tmp_path, job=2)


def test_open_a_missing_folder_says_to_build_first(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(StoreError, match=f"{missing}: no such folder; run `kg build INPUTS --out"):
        kg.open(missing)


def test_open_a_folder_that_is_not_a_build(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(StoreError, match="not a build"):
        kg.open(tmp_path)


def test_open_is_a_context_manager(example_build: Path) -> None:
    with kg.open(example_build) as opened:
        assert isinstance(opened, KnowledgeGraph)
        assert opened.path == (example_build / "current").resolve()
        assert opened.manifest["build_id"] == opened.build_id
        assert opened.build_id in repr(opened)
        assert opened.query("ASK { ?s ?p ?o }", timeout=30) is True  # starts the query workers
    assert opened.store._pool is None  # closed on exit
    assert opened.query("ASK { ?s ?p ?o }") is True  # and still usable


# ---------------------------------------------------------------- SPARQL


def test_select_gives_typed_columns(graph: KnowledgeGraph) -> None:
    df = graph.query("""
        SELECT ?doc ?issue ?title WHERE { ?doc a aikg:Document ; dcterms:title ?title
                                          OPTIONAL { ?doc aikg:issueNumber ?issue } } ORDER BY ?doc""")
    assert list(df.columns) == ["doc", "issue", "title"]
    assert dtypes(df) == {"doc": "string", "issue": "Int64", "title": "string"}
    assert df["doc"].str.startswith("https://w3id.org/aikg/doc/").all()
    assert df["issue"].isna().any() and df["issue"].dropna().ge(1).all()
    counts = graph.query("SELECT ?p (COUNT(*) AS ?n) (AVG(?c) AS ?mean) WHERE { ?e rdf:predicate ?p ; aikg:confidence ?c }"
                         " GROUP BY ?p")
    assert dtypes(counts) == {"p": "string", "n": "int64", "mean": "float64"}
    assert counts["n"].sum() == graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?e a aikg:Evidence }")["n"][0]
    assert counts["mean"].between(0, 1).all()
    literal = graph.query('SELECT (true AS ?b) (1.5 AS ?x) ("a" AS ?s) (3 AS ?i) ("x"^^xsd:integer AS ?bad) WHERE {}')
    assert dtypes(literal) == {"b": "boolean", "x": "float64", "s": "string", "i": "int64", "bad": "string"}
    assert literal.iloc[0].tolist() == [True, 1.5, "a", 3, "x"]


def test_select_agrees_with_rdflib(graph: KnowledgeGraph) -> None:
    text = "SELECT ?e ?name WHERE { ?e a aikg:Model ; rdfs:label ?name } ORDER BY ?e"
    df = graph.query(text)
    raw = graph.query(text, as_="rdflib")
    assert isinstance(raw, rdflib.query.Result)
    assert [(str(r.e), str(r.name)) for r in raw] == list(df.itertuples(index=False, name=None))
    assert len(df) == len(graph.entities(type="Model"))


def test_ask_construct_and_the_worker_path(graph: KnowledgeGraph) -> None:
    assert graph.query("ASK { ?m a aikg:Model }") is True
    assert graph.query("ASK { ?m a aikg:Nothing }") is False
    triples = graph.query("CONSTRUCT { ?m rdfs:label ?n } WHERE { ?m a aikg:Model ; rdfs:label ?n }")
    assert list(triples.columns) == ["subject", "predicate", "object"]
    assert set(triples["predicate"]) == {str(rdflib.RDFS.label)}
    text = "SELECT ?m WHERE { ?m a aikg:Model } ORDER BY ?m"
    pd.testing.assert_frame_equal(graph.query(text, timeout=30), graph.query(text))


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("SELEC ?x WHERE { ?x ?p ?o }", QueryError, "malformed SPARQL query"),
        ("", QueryError, "empty query"),
        ("DELETE WHERE { ?s ?p ?o }", QueryRefused, "SPARQL Update is not allowed"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", QueryRefused, "SERVICE"),
    ],
)
def test_bad_sparql_is_refused(graph: KnowledgeGraph, text: str, error: type[Exception], message: str) -> None:
    for as_ in ("pandas", "rdflib"):
        with pytest.raises(error, match=message):
            graph.query(text, as_=as_)  # type: ignore[arg-type]


def test_query_limits_and_options(graph: KnowledgeGraph) -> None:
    with pytest.raises(ResultTooLarge, match="more than 3 solutions"):
        graph.query("SELECT ?s WHERE { ?s ?p ?o }", max_results=3)
    with pytest.raises(ValueError, match="as_='xml': expected 'pandas' or 'rdflib'"):
        graph.query("ASK {}", as_="xml")  # type: ignore[arg-type]


# ---------------------------------------------------------------- lookups


def test_entities_columns_dtypes_and_ranking(graph: KnowledgeGraph) -> None:
    everything = graph.entities()
    assert dtypes(everything) == expected(ENTITY_COLUMNS)
    assert everything["mentions"].is_monotonic_decreasing
    assert everything["id"].is_unique
    found = graph.entities(q="deepseek")
    assert found.iloc[0][["id", "match"]].tolist() == ["organization/deepseek", "exact"]
    assert set(found["id"]) >= {"model/deepseek-r1", "model/deepseek-v3"}
    models = graph.entities(type="Model", q="deepseek")
    assert set(models["type"]) == {"Model"} and "organization/deepseek" not in set(models["id"])
    assert len(graph.entities(limit=3)) == 3
    assert dtypes(graph.entities(q="zzzzqqqq")) == expected(ENTITY_COLUMNS)  # no rows, the same columns


def test_entities_refuses_an_unknown_type(graph: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="unknown entity type 'Lab': expected one of Organization"):
        graph.entities(type="Lab")


def test_entity_by_id_or_name(graph: KnowledgeGraph) -> None:
    by_name = graph.entity("deepseek")
    by_id = graph.entity("organization/deepseek")
    assert isinstance(by_name, pd.Series)
    assert by_name.equals(by_id)
    assert by_name["iri"] == "https://w3id.org/aikg/id/organization/deepseek"
    assert by_name["name"] == "DeepSeek" and by_name["type"] == "Organization"
    assert by_name["outgoing"] == len(graph.relations(subject="organization/deepseek"))
    assert by_name["incoming"] == len(graph.relations(object="organization/deepseek"))
    assert "model-watch-archive-12" in by_name["documents"]


def test_unknown_entity_names_the_closest(graph: KnowledgeGraph) -> None:
    with pytest.raises(UnknownEntityError, match="no entity named 'DeepSeak' — did you mean DeepSeek") as caught:
        graph.entity("DeepSeak")
    assert isinstance(caught.value, LookupError)
    assert "DeepSeek" in caught.value.suggestions
    with pytest.raises(UnknownEntityError, match="no entity named 'Zorblax'"):
        graph.relations(subject="Zorblax")


def test_relations_columns_filters_and_evidence(graph: KnowledgeGraph) -> None:
    every = graph.relations()
    assert dtypes(every) == expected(RELATION_COLUMNS)
    assert len(every) == len(graph.snapshot.edges)
    released = graph.relations(subject="DeepSeek", predicate="released")
    assert set(released["subject"]) == {"organization/deepseek"} and set(released["predicate"]) == {"released"}
    assert "model/deepseek-r1" in set(released["object"])
    assert released["sentence"].notna().all() and (released["evidence_count"] >= 1).all()
    into = graph.relations(object="Cohere", predicate="funded")
    assert set(into["object"]) == {"organization/cohere"}
    confident = graph.relations(min_confidence=0.8)
    assert confident["confidence"].ge(0.8).all() and 0 < len(confident) < len(every)
    sentences = graph.relations(evidence=True)
    assert dtypes(sentences) == expected({**{k: v for k, v in RELATION_COLUMNS.items()
                                             if k not in ("evidence_count", "sentence", "document")},
                                          **EVIDENCE_COLUMNS})
    assert len(sentences) == every["evidence_count"].clip(lower=1).sum()
    assert sentences["start"].le(sentences["end"]).all()


def test_relations_refuses_an_unknown_predicate(graph: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="unknown predicate 'invested': expected one of released"):
        graph.relations(predicate="invested")
    with pytest.raises(ValueError, match="min_confidence=2"):
        graph.relations(min_confidence=2)


def test_ask_columns_understanding_and_evidence(graph: KnowledgeGraph) -> None:
    answers = graph.ask("who funded Cohere")
    assert dtypes(answers) == expected(ANSWER_COLUMNS)
    assert answers.attrs["understood"]["entity"] == "organization/cohere"
    assert answers.attrs["understood"]["direction"] == "in"
    assert {"organization/psp-investments", "organization/cisco"} <= set(answers["id"])
    assert answers["confidence"].is_monotonic_decreasing
    detail = graph.ask("who funded Cohere", evidence=True)
    assert dtypes(detail) == expected({**{k: v for k, v in ANSWER_COLUMNS.items()
                                          if k not in ("evidence_count", "sentence", "document")},
                                       **EVIDENCE_COLUMNS})
    assert len(detail) == answers["evidence_count"].sum()
    assert detail["sentence"].notna().all() and detail["document"].notna().all()
    assert set(detail["id"]) == set(answers["id"])
    assert graph.ask("what did DeepSeek release")["id"].tolist()[0] == "model/deepseek-r1"
    assert graph.ask("which models outperform DeepSeek-V3")["id"].tolist() == ["model/qwen2-5-max"]


def test_ask_errors(graph: KnowledgeGraph) -> None:
    with pytest.raises(QuestionError, match="could not understand the question 'tell me a joke'") as caught:
        graph.ask("tell me a joke")
    assert "what did DeepSeek release" in caught.value.shapes
    assert isinstance(caught.value, ValueError)
    with pytest.raises(UnknownEntityError, match="no entity named 'Zorblax'"):
        graph.ask("what did Zorblax release")


# ---------------------------------------------------------------- networkx and rdflib


def test_to_networkx_is_the_gexf_view(graph: KnowledgeGraph) -> None:
    from kg.exports.gexf import generate_gexf, serialize_gexf

    view = graph.to_networkx(types=["Organization", "Model"], predicates="released", min_confidence=0.5)
    assert isinstance(view, nx.MultiDiGraph)
    assert {d["type"] for _, d in view.nodes(data=True)} == {"Organization", "Model"}
    assert {d["predicate"] for _, _, d in view.edges(data=True)} == {"released"}
    assert view.has_edge("organization/deepseek", "model/deepseek-r1")
    exported = serialize_gexf(graph.rdflib, types=["Organization", "Model"], predicates=["released"], min_confidence=0.5)
    assert generate_gexf(view) == exported
    whole = graph.to_networkx()
    assert whole.number_of_edges() == len(graph.relations())


def test_to_networkx_names_the_valid_values(graph: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="unknown type 'Lab': expected one of Organization"):
        graph.to_networkx(types=["Lab"])
    with pytest.raises(ValueError, match="valid view options are"):
        graph.to_networkx(colour="red")


def test_rdflib_graph(graph: KnowledgeGraph) -> None:
    g = graph.rdflib
    assert isinstance(g, rdflib.Graph)
    deepseek = rdflib.URIRef("https://w3id.org/aikg/id/organization/deepseek")
    assert str(g.value(deepseek, rdflib.RDFS.label)) == "DeepSeek"
    assert len(g) == graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")["n"][0]


# ---------------------------------------------------------------- without pandas


def test_without_pandas_the_dataframe_methods_say_how_to_install_it(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now raises ImportError
    calls = {
        "query": lambda: graph.query("SELECT ?s WHERE { ?s a aikg:Model }"),
        "entities": lambda: graph.entities(),
        "entity": lambda: graph.entity("DeepSeek"),
        "relations": lambda: graph.relations(),
        "ask": lambda: graph.ask("what did DeepSeek release"),
    }
    for name, call in calls.items():
        with pytest.raises(MissingDependency, match=r"pip install 'aikg\[pandas\]'") as caught:
            call()
        assert isinstance(caught.value, ImportError) and isinstance(caught.value, AikgError), name
    # what needs no pandas still works
    assert graph.to_networkx(types="Model").number_of_nodes() > 0
    assert len(graph.query("SELECT ?s WHERE { ?s a aikg:Model }", as_="rdflib")) > 0


def test_the_module_type_of_kg_build() -> None:
    import kg.build as module

    assert isinstance(module, types.ModuleType) and callable(module)
