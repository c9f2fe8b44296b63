"""kg.push against a real Oxigraph server on loopback, and its error reporting."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kg import store
from kg.cli import app
from kg.push import BUILD_GRAPH_BASE, PushError, graph_url, push
from kg.testing import free_port

DATA = Path(__file__).parent / "data" / "sparql" / "mini.ttl"
QUERIES = Path(__file__).parent.parent / "queries"


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[store.BuildStore]:
    out = tmp_path_factory.mktemp("out")
    store.save(rdflib.Graph().parse(DATA), out / "builds" / "2024-02-01T10-00-00")
    (out / "builds" / "2024-02-01T10-00-00" / "manifest.json").write_text(
        json.dumps({"build_id": "2024-02-01T10-00-00"}), encoding="utf-8"
    )
    (out / "current").symlink_to("builds/2024-02-01T10-00-00")
    opened = store.open_build(out)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the `oxigraph` server binary is not installed (pip install oxigraph)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(base + "/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"oxigraph server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
        time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def remote_select(base: str, query: str, graph: str) -> list[dict[str, str]]:
    r = httpx.get(base + "/query", params={"query": query, "default-graph-uri": graph},
                  headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def test_push_then_query_the_server(build: store.BuildStore, server: str) -> None:
    report = push(build, server + "/store")
    assert report.graph == BUILD_GRAPH_BASE + "2024-02-01T10-00-00"
    assert report.triples == 127 and report.status in (201, 204)
    dump = httpx.get(server + "/store", params={"graph": report.graph}, headers={"Accept": "application/n-triples"})
    assert isomorphic(rdflib.Graph().parse(data=dump.text, format="nt"), rdflib.Graph().parse(DATA))
    names = sorted(p.name for p in QUERIES.glob("*.rq"))
    assert "funding.rq" in names
    for name in names:
        text = (QUERIES / name).read_text(encoding="utf-8")
        local = [{k: str(v) for k, v in row.items()} for row in build.query(text).rows()]
        assert remote_select(server, text, report.graph) == local, name
        assert local, f"{name} found nothing in the test build"
    funding = remote_select(server, (QUERIES / "funding.rq").read_text(encoding="utf-8"), report.graph)
    assert [(r["funderLabel"], r["fundedLabel"]) for r in funding] == [("Northwind Capital", "Acme AI")]


def test_push_replaces_the_named_graph(build: store.BuildStore, server: str) -> None:
    graph = "https://example.org/graphs/replaced"
    push(build, server + "/store", graph=graph)
    push(build, server + "/store", graph=graph)
    rows = remote_select(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graph)
    assert rows == [{"n": "127"}]


def test_cli_push(build: store.BuildStore, server: str) -> None:
    graph = "https://example.org/graphs/cli"
    result = CliRunner().invoke(app, ["push", str(build.path), "--endpoint", server + "/store", "--graph", graph])
    assert result.exit_code == 0, result.output
    assert "pushed 127 triples" in result.output
    funded = "SELECT (COUNT(*) AS ?n) WHERE { ?a <https://w3id.org/aikg/ontology#funded> ?b }"
    assert remote_select(server, funded, graph) == [{"n": "1"}]


# --- errors, without a server ----------------------------------------------------


def test_refused_upload_is_reported(build: store.BuildStore) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        assert request.method == "PUT"
        assert request.headers["content-type"] == "application/n-triples"
        assert request.url.params["graph"] == "https://example.org/g"
        return httpx.Response(403, text="read-only dataset")

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    with pytest.raises(PushError, match="HTTP 403 Forbidden: read-only dataset"):
        push(build, "http://store.example/data", graph="https://example.org/g", client=client)


def test_unreachable_endpoint_is_reported(build: store.BuildStore) -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(PushError, match=f"cannot push to http://127.0.0.1:{port}/store"):
        push(build, f"http://127.0.0.1:{port}/store", timeout=5)


@pytest.mark.parametrize(
    ("endpoint", "graph", "message"),
    [("ftp://x/store", "https://e.org/g", "not an http"), ("localhost:7878", "https://e.org/g", "not an http"),
     ("http://x/store", "no-scheme", "not an absolute IRI")],
)
def test_bad_arguments(endpoint: str, graph: str, message: str) -> None:
    with pytest.raises(PushError, match=message):
        graph_url(endpoint, graph)


def test_graph_url_keeps_existing_parameters() -> None:
    assert graph_url("http://h/ds?x=1", "urn:g") == "http://h/ds?x=1&graph=urn%3Ag"
