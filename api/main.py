"""Assemble the REST API: routers, error handlers, limits, CORS, the loaded build."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from kg.api import ask, entities, export, graph, relations, stats, web
from kg.api.deps import StoreLike, load_state
from kg.api.errors import QueryStringLimit, install_error_handlers
from kg.api.security import SecurityHeaders
from kg.api.settings import Settings, settings_from_env

DESCRIPTION = """A read-only knowledge graph of the AI industry, read from newsletter prose.

Every relation comes with its evidence: the sentence, document and section it was read from.
Search entities, list relations, ask plain-English questions, fetch counts, download exports,
or write SPARQL at `/sparql`."""


STATIC = Path(__file__).parent / "static"


def sparql_router() -> APIRouter | None:
    """The /sparql router of ``kg.api.sparql``, or None while that module does not exist."""
    try:
        module = importlib.import_module("kg.api.sparql")
    except ModuleNotFoundError as exc:
        if exc.name == "kg.api.sparql":
            return None
        raise
    router = getattr(module, "router", None)
    return router if isinstance(router, APIRouter) else None


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The schema, minus FastAPI's 422 validation response (bad parameters get 400 here)."""
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.get("responses", {})
                body = responses.get("422", {}).get("content", {}).get("application/json", {})
                if body.get("schema", {}).get("$ref", "").endswith("/HTTPValidationError"):
                    del responses["422"]
        components = schema.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        app.openapi_schema = schema
    return app.openapi_schema


def create_app(store_or_dir: StoreLike | str | Path, settings: Settings | None = None) -> FastAPI:
    """The API over a build (a ``BuildStore``, or an out/build folder to open)."""
    settings = settings or settings_from_env()
    state = load_state(store_or_dir, settings)
    from kg import __version__ as version

    # /docs is served below from the vendored Swagger UI (FastAPI's own page loads it from a CDN)
    app = FastAPI(title="aikg", version=version, description=DESCRIPTION, docs_url=None, redoc_url=None)
    app.state.store = state.store
    app.state.settings = settings
    app.state.snapshot = state.snapshot
    app.state.load_seconds = state.load_seconds
    app.state.export_cache = {}
    install_error_handlers(app)
    app.add_middleware(
        QueryStringLimit,
        limit=settings.max_query_string,
        overrides={"/sparql": settings.max_sparql_query_string},
    )
    app.add_middleware(
        CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"], allow_headers=["*"]
    )
    app.add_middleware(SecurityHeaders)
    for module in (entities, relations, ask, stats, export, graph, web):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request) -> HTMLResponse:
        return web.templates.TemplateResponse(request, "docs.html", {"openapi_url": app.openapi_url})

    extra = sparql_router()
    if extra is not None:
        app.include_router(extra)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
