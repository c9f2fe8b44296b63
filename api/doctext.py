"""The text of a built document, for the web explorer's document page.

A build keeps each document's sentences of evidence, their offsets and the
sha256 of the document's text (``manifest.json``), not the text itself. The
document page reads the source file again with :func:`kg.ingest.load_documents`
and uses the text only when its sha256 is the build's: then every offset of the
build points at the right sentence. A source that is a URL (a feed entry), has
moved or has changed since the build gives ``None`` and a reason, and the page
shows the evidence sentences alone.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.types import Section


@dataclass(frozen=True, slots=True)
class DocumentText:
    text: str
    sections: tuple[Section, ...]


@dataclass(frozen=True, slots=True)
class Unavailable:
    reason: str


_CACHE: OrderedDict[tuple[str, int, int, bool], dict[str, tuple[str, tuple[Section, ...]]]] = OrderedDict()
_CACHE_SIZE = 16
_lock = threading.Lock()


def _read(path: Path, include_fiction: bool) -> dict[str, tuple[str, tuple[Section, ...]]]:
    """Text and sections of every document of one source file, by id (cached by path, mtime and size)."""
    from kg.ingest import load_documents
    from kg.types import Document

    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, include_fiction)
    with _lock:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    found = {
        d.id: (d.text, d.sections)
        for d in load_documents([path], include_fiction=include_fiction)
        if isinstance(d, Document)
    }
    with _lock:
        _CACHE[key] = found
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return found


def document_text(manifest: dict[str, Any], doc_id: str) -> DocumentText | Unavailable:
    """The text the build read for ``doc_id``, when its source can be read again unchanged."""
    entry = next((d for d in manifest.get("documents", ()) if d.get("id") == doc_id), None)
    if entry is None or not entry.get("source") or not entry.get("sha256"):
        return Unavailable("the build's manifest does not record this document's source")
    source = str(entry["source"])
    if "://" in source:
        return Unavailable(f"the source is {source}, which this server does not fetch")
    path = Path(source)
    if not path.is_file():
        return Unavailable(f"the source file {source} is not readable from {os.getcwd()}")
    include_fiction = bool(manifest.get("options", {}).get("include_fiction", False))
    try:
        found = _read(path, include_fiction).get(doc_id)
    except OSError as exc:
        return Unavailable(f"the source file {source} could not be read: {exc.strerror or exc}")
    if found is None:
        return Unavailable(f"the source file {source} no longer holds this document")
    text, sections = found
    if hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() != entry["sha256"]:
        return Unavailable(f"the source file {source} has changed since the build")
    return DocumentText(text, tuple(sections))
