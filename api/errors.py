"""One JSON error shape for every failure: ``{"error": {"code", "message", ...}}``.

Routers raise :class:`ApiError`; the handlers installed by
:func:`install_error_handlers` turn it, FastAPI's own validation errors,
Starlette's HTTP errors and anything unexpected into that shape.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from kg.errors import QueryError, StoreError

log = logging.getLogger(__name__)

_CODES: dict[int, str] = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    408: "timeout",
    413: "too_large",
    414: "query_too_long",
    415: "unsupported_media_type",
    422: "unprocessable",
    500: "internal_error",
    503: "unavailable",
}


class ErrorDetail(BaseModel):
    """One invalid parameter."""

    param: str
    message: str


class ErrorBody(BaseModel):
    """What went wrong, and what would be right."""

    code: str = Field(description="machine-readable error code, e.g. 'not_found'")
    message: str = Field(description="human-readable explanation naming the bad value")
    details: list[ErrorDetail] | None = Field(default=None, description="invalid parameters")
    suggestions: list[str] | None = Field(default=None, description="closest known names")
    valid: list[str] | None = Field(default=None, description="the accepted values")
    shapes: list[str] | None = Field(default=None, description="question shapes /ask understands")


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorBody


class ApiError(Exception):
    """An error to report to the client with ``status`` and the shape above."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = ErrorBody(code=code, message=message, **extra)


def error_response(status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    content = ErrorResponse(error=body).model_dump(exclude_none=True)
    return JSONResponse(content, status_code=status, headers=headers)


#: OpenAPI ``responses`` entries for the error statuses a route can return
def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": ErrorResponse, "description": _CODES.get(s, "error")} for s in statuses}


def _param_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    return ".".join(parts[1:] if len(parts) > 1 and parts[0] in {"query", "path", "body", "header"} else parts)


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.body)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [ErrorDetail(param=_param_name(e.get("loc", ())), message=str(e.get("msg", ""))) for e in exc.errors()]
    summary = "; ".join(f"{d.param}: {d.message}" for d in details) or "invalid request"
    return error_response(400, ErrorBody(code="bad_request", message=summary, details=details))


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    code = _CODES.get(exc.status_code, "error")
    return error_response(exc.status_code, ErrorBody(code=code, message=message), dict(exc.headers or {}))


async def _query_error(_: Request, exc: Exception) -> JSONResponse:
    return error_response(400, ErrorBody(code="bad_query", message=str(exc)))


async def _store_error(_: Request, exc: Exception) -> JSONResponse:
    return error_response(503, ErrorBody(code="unavailable", message=str(exc)))


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return error_response(500, ErrorBody(code="internal_error", message=f"internal error: {type(exc).__name__}"))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(QueryError, _query_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _unexpected)


class QueryStringLimit:
    """ASGI middleware: refuse requests whose query string is longer than the limit.

    ``overrides`` maps a path prefix to its own limit (GET /sparql carries a
    whole query in the URL).
    """

    def __init__(self, app: ASGIApp, limit: int, overrides: dict[str, int] | None = None) -> None:
        self.app = app
        self.limit = limit
        self.overrides = dict(overrides or {})

    def _limit_for(self, path: str) -> int:
        for prefix, limit in self.overrides.items():
            if path == prefix or path.startswith(prefix + "/"):
                return limit
        return self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = len(scope.get("query_string", b""))
            limit = self._limit_for(scope.get("path", ""))
            if length > limit:
                body = ErrorBody(
                    code="query_too_long",
                    message=f"the query string is {length} bytes long; at most {limit} are allowed",
                )
                await error_response(400, body)(scope, receive, send)
                return
        await self.app(scope, receive, send)
