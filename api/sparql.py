"""The SPARQL 1.1 Protocol endpoint (``/sparql``) and the VoID description.

``GET /sparql?query=``, ``POST`` form-encoded ``query=`` and ``POST`` with
``Content-Type: application/sparql-query``. Results by content negotiation
(see :mod:`kg.sparql`). Queries are vetted (no update, no SERVICE) and run in
a killable worker under the configured time and result limits; every error
is a JSON body ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from kg.api.deps import StoreLike, get_settings, get_store
from kg.api.errors import ApiError, error_responses
from kg.errors import QueryError, QueryRefused, QueryTimeout, ResultTooLarge
from kg.sparql import (
    DEFAULT_MAX_QUERY_LENGTH,
    DEFAULT_MAX_RESULTS,
    DEFAULT_TIMEOUT,
    GRAPH_MEDIA_TYPES,
    SOLUTION_MEDIA_TYPES,
    QueryResult,
    QueryTooLong,
    negotiate,
    vet,
)

router = APIRouter(tags=["sparql"])

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
CORS = {"Access-Control-Allow-Origin": "*"}
#: RDF dumps announced in the VoID description (served by /export/{format})
DUMP_FORMATS = ("turtle", "ntriples", "jsonld", "trig", "nquads")
VOID_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "SELECT/ASK results or a CONSTRUCT/DESCRIBE graph, by content negotiation",
        "content": {m: {} for m in (*SOLUTION_MEDIA_TYPES, *GRAPH_MEDIA_TYPES)},
    },
    **error_responses(400, 403, 406, 413, 415, 503),
}


def _limits(settings: Any) -> tuple[float, int, int]:
    return (
        float(getattr(settings, "query_timeout", DEFAULT_TIMEOUT)),
        int(getattr(settings, "max_results", DEFAULT_MAX_RESULTS)),
        int(getattr(settings, "max_sparql_length", DEFAULT_MAX_QUERY_LENGTH)),
    )


def _api_error(exc: QueryError) -> ApiError:
    if isinstance(exc, QueryTooLong):
        return ApiError(413, "query_too_long", str(exc))
    if isinstance(exc, QueryRefused):
        return ApiError(403, "query_refused", str(exc))
    if isinstance(exc, QueryTimeout):
        return ApiError(503, "query_timeout", str(exc))
    if isinstance(exc, ResultTooLarge):
        return ApiError(413, "result_too_large", str(exc))
    return ApiError(400, "bad_query", str(exc))


def _answer(text: str | None, request: Request, store: StoreLike, settings: Any) -> Response:
    if text is None or not text.strip():
        raise ApiError(400, "bad_request", "missing query: send ?query=, a form field query=, or an application/sparql-query body")
    timeout, max_results, max_length = _limits(settings)
    try:
        vetted = vet(text, max_length=max_length)
    except QueryError as exc:
        raise _api_error(exc) from None
    media = negotiate(vetted.kind, request.headers.get("accept"))
    if media is None:
        offered = GRAPH_MEDIA_TYPES if vetted.is_graph else SOLUTION_MEDIA_TYPES
        raise ApiError(
            406, "not_acceptable",
            f"cannot answer a {vetted.kind} query as {request.headers.get('accept')!r}; acceptable: {', '.join(offered)}",
            valid=list(offered),
        )
    pool = getattr(store, "pool", None)
    if pool is None:
        raise ApiError(503, "unavailable", "this store cannot run SPARQL queries (no query pool)")
    try:
        result: QueryResult = pool.run(vetted, timeout=timeout, max_results=max_results)
        return _respond(result, media)
    except QueryError as exc:
        raise _api_error(exc) from None


def _respond(result: QueryResult, media: str) -> Response:
    return Response(result.serialize(media), media_type=media, headers={**CORS, "Vary": "Accept"})


def _check_dataset_params(params: dict[str, list[str]] | Any) -> None:
    for name in ("default-graph-uri", "named-graph-uri"):
        if params.get(name):
            raise ApiError(400, "bad_request", f"{name} is not supported: the whole build is the default graph")
    if params.get("update"):
        raise ApiError(403, "query_refused", "SPARQL Update is not allowed: this endpoint is read-only")


@router.get("/sparql", responses=_RESPONSES, summary="SPARQL 1.1 query (GET)")
async def sparql_get(
    request: Request,
    store: Annotated[StoreLike, Depends(get_store)],
    settings: Annotated[Any, Depends(get_settings)],
    query: Annotated[str | None, Query(description="the SPARQL query")] = None,
) -> Any:
    """Run a read-only SPARQL query given as ``?query=``."""
    _check_dataset_params({k: request.query_params.getlist(k) for k in request.query_params})
    return await run_in_threadpool(_answer, query, request, store, settings)


@router.post("/sparql", responses=_RESPONSES, summary="SPARQL 1.1 query (POST)")
async def sparql_post(
    request: Request,
    store: Annotated[StoreLike, Depends(get_store)],
    settings: Annotated[Any, Depends(get_settings)],
) -> Any:
    """Run a read-only SPARQL query sent form-encoded (``query=``) or as ``application/sparql-query``."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    _, _, max_length = _limits(settings)
    max_body = max_length * 4 + 1024  # room for form encoding of a query at the limit
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > max_body:
        # refuse from the header, before reading (and buffering) the body
        raise ApiError(413, "query_too_long", f"the request body is {announced} bytes long; queries may be {max_length} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_body:
            raise ApiError(413, "query_too_long", f"the request body is over {max_body} bytes; queries may be {max_length} bytes")
    _check_dataset_params({k: request.query_params.getlist(k) for k in request.query_params})
    try:
        text = bytes(body).decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "bad_request", "the request body is not UTF-8") from None
    if content_type == SPARQL_UPDATE:
        raise ApiError(403, "query_refused", "SPARQL Update is not allowed: this endpoint is read-only")
    if content_type == SPARQL_QUERY:
        query: str | None = text
    elif content_type == FORM:
        form = parse_qs(text, keep_blank_values=True)
        _check_dataset_params(form)
        query = (form.get("query") or [None])[0]
    else:
        raise ApiError(
            415, "unsupported_media_type",
            f"Content-Type {content_type or '(none)'!r} is not supported; use {FORM} (query=...) or {SPARQL_QUERY}",
        )
    return await run_in_threadpool(_answer, query, request, store, settings)


# --- VoID ---------------------------------------------------------------------

_VOID_CACHE: dict[str, dict[str, int]] = {}
_VOID_LOCK = threading.Lock()

_COUNTS = {
    "triples": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c . "
    "VALUES ?c { aikg:Organization aikg:Model aikg:Paper aikg:Person aikg:Country aikg:Benchmark } }",
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    "distinctSubjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "documents": "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a aikg:Document }",
}


def dataset_counts(store: StoreLike) -> dict[str, int]:
    """The VoID statistics of a build (computed once per build and process)."""
    key = str(store.path)
    with _VOID_LOCK:
        if key not in _VOID_CACHE:
            select = getattr(store, "select")
            _VOID_CACHE[key] = {name: int(select(q)[0]["n"]) for name, q in _COUNTS.items()}
        return _VOID_CACHE[key]


def void_graph(store: StoreLike, base_url: str) -> Any:
    """The VoID description of the build as an rdflib graph."""
    from rdflib import RDF, Graph, Literal, URIRef
    from rdflib.namespace import DCTERMS, VOID, XSD

    from kg.exports import EXPORTERS

    counts = dataset_counts(store)
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    dataset = URIRef(base_url + ".well-known/void#aikg")
    add = graph.add
    add((dataset, RDF.type, VOID.Dataset))
    add((dataset, DCTERMS.title, Literal("aikg knowledge graph of AI-industry newsletters")))
    add((dataset, DCTERMS.description, Literal("Organizations, models, papers, people, countries and benchmarks, "
                                               "with the sentence every relation was read from.")))
    add((dataset, VOID.sparqlEndpoint, URIRef(base_url + "sparql")))
    add((dataset, VOID.uriSpace, Literal("https://w3id.org/aikg/id/")))
    add((dataset, VOID.vocabulary, URIRef("https://w3id.org/aikg/ontology#")))
    for name in ("triples", "entities", "classes", "properties", "distinctSubjects"):
        add((dataset, VOID[name], Literal(counts[name], datatype=XSD.integer)))
    add((dataset, VOID.documents, Literal(counts["documents"], datatype=XSD.integer)))
    for fmt in DUMP_FORMATS:
        if fmt in EXPORTERS:
            add((dataset, VOID.dataDump, URIRef(f"{base_url}export/{fmt}")))
    built = store.manifest.get("built_at") or store.manifest.get("builtAt")
    if built:
        add((dataset, DCTERMS.modified, Literal(str(built))))
    build_id = store.manifest.get("build_id")
    if build_id:
        add((dataset, DCTERMS.identifier, Literal(str(build_id))))
    return graph


@router.get(
    "/.well-known/void",
    summary="VoID description of the dataset",
    responses={200: {"content": {m: {} for m in VOID_MEDIA_TYPES}}, **error_responses(406)},
)
def void(request: Request, store: Annotated[StoreLike, Depends(get_store)]) -> Any:
    """Triples, entities, classes, the SPARQL endpoint and the dump URLs (Turtle by default)."""
    accept = request.headers.get("accept")
    media = _negotiate_void(accept)
    if media is None:
        raise ApiError(406, "not_acceptable", f"cannot describe the dataset as {accept!r}; acceptable: {', '.join(VOID_MEDIA_TYPES)}",
                       valid=list(VOID_MEDIA_TYPES))
    body = void_graph(store, str(request.base_url)).serialize(format=VOID_MEDIA_TYPES[media], encoding="utf-8")
    return Response(body, media_type=media, headers={**CORS, "Vary": "Accept"})


def _negotiate_void(accept: str | None) -> str | None:
    if not accept or not accept.strip():
        return "text/turtle"
    weighted: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip().lower() for f in part.split(";")]
        q = next((float(f[2:]) for f in fields[1:] if f.startswith("q=") and f[2:].replace(".", "", 1).isdigit()), 1.0)
        if q > 0:
            weighted.append((-q, i, fields[0]))
    for _, _, media in sorted(weighted):
        if media in VOID_MEDIA_TYPES:
            return media
        if media in ("*/*", "text/*"):
            return "text/turtle"
    return None
