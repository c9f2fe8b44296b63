"""One module per export format: serialize_x(graph) and write_x(graph, path).

:data:`EXPORTERS` maps a format name to its ``(serialize, write)`` pair. It is
the whole plugin system: modules are imported on first use, and a format
whose module is not installed is simply not listed.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

Serialize = Callable[..., "str | bytes"]
Write = Callable[..., Path]

#: format name -> (module under kg.exports, function suffix)
FORMATS: dict[str, tuple[str, str]] = {
    "turtle": ("rdf", "turtle"),
    "trig": ("rdf", "trig"),
    "ntriples": ("rdf", "ntriples"),
    "nquads": ("rdf", "nquads"),
    "jsonld": ("rdf", "jsonld"),
    "jsonl": ("jsonl", "jsonl"),
    "csv": ("csv", "csv"),
    "gexf": ("gexf", "gexf"),
    "graphml": ("graphml", "graphml"),
}

#: media type and file extension of each format
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "turtle": ("text/turtle", "ttl"),
    "trig": ("application/trig", "trig"),
    "ntriples": ("application/n-triples", "nt"),
    "nquads": ("application/n-quads", "nq"),
    "jsonld": ("application/ld+json", "jsonld"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "csv": ("text/csv", "csv"),
    "gexf": ("application/gexf+xml", "gexf"),
    "graphml": ("application/graphml+xml", "graphml"),
}


def _available(module: str) -> bool:
    try:
        return importlib.util.find_spec(f"{__name__}.{module}") is not None
    except ImportError:
        return False


class _Exporters(Mapping[str, tuple[Serialize, Write]]):
    """Format name -> (serialize, write), importing each module on first use."""

    def __getitem__(self, name: str) -> tuple[Serialize, Write]:
        if name not in FORMATS:
            raise KeyError(name)
        module_name, suffix = FORMATS[name]
        if not _available(module_name):
            raise KeyError(name)
        module: Any = importlib.import_module(f"{__name__}.{module_name}")
        return getattr(module, f"serialize_{suffix}"), getattr(module, f"write_{suffix}")

    def __iter__(self) -> Iterator[str]:
        return (name for name, (module, _) in FORMATS.items() if _available(module))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in FORMATS and _available(FORMATS[name][0])


EXPORTERS: Mapping[str, tuple[Serialize, Write]] = _Exporters()

__all__ = ["EXPORTERS", "FORMATS", "MEDIA_TYPES"]
