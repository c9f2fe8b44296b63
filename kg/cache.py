"""The per-document extraction cache: ``OUT/cache/<key>.json``.

A key is the SHA-256 of the document record (its text, sections and
metadata), the pipeline version and the model's name and version, so an
entry is reused only when re-extracting would give the same result.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from kg.fsutil import atomic_write_text
from kg.types import DocResult, Document


def document_key(doc: Document, *, pipeline_version: str, model: str, model_version: str) -> str:
    payload = json.dumps(doc.to_dict(), sort_keys=True, ensure_ascii=False)
    h = hashlib.sha256()
    for part in (pipeline_version, model, model_version, payload):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


class DocCache:
    """A folder of JSON-encoded :class:`DocResult` records, one file per key."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> DocResult | None:
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return DocResult.from_dict(data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError):
            # a damaged entry is a miss, and is replaced by the next put
            return None

    def put(self, key: str, result: DocResult) -> None:
        atomic_write_text(self._path(key), json.dumps(result.to_dict(), ensure_ascii=False))

    def prune(self, keep: Iterable[str]) -> int:
        """Delete entries not in ``keep``; returns how many were removed."""
        wanted = {f"{k}.json" for k in keep}
        removed = 0
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".json") and entry.name not in wanted:
                os.unlink(entry.path)
                removed += 1
        return removed
