"""kg.sparql: vetting, limits, the killable worker, and every result format."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg import store
from kg.errors import QueryError, QueryRefused, QueryTimeout, ResultTooLarge
from kg.sparql import QueryTooLong, negotiate, vet

DATA = Path(__file__).parent / "data" / "sparql" / "mini.ttl"
EX = rdflib.Namespace("http://example.org/")


def _open(tmp: Path, graph: rdflib.Graph) -> store.BuildStore:
    store.save(graph, tmp)
    (tmp / "manifest.json").write_text("{}", encoding="utf-8")
    return store.open_build(tmp)


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[store.BuildStore]:
    opened = _open(tmp_path_factory.mktemp("mini"), rdflib.Graph().parse(DATA))
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[store.BuildStore]:
    """400 triples: a 4-way cartesian product of them never finishes in time."""
    graph = rdflib.Graph()
    for i in range(400):
        graph.add((EX[f"s{i}"], EX.p, rdflib.Literal(i)))
    opened = _open(tmp_path_factory.mktemp("big"), graph)
    yield opened
    opened.close()


# --- vetting -----------------------------------------------------------------

UPDATES = [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <urn:x:> INSERT { ?s ex:p 1 } WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <urn:g>",
    "CREATE GRAPH <urn:g>",
    "COPY DEFAULT TO <urn:g>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused(update: str) -> None:
    with pytest.raises(QueryRefused):
        vet(update)


def test_a_query_followed_by_an_update_never_runs() -> None:
    with pytest.raises(QueryError):
        vet("SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }")


SERVICES = [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "select * where { ?a ?b ?c OPTIONAL { service silent <http://example.org/q> { ?a ?x ?y } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE ?endpoint { ?s ?p ?o } } } }",
    "ASK { FILTER EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", SERVICES)
def test_service_is_refused(query: str) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        vet(query)


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ('SELECT ?s WHERE { ?s ?p "use SERVICE here" } # SERVICE in a comment', "SELECT"),
        ("SELECT ?service WHERE { ?service <urn:SERVICE> ?o }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <urn:a>", "DESCRIBE"),
        ("SELECT ?m WHERE { ?m a aikg:Model }", "SELECT"),  # default prefixes
    ],
)
def test_read_queries_pass(query: str, kind: str) -> None:
    assert vet(query).kind == kind


def test_malformed_query_gives_the_parser_message() -> None:
    with pytest.raises(QueryError, match="malformed SPARQL query: .*char") as info:
        vet("SELECT ?s WHERE { ?s ?p }}")
    assert not isinstance(info.value, QueryRefused)


def test_unknown_prefix_is_malformed() -> None:
    with pytest.raises(QueryError, match="nope"):
        vet("SELECT ?s WHERE { ?s nope:p ?o }")


def test_long_query_is_refused_before_parsing() -> None:
    with pytest.raises(QueryTooLong, match="limit is 100 bytes"):
        vet("SELECT * WHERE { ?s ?p ?o }" + " " * 100, max_length=100)


@pytest.mark.parametrize(
    ("kind", "accept", "expected"),
    [
        ("SELECT", None, "application/sparql-results+json"),
        ("SELECT", "*/*", "application/sparql-results+json"),
        ("SELECT", "text/csv", "text/csv"),
        ("SELECT", "text/csv;q=0.2, application/sparql-results+xml", "application/sparql-results+xml"),
        ("ASK", "text/tab-separated-values", "text/tab-separated-values"),
        ("SELECT", "application/json", "application/sparql-results+json"),
        ("SELECT", "text/turtle", None),
        ("CONSTRUCT", None, "text/turtle"),
        ("CONSTRUCT", "application/ld+json", "application/ld+json"),
        ("DESCRIBE", "application/n-triples;q=0.9, text/turtle;q=0.1", "application/n-triples"),
        ("CONSTRUCT", "application/sparql-results+json", None),
        ("CONSTRUCT", "image/png, text/*", "text/turtle"),
    ],
)
def test_negotiate(kind: str, accept: str | None, expected: str | None) -> None:
    assert negotiate(kind, accept) == expected  # type: ignore[arg-type]


# --- execution ---------------------------------------------------------------

SELECT_LABELS = "SELECT ?s ?label WHERE { ?s a aikg:Model ; rdfs:label ?label } ORDER BY ?label"


def test_select_in_every_format(mini_store: store.BuildStore) -> None:
    result = mini_store.query(SELECT_LABELS)
    assert result.count == 2
    assert [r["label"] for r in result.rows()] == [rdflib.Literal("Quokka-7B"), rdflib.Literal("Wombat-2")]
    body = json.loads(result.serialize("application/sparql-results+json"))
    assert body["head"]["vars"] == ["s", "label"]
    assert body["results"]["bindings"][1]["label"]["value"] == "Wombat-2"
    xml = ox.parse_query_results(result.serialize("application/sparql-results+xml"), format=ox.QueryResultsFormat.XML)
    assert [s["label"].value for s in xml] == ["Quokka-7B", "Wombat-2"]
    rows = list(csv.reader(io.StringIO(result.serialize("text/csv").decode())))
    assert rows[0] == ["s", "label"] and rows[1][1] == "Quokka-7B"
    tsv = result.serialize("text/tab-separated-values").decode().splitlines()
    assert tsv[0] == "?s\t?label" and tsv[1].endswith('"Quokka-7B"')


def test_special_characters_survive(mini_store: store.BuildStore) -> None:
    result = mini_store.query("SELECT ?t WHERE { ?e aikg:sentence ?t } ORDER BY ?t")
    sentences = {str(r["t"]) for r in result.rows()}
    assert "Quokka-7B outperforms Wombat-2 on TriviaBench, with a tab\there." in sentences
    assert any('"a long-term bet"' in s for s in sentences)


def test_ask(mini_store: store.BuildStore) -> None:
    assert mini_store.query("ASK { ?a aikg:funded ?b }").boolean is True
    result = mini_store.query("ASK { ?a aikg:funded ?a }")
    assert json.loads(result.serialize()) == {"head": {}, "boolean": False}
    assert b"<boolean>false</boolean>" in result.serialize("application/sparql-results+xml")


def test_construct_in_every_format(mini_store: store.BuildStore) -> None:
    query = "CONSTRUCT { ?e aikg:sentence ?t } WHERE { ?e aikg:sentence ?t }"
    result = mini_store.query(query)
    expected = rdflib.Graph()
    expected += rdflib.Graph().parse(DATA).triples((None, rdflib.URIRef("https://w3id.org/aikg/ontology#sentence"), None))
    assert result.count == 4
    for media, fmt in [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld")]:
        parsed = rdflib.Graph().parse(data=result.serialize(media), format=fmt)
        assert isomorphic(parsed, expected), media


def test_describe(mini_store: store.BuildStore) -> None:
    result = mini_store.query("DESCRIBE <https://w3id.org/aikg/id/model/wombat-2>")
    assert (rdflib.URIRef("https://w3id.org/aikg/id/model/wombat-2"), rdflib.RDFS.label, rdflib.Literal("Wombat-2")) in result.triples()


def test_unsupported_serialization_is_an_error(mini_store: store.BuildStore) -> None:
    with pytest.raises(QueryError, match="text/turtle"):
        mini_store.query(SELECT_LABELS).serialize("text/turtle")


def test_result_limit(mini_store: store.BuildStore) -> None:
    with pytest.raises(ResultTooLarge, match="more than 5 solutions"):
        mini_store.query("SELECT * WHERE { ?s ?p ?o }", max_results=5)
    assert mini_store.query("SELECT * WHERE { ?s ?p ?o } LIMIT 5", max_results=5).count == 5


def test_timeout_kills_the_worker_and_the_next_query_runs(big_store: store.BuildStore) -> None:
    cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?t ?h }"
    # the workers are warm first: this test is about a running query, not about waiting for a
    # worker to start (on a loaded machine a start takes longer than the 0.5 s limit)
    big_store.query("ASK { ?s ?p ?o }", timeout=30)
    started = time.perf_counter()
    with pytest.raises(QueryTimeout, match="time limit of 0.5 s"):
        big_store.query(cartesian, timeout=0.5)
    assert time.perf_counter() - started < 3.0
    after = big_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=5)
    assert int(after.rows()[0]["n"]) == 400


def test_worker_reports_oxigraph_syntax_errors(mini_store: store.BuildStore) -> None:
    # rdflib accepts this, Oxigraph's stricter parser does not (unbound aggregate projection)
    with pytest.raises(QueryError):
        mini_store.query("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o }")
    assert mini_store.query("ASK { ?s ?p ?o }").boolean is True


# --- no network --------------------------------------------------------------


class Listener:
    """A TCP listener on loopback that records whether anyone connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        time.sleep(0.3)
        self._stop.set()
        self._thread.join()
        self.sock.close()


def test_service_never_opens_a_connection(mini_store: store.BuildStore) -> None:
    listener = Listener()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    try:
        with pytest.raises(QueryRefused):
            mini_store.query(query)
        with pytest.raises(QueryRefused):
            mini_store.select(query)
    finally:
        listener.close()
    assert listener.connections == 0


def test_the_listener_would_see_an_unvetted_service_call() -> None:
    """Control: Oxigraph itself does connect, so the test above can fail."""
    listener = Listener()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"
    try:
        with pytest.raises(OSError):
            list(ox.Store().query(query))  # type: ignore[arg-type]
    finally:
        listener.close()
    assert listener.connections >= 1


# --- the example queries in queries/ ------------------------------------------

QUERIES = Path(__file__).parent.parent / "queries"
EXPECTED: dict[str, list[tuple[str, ...]]] = {
    "organization-releases.rq": [
        ("Acme AI", "Quokka-7B", "Model", "1"),
        ("Acme AI", "Scaling Quokkas", "Paper", "0"),
        ("Borealis Labs", "Wombat-2", "Model", "0"),
    ],
    "outperforms.rq": [("Wombat-2", "Quokka-7B")],
    "funding.rq": [("Northwind Capital", "Organization", "Acme AI")],
    "models-by-country.rq": [("Canada", "Borealis Labs", "Wombat-2"), ("France", "Acme AI", "Quokka-7B")],
    "document-entities.rq": [
        ("issue-1", "France", "Country"), ("issue-1", "Quokka-7B", "Model"), ("issue-1", "Wombat-2", "Model"),
        ("issue-1", "Acme AI", "Organization"), ("issue-1", "Scaling Quokkas", "Paper"),
        ("issue-2", "Canada", "Country"), ("issue-2", "Wombat-2", "Model"), ("issue-2", "Acme AI", "Organization"),
        ("issue-2", "Borealis Labs", "Organization"), ("issue-2", "Northwind Capital", "Organization"),
        ("issue-2", "Ada Example", "Person"),
    ],
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "organization-releases.rq": ("organizationLabel", "releasedLabel", "type", "sentences"),
    "outperforms.rq": ("modelLabel", "betterLabel"),
    "funding.rq": ("funderLabel", "funderType", "fundedLabel"),
    "models-by-country.rq": ("countryLabel", "organizationLabel", "modelLabel"),
    "document-entities.rq": ("documentId", "label", "type"),
}


def test_every_example_query_is_documented() -> None:
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    names = sorted(p.name for p in QUERIES.glob("*.rq"))
    assert set(EXPECTED) <= set(names)
    for name in names:
        assert f"`{name}`" in readme, f"{name} is not described in queries/README.md"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_query(mini_store: store.BuildStore, name: str) -> None:
    result = mini_store.query((QUERIES / name).read_text(encoding="utf-8"))
    got = [tuple(str(row.get(c, "")) for c in COLUMNS[name]) for row in result.rows()]
    assert got == EXPECTED[name]


def test_example_queries_do_not_rely_on_default_prefixes() -> None:
    for path in QUERIES.glob("*.rq"):
        text = path.read_text(encoding="utf-8")
        for prefix in ("aikg:", "rdfs:", "rdf:", "dcterms:"):
            if prefix in text.replace("PREFIX " + prefix, ""):
                assert f"PREFIX {prefix}" in text, f"{path.name} uses {prefix} without declaring it"


# --- kg query ----------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_cli_query_table_and_formats(mini_store: store.BuildStore) -> None:
    code, out = _cli("query", str(mini_store.path), SELECT_LABELS)
    assert code == 0 and "Quokka-7B" in out and "id:model/wombat-2" in out and "2 results" in out
    code, out = _cli("query", str(mini_store.path), SELECT_LABELS, "--format", "csv")
    assert code == 0 and out.splitlines()[1] == "https://w3id.org/aikg/id/model/quokka-7b,Quokka-7B"
    code, out = _cli("query", str(mini_store.path), SELECT_LABELS, "--format", "json")
    assert json.loads(out)["head"]["vars"] == ["s", "label"]
    code, out = _cli("query", str(mini_store.path), "ASK { ?a aikg:funded ?b }")
    assert out.strip() == "true"


def test_cli_query_construct_prints_turtle(mini_store: store.BuildStore) -> None:
    code, out = _cli("query", str(mini_store.path), "CONSTRUCT WHERE { ?a aikg:funded ?b }")
    assert code == 0
    assert len(rdflib.Graph().parse(data=out, format="turtle")) == 1


def test_cli_query_from_file(mini_store: store.BuildStore) -> None:
    code, out = _cli("query", str(mini_store.path), "--file", str(QUERIES / "funding.rq"), "--format", "tsv")
    assert code == 0 and "Northwind Capital" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["INSERT DATA { <urn:a> <urn:b> <urn:c> }"], "read-only"),
        (["SELECT ?x WHERE { ?x }"], "malformed"),
        ([SELECT_LABELS, "--format", "turtle"], "does not fit a SELECT"),
    ],
)
def test_cli_query_errors(mini_store: store.BuildStore, args: list[str], message: str) -> None:
    code, out = _cli("query", str(mini_store.path), *args)
    assert code != 0 and message in " ".join(out.split())


def test_cli_query_missing_build(tmp_path: Path) -> None:
    code, out = _cli("query", str(tmp_path / "nowhere"), "ASK {}")
    assert code == 1 and "no such folder" in " ".join(out.split())
