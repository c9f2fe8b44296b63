"""Dependencies of the routers: the opened build, the settings, the snapshot,
and the small helpers every router shares (paging, name resolution)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from fastapi import Request

from kg.api.errors import ApiError
from kg.api.settings import Settings
from kg.api.snapshot import EntityInfo, Snapshot, load_snapshot
from kg import lookup
from kg.errors import UnknownEntityError

log = logging.getLogger(__name__)


class StoreLike(Protocol):
    """What the API needs of a build (``kg.store.BuildStore`` provides it)."""

    @property
    def path(self) -> Path: ...
    @property
    def manifest(self) -> dict[str, Any]: ...
    @property
    def ox(self) -> ox.Store: ...
    @property
    def graph(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class AppState:
    store: StoreLike
    settings: Settings
    snapshot: Snapshot
    load_seconds: float


def open_store(store_or_dir: StoreLike | str | Path) -> StoreLike:
    """A build store from an out/build folder, or the store itself."""
    if isinstance(store_or_dir, (str, Path)):
        from kg.store import open_build

        return open_build(Path(store_or_dir))
    return store_or_dir


def load_state(store_or_dir: StoreLike | str | Path, settings: Settings) -> AppState:
    """Open the build and read the snapshot the lookups answer from (once)."""
    store = open_store(store_or_dir)
    started = time.perf_counter()
    snapshot = load_snapshot(store.ox)
    elapsed = time.perf_counter() - started
    log.info(
        "loaded %d entities, %d relations from %s in %.2fs",
        len(snapshot.entities), len(snapshot.edges), getattr(store, "path", "?"), elapsed,
    )
    return AppState(store=store, settings=settings, snapshot=snapshot, load_seconds=elapsed)


def get_store(request: Request) -> StoreLike:
    return request.app.state.store  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_snapshot(request: Request) -> Snapshot:
    return request.app.state.snapshot  # type: ignore[no-any-return]


def page_bounds(limit: int | None, offset: int, settings: Settings) -> tuple[int, int]:
    """The effective (limit, offset); 400 when ``limit`` is above the configured maximum."""
    if limit is None:
        return settings.default_page_size, offset
    if limit > settings.max_page_size:
        raise ApiError(
            400, "bad_request", f"limit={limit} is too large; the maximum page size is {settings.max_page_size}"
        )
    return limit, offset


def check_text(param: str, value: str | None, settings: Settings) -> None:
    if value is not None and len(value) > settings.max_text_length:
        raise ApiError(
            400,
            "bad_request",
            f"{param} is {len(value)} characters long; at most {settings.max_text_length} are allowed",
        )


def resolve_name(
    snap: Snapshot, name: str, settings: Settings, *, types: frozenset[str] | None = None, param: str = "name"
) -> list[EntityInfo]:
    """The entities an id or name (case-, punctuation- and alias-blind) refers to (:func:`kg.lookup.resolve_name`).

    Raises a 404 :class:`ApiError` naming the closest known names when nothing matches.
    """
    try:
        return lookup.resolve_name(snap, name, types=types, param=param, suggestions=settings.suggestions)
    except UnknownEntityError as exc:
        raise unknown_entity(exc) from None


def unknown_entity(exc: UnknownEntityError) -> ApiError:
    """The 404 for an unknown entity."""
    return ApiError(404, "unknown_entity", str(exc), suggestions=list(exc.suggestions))
