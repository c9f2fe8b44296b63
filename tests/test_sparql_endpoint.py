"""/sparql (SPARQL 1.1 Protocol) and /.well-known/void over a small build."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic
from rdflib.namespace import VOID

from kg import store
from kg.api.errors import install_error_handlers
from kg.api.sparql import router

DATA = Path(__file__).parent / "data" / "sparql" / "mini.ttl"
MODELS = "SELECT ?m ?label WHERE { ?m a aikg:Model ; rdfs:label ?label } ORDER BY ?label"
SENTENCES = "CONSTRUCT { ?e aikg:sentence ?t } WHERE { ?e aikg:sentence ?t }"


@dataclass(frozen=True)
class Limits:
    query_timeout: float = 5.0
    max_results: int = 50


def make_client(build: Path, graph: rdflib.Graph, limits: Limits) -> TestClient:
    store.save(graph, build)
    (build / "manifest.json").write_text(json.dumps({"build_id": build.name}), encoding="utf-8")
    app = FastAPI()
    app.state.store = store.open_build(build)
    app.state.settings = limits
    install_error_handlers(app)
    app.include_router(router)
    return TestClient(app)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    c = make_client(tmp_path_factory.mktemp("mini"), rdflib.Graph().parse(DATA), Limits())
    yield c
    c.app.state.store.close()  # type: ignore[attr-defined]


def error(response: object, status: int, code: str) -> str:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["error"]["code"] == code
    return str(body["error"]["message"])


# --- the three protocol methods ------------------------------------------------


def labels(response: object) -> list[str]:
    body = json.loads(response.content)  # type: ignore[attr-defined]
    return [b["label"]["value"] for b in body["results"]["bindings"]]


def test_get(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": MODELS})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert labels(r) == ["Quokka-7B", "Wombat-2"]
    assert r.headers["access-control-allow-origin"] == "*"


def test_post_form(client: TestClient) -> None:
    r = client.post("/sparql", data={"query": MODELS})
    assert r.status_code == 200 and labels(r) == ["Quokka-7B", "Wombat-2"]


def test_post_sparql_query(client: TestClient) -> None:
    r = client.post("/sparql", content=MODELS, headers={"Content-Type": "application/sparql-query"})
    assert r.status_code == 200 and labels(r) == ["Quokka-7B", "Wombat-2"]


def test_post_other_content_type_is_415(client: TestClient) -> None:
    r = client.post("/sparql", content=MODELS, headers={"Content-Type": "text/plain"})
    assert "application/sparql-query" in error(r, 415, "unsupported_media_type")


def test_missing_query_is_400(client: TestClient) -> None:
    assert "missing query" in error(client.get("/sparql"), 400, "bad_request")
    assert "missing query" in error(client.post("/sparql", data={"other": "x"}), 400, "bad_request")


# --- content negotiation -------------------------------------------------------


def test_select_as_xml(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": MODELS}, headers={"Accept": "application/sparql-results+xml"})
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    parsed = ox.parse_query_results(r.content, format=ox.QueryResultsFormat.XML)
    assert [s["label"].value for s in parsed] == ["Quokka-7B", "Wombat-2"]


def test_select_as_csv(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": MODELS}, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows == [["m", "label"], ["https://w3id.org/aikg/id/model/quokka-7b", "Quokka-7B"], ["https://w3id.org/aikg/id/model/wombat-2", "Wombat-2"]]


def test_select_as_tsv(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": MODELS}, headers={"Accept": "text/tab-separated-values"})
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    assert r.text.splitlines()[1] == '<https://w3id.org/aikg/id/model/quokka-7b>\t"Quokka-7B"'


def test_ask(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK { ?a aikg:funded ?b }"})
    assert r.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [(None, "text/turtle", "turtle"), ("application/n-triples", "application/n-triples", "nt"),
     ("application/ld+json", "application/ld+json", "json-ld"), ("text/*;q=0.5, image/png", "text/turtle", "turtle")],
)
def test_construct_formats(client: TestClient, accept: str | None, media: str, fmt: str) -> None:
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", params={"query": SENTENCES}, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    expected = rdflib.Graph()
    expected += rdflib.Graph().parse(DATA).triples((None, rdflib.URIRef("https://w3id.org/aikg/ontology#sentence"), None))
    assert isomorphic(rdflib.Graph().parse(data=r.content, format=fmt), expected)


def test_describe(client: TestClient) -> None:
    r = client.post("/sparql", data={"query": "DESCRIBE <https://w3id.org/aikg/id/model/wombat-2>"},
                    headers={"Accept": "application/n-triples"})
    assert '"Wombat-2"' in r.text


@pytest.mark.parametrize(
    ("query", "accept"),
    [(MODELS, "text/turtle"), (SENTENCES, "application/sparql-results+json"), (MODELS, "image/png")],
)
def test_unacceptable_is_406(client: TestClient, query: str, accept: str) -> None:
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert "acceptable" in error(r, 406, "not_acceptable")


# --- refusals and limits -------------------------------------------------------


def test_malformed_is_400_with_the_parser_message(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }}"})
    assert "malformed SPARQL query" in error(r, 400, "bad_query")


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"method": "POST", "data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
        {"method": "POST", "content": "DROP ALL", "headers": {"Content-Type": "application/sparql-query"}},
        {"method": "POST", "content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {"method": "POST", "data": {"update": "CLEAR ALL"}},
        {"method": "GET", "params": {"query": "LOAD <http://example.org/x.ttl>"}},
    ],
)
def test_update_is_refused(client: TestClient, request_kwargs: dict[str, object]) -> None:
    method = str(request_kwargs.pop("method"))
    r = client.request(method, "/sparql", **request_kwargs)  # type: ignore[arg-type]
    assert "read-only" in error(r, 403, "query_refused")
    assert client.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()["boolean"] is False


def test_service_is_refused_without_any_connection(client: TestClient) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    seen: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                seen.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        for query in (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?q ?r }} }} }}",
        ):
            assert "SERVICE" in error(client.post("/sparql", data={"query": query}), 403, "query_refused")
        time.sleep(0.3)
    finally:
        stop.set()
        thread.join()
        server.close()
    assert seen == []


def test_too_long_query_is_413(client: TestClient) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o }" + " " * 200_000
    r = client.post("/sparql", content=huge, headers={"Content-Type": "application/sparql-query"})
    assert error(r, 413, "query_too_long")


def test_result_too_large_is_413(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert "more than 50" in error(r, 413, "result_too_large")


def test_dataset_parameters_are_rejected(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": MODELS, "default-graph-uri": "urn:g"})
    assert "default-graph-uri" in error(r, 400, "bad_request")


def test_timeout_then_the_next_query_works(tmp_path: Path) -> None:
    graph = rdflib.Graph()
    for i in range(300):
        graph.add((rdflib.URIRef(f"urn:s{i}"), rdflib.URIRef("urn:p"), rdflib.Literal(i)))
    slow = make_client(tmp_path / "big", graph, Limits(query_timeout=0.5, max_results=10))
    try:
        started = time.perf_counter()
        r = slow.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"})
        assert "time limit" in error(r, 503, "query_timeout")
        assert time.perf_counter() - started < 5
        r = slow.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
        assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "300"
    finally:
        slow.app.state.store.close()  # type: ignore[attr-defined]


# --- VoID ------------------------------------------------------------------------


def test_void_turtle(client: TestClient) -> None:
    r = client.get("/.well-known/void")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    dataset = graph.value(predicate=rdflib.RDF.type, object=VOID.Dataset)
    assert dataset is not None
    assert int(graph.value(dataset, VOID.triples)) == 127
    assert int(graph.value(dataset, VOID.entities)) == 9
    assert int(graph.value(dataset, VOID.classes)) == 10  # 5 entity types, Evidence, Statement, Document, Section, Build
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef("http://testserver/sparql")
    dumps = {str(d) for d in graph.objects(dataset, VOID.dataDump)}
    assert "http://testserver/export/turtle" in dumps and "http://testserver/export/ntriples" in dumps


def test_void_negotiation(client: TestClient) -> None:
    r = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert r.headers["content-type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=r.text, format="json-ld")) > 5
    assert error(client.get("/.well-known/void", headers={"Accept": "image/png"}), 406, "not_acceptable")
