"""kg.exports: the EXPORTERS table, RDF round trips, the CSV of relations."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg import store
from kg.exports import EXPORTERS, FORMATS, MEDIA_TYPES
from kg.exports.csv import COLUMNS, relation_rows, serialize_csv

# rdflib's own N-Quads and JSON-LD parsers use their deprecated API internally
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

DATA = Path(__file__).parent / "data" / "sparql" / "mini.ttl"
RDF = [("turtle", "turtle"), ("trig", "trig"), ("ntriples", "nt"), ("nquads", "nquads"), ("jsonld", "json-ld")]


@pytest.fixture(scope="module")
def mini() -> rdflib.Graph:
    graph = rdflib.Graph().parse(DATA)
    # a blank node, a language tag and a typed literal, to test the round trip harder
    node = rdflib.BNode()
    graph.add((rdflib.URIRef("https://w3id.org/aikg/id/model/wombat-2"), rdflib.URIRef("urn:x:note"), node))
    graph.add((node, rdflib.RDFS.comment, rdflib.Literal("une note", lang="fr")))
    graph.add((node, rdflib.URIRef("urn:x:score"), rdflib.Literal("0.5", datatype=rdflib.XSD.decimal)))
    return graph


@pytest.fixture(scope="module")
def built(mini: rdflib.Graph, tmp_path_factory: pytest.TempPathFactory) -> store.BuildStore:
    build = tmp_path_factory.mktemp("build")
    store.save(mini, build)
    (build / "manifest.json").write_text("{}", encoding="utf-8")
    return store.open_build(build)


@pytest.fixture(scope="module")
def stored(built: store.BuildStore) -> rdflib.Graph:
    return built.graph


def parse_back(data: str | bytes, fmt: str) -> rdflib.Graph:
    if fmt in ("trig", "nquads"):
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=fmt)
        assert [c.identifier for c in dataset.graphs()] == [DATASET_DEFAULT_GRAPH_ID]
        graph = rdflib.Graph()
        graph += dataset.graph(DATASET_DEFAULT_GRAPH_ID)
        return graph
    return rdflib.Graph().parse(data=data, format=fmt)


def test_table_lists_the_installed_formats() -> None:
    names = list(EXPORTERS)
    assert {"turtle", "trig", "ntriples", "nquads", "jsonld", "csv"} <= set(names)
    assert set(names) <= set(FORMATS) and set(FORMATS) == set(MEDIA_TYPES)
    assert "pdf" not in EXPORTERS
    with pytest.raises(KeyError):
        EXPORTERS["pdf"]


@pytest.mark.parametrize(("name", "rdflib_format"), RDF)
def test_rdf_round_trip(mini: rdflib.Graph, name: str, rdflib_format: str) -> None:
    serialize, _ = EXPORTERS[name]
    assert isomorphic(parse_back(serialize(mini), rdflib_format), mini)


@pytest.mark.parametrize(("name", "rdflib_format"), RDF)
def test_rdf_round_trip_from_the_store(stored: rdflib.Graph, mini: rdflib.Graph, name: str, rdflib_format: str) -> None:
    serialize, _ = EXPORTERS[name]
    assert isomorphic(parse_back(serialize(stored), rdflib_format), mini)


@pytest.mark.parametrize(("name", "rdflib_format"), RDF)
def test_write_is_atomic_and_complete(mini: rdflib.Graph, tmp_path: Path, name: str, rdflib_format: str) -> None:
    _, write = EXPORTERS[name]
    target = tmp_path / f"out.{MEDIA_TYPES[name][1]}"
    assert write(mini, target) == target
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temp file left
    assert isomorphic(parse_back(target.read_bytes(), rdflib_format), mini)


def test_csv_has_one_row_per_relation_and_evidence(mini: rdflib.Graph) -> None:
    rows = list(csv.DictReader(io.StringIO(serialize_csv(mini))))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 9  # nine relations, each with at most one sentence
    funded = next(r for r in rows if r["predicate"] == "funded")
    assert funded["subject_label"] == "Northwind Capital" and funded["object_label"] == "Acme AI"
    assert funded["sentence"] == 'Acme AI raised $5m from Northwind Capital, "a long-term bet", it said.'
    assert (funded["document"], funded["source"], funded["section"]) == ("issue-2", "corpus/issue-2.txt", "Funding news")
    assert (funded["start"], funded["end"], funded["confidence"]) == ("0", "70", "0.7")
    works = next(r for r in rows if r["predicate"] == "worksFor")
    assert works["sentence"] == "" and works["document"] == ""


def test_csv_repeats_a_relation_for_each_sentence(mini: rdflib.Graph) -> None:
    graph = rdflib.Graph()
    graph += mini
    ev = rdflib.URIRef("https://w3id.org/aikg/evidence/extra")
    aikg = rdflib.Namespace("https://w3id.org/aikg/ontology#")
    s = rdflib.URIRef("https://w3id.org/aikg/id/organization/northwind-capital")
    o = rdflib.URIRef("https://w3id.org/aikg/id/organization/acme-ai")
    for p, v in [(rdflib.RDF.type, aikg.Evidence), (rdflib.RDF.subject, s), (rdflib.RDF.predicate, aikg.funded), (rdflib.RDF.object, o), (aikg.sentence, rdflib.Literal("Northwind backs Acme again."))]:
        graph.add((ev, p, v))
    funded = [r for r in relation_rows(graph) if r.predicate == "funded"]
    assert sorted(r.sentence for r in funded) == ['Acme AI raised $5m from Northwind Capital, "a long-term bet", it said.', "Northwind backs Acme again."]


def test_csv_is_deterministic(mini: rdflib.Graph, stored: rdflib.Graph) -> None:
    assert serialize_csv(mini) == serialize_csv(stored)


def test_cli_export(built: store.BuildStore, mini: rdflib.Graph, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    build_dir = built.path
    runner = CliRunner()
    result = runner.invoke(app, ["export", str(build_dir), "--format", "ntriples"])
    assert result.exit_code == 0
    assert isomorphic(rdflib.Graph().parse(data=result.stdout, format="nt"), mini)
    target = tmp_path / "relations.csv"
    result = runner.invoke(app, ["export", str(build_dir), "--format", "csv", "--out", str(target)])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8") == serialize_csv(mini)
    result = runner.invoke(app, ["export", str(build_dir), "--format", "pdf"])
    assert result.exit_code != 0 and "unknown --format" in result.output
