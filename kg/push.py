"""Load a build into a remote triplestore (SPARQL 1.1 Graph Store Protocol).

``kg push DIR --endpoint URL`` sends the build's default graph as N-Triples
with ``PUT URL?graph=IRI``, which replaces that one named graph on the server
(Oxigraph server: ``http://host:7878/store``; Fuseki: ``http://host:3030/DS/data``;
GraphDB: ``http://host:7200/repositories/REPO/rdf-graphs/service``). Each build
goes into its own named graph, ``https://w3id.org/aikg/build/<build-id>`` by
default, so several builds can live side by side and be queried with
``FROM <graph>`` or the protocol's ``default-graph-uri``.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pyoxigraph as ox

from kg.errors import AikgError
from kg.store import BuildStore, open_build

BUILD_GRAPH_BASE = "https://w3id.org/aikg/build/"


class PushError(AikgError):
    """The remote store could not be reached or refused the data."""


@dataclass(frozen=True, slots=True)
class PushReport:
    endpoint: str
    graph: str
    triples: int
    status: int
    seconds: float


def default_graph_iri(build: BuildStore) -> str:
    """The named graph a build goes into unless told otherwise."""
    return BUILD_GRAPH_BASE + quote(build.build_id, safe="-._~")


def graph_url(endpoint: str, graph: str) -> str:
    """``endpoint`` with the ``graph=`` parameter of the Graph Store Protocol."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"endpoint {endpoint!r} is not an http(s) URL; expected e.g. http://localhost:7878/store")
    if not urlsplit(graph).scheme:
        raise PushError(f"graph {graph!r} is not an absolute IRI; expected e.g. {BUILD_GRAPH_BASE}my-build")
    joiner = "&" if parts.query else "?"
    return f"{endpoint}{joiner}graph={quote(graph, safe='')}"


def push(
    build: BuildStore | Path,
    endpoint: str,
    *,
    graph: str | None = None,
    timeout: float = 300.0,
    client: httpx.Client | None = None,
) -> PushReport:
    """Replace the named graph ``graph`` of ``endpoint`` with the build's triples."""
    opened = build if isinstance(build, BuildStore) else open_build(Path(build))
    iri = graph or default_graph_iri(opened)
    url = graph_url(endpoint, iri)
    triples = len(opened.ox)
    fd, tmp = tempfile.mkstemp(prefix="aikg-push-", suffix=".nt")
    os.close(fd)
    try:
        opened.ox.dump(tmp, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        with open(tmp, "rb") as body:
            response = _put(client, url, body, timeout)
    finally:
        os.unlink(tmp)
    if response.status_code >= 400:
        detail = response.text.strip()[:500]
        raise PushError(
            f"{endpoint} refused the upload of graph <{iri}>: HTTP {response.status_code} "
            f"{response.reason_phrase}" + (f": {detail}" if detail else "")
        )
    return PushReport(endpoint, iri, triples, response.status_code, response.elapsed.total_seconds())


def _put(client: httpx.Client | None, url: str, body: object, timeout: float) -> httpx.Response:
    headers = {"Content-Type": "application/n-triples"}
    try:
        if client is not None:
            return client.put(url, content=body, headers=headers, timeout=timeout)  # type: ignore[arg-type]
        with httpx.Client(timeout=timeout) as own:
            return own.put(url, content=body, headers=headers)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:
        raise PushError(f"cannot push to {url.split('?')[0]}: {type(exc).__name__}: {exc}") from None
